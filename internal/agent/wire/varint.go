package wire

import "encoding/binary"

func appendSvarint(b []byte, v int64) []byte {
	return binary.AppendUvarint(b, zigzag(v))
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

func unzigzag(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// uvarintLen is the length of u as a uvarint.
func uvarintLen(u uint64) int {
	n := 1
	for u >= 0x80 {
		u >>= 7
		n++
	}
	return n
}

// reader reads a body. On failure a method returns ok false and sets bad
// to the Reason: truncated when the input ends, corrupt for a varint
// longer than 64 bits.
type reader struct {
	b   []byte
	off int
	bad string
}

func (r *reader) uvarint() (uint64, bool) {
	if r.off < len(r.b) && r.b[r.off] < 0x80 {
		v := r.b[r.off]
		r.off++
		return uint64(v), true
	}
	v, n := binary.Uvarint(r.b[r.off:])
	switch {
	case n == 0:
		r.bad = ReasonTruncated
		return 0, false
	case n < 0:
		r.bad = ReasonCorrupt
		return 0, false
	}
	r.off += n
	return v, true
}

func (r *reader) svarint() (int64, bool) {
	u, ok := r.uvarint()
	return unzigzag(u), ok
}

// count reads a uvarint that counts elements of at least one byte each,
// so a count larger than what remains is truncation, caught before any
// allocation sized by it.
func (r *reader) count() (int, bool) {
	u, ok := r.uvarint()
	if ok && u > uint64(len(r.b)-r.off) {
		r.bad = ReasonTruncated
		return 0, false
	}
	return int(u), ok
}

func (r *reader) byte() (byte, bool) {
	if r.off >= len(r.b) {
		r.bad = ReasonTruncated
		return 0, false
	}
	r.off++
	return r.b[r.off-1], true
}

func (r *reader) bytes(n int) ([]byte, bool) {
	if n < 0 || n > len(r.b)-r.off {
		r.bad = ReasonTruncated
		return nil, false
	}
	r.off += n
	return r.b[r.off-n : r.off], true
}

// fail is the error for a read that failed while reading what.
func (r *reader) fail(what string, args ...any) *Error {
	return errorf(r.bad, what, args...)
}
