package wire

import (
	"encoding/binary"
	"unicode/utf8"
)

// Version is the format version this package writes and reads.
const Version = 1

// The flags of a batch. Other bits are reserved and must be zero.
const (
	FlagZstd     = 1 << 0 // the table and data sections are zstd frames
	FlagTableRef = 1 << 1 // the series table is a reference (see WithTableRef)
	knownFlags   = FlagZstd | FlagTableRef
)

const magic = "PKTB"

// Header is the uncompressed head of a batch.
type Header struct {
	Version int
	Flags   byte
	Agent   string // the agent's id
	Seq     uint64 // the batch's sequence number, increasing per agent
	First   int64  // the first tick, Unix milliseconds
}

func appendHeader(b []byte, h Header) []byte {
	b = append(b, magic...)
	b = append(b, Version, h.Flags)
	b = binary.AppendUvarint(b, uint64(len(h.Agent)))
	b = append(b, h.Agent...)
	b = binary.AppendUvarint(b, h.Seq)
	return appendSvarint(b, h.First)
}

// ReadHeader reads and checks the header of batch b within l. It is
// cheap: nothing is decompressed, so a server can learn the agent and
// sequence number of a batch before (or without) decoding it. A non-nil
// error is an *Error.
func ReadHeader(b []byte, l Limits) (Header, error) {
	h, _, err := readHeader(b, l.withDefaults())
	if err != nil {
		return h, err
	}
	return h, nil
}

// readHeader reads the header of b and returns a reader at what follows.
func readHeader(b []byte, l Limits) (Header, *reader, *Error) {
	var h Header
	if len(b) > l.MaxBytes {
		return h, nil, errorf(ReasonTooLarge, "batch of %d bytes, limit %d", len(b), l.MaxBytes)
	}
	if len(b) < len(magic)+2 {
		if string(b) != magic[:min(len(b), len(magic))] {
			return h, nil, errorf(ReasonBadMagic, "batch starts %q", b)
		}
		return h, nil, errorf(ReasonTruncated, "header of %d bytes", len(b))
	}
	if string(b[:len(magic)]) != magic {
		return h, nil, errorf(ReasonBadMagic, "batch starts %q", b[:len(magic)])
	}
	h.Version, h.Flags = int(b[4]), b[5]
	if h.Version != Version {
		return h, nil, errorf(ReasonVersion, "version %d, want %d", h.Version, Version)
	}
	if h.Flags&^knownFlags != 0 {
		return h, nil, errorf(ReasonBadFlags, "flags %#02x", h.Flags)
	}
	r := &reader{b: b, off: len(magic) + 2}
	if err := readHeaderFields(r, &h, l); err != nil {
		return h, nil, err
	}
	return h, r, nil
}

func readHeaderFields(r *reader, h *Header, l Limits) *Error {
	n, ok := r.count()
	if !ok {
		return r.fail("agent length")
	}
	if n > l.MaxStringLen {
		return errorf(ReasonOverLimit, "agent id of %d bytes, limit %d", n, l.MaxStringLen)
	}
	agent, _ := r.bytes(n)
	if n == 0 || !utf8.Valid(agent) {
		return errorf(ReasonBadAgent, "agent id %q", agent)
	}
	h.Agent = string(agent)
	if h.Seq, ok = r.uvarint(); !ok {
		return r.fail("sequence number")
	}
	if h.First, ok = r.svarint(); !ok {
		return r.fail("first timestamp")
	}
	return nil
}
