package wire

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
)

// TableID names a series table: the first 8 bytes of the SHA-256 of the
// table section as sent.
type TableID [8]byte

func tableID(sent []byte) TableID {
	sum := sha256.Sum256(sent)
	return TableID(sum[:8])
}

// sections are the parts of a batch after its header, as sent.
type sections struct {
	id       TableID
	ref      bool // the table is a reference: only id is set
	table    []byte
	tableLen int // decoded length of table
	tableOff int // where the table section starts in the batch
	data     []byte
	dataLen  int
	dataOff  int // where the data section starts in the batch
}

// readSections reads the table and data sections that r is at.
func readSections(r *reader, h Header, l Limits) (sections, *Error) {
	var s sections
	s.tableOff = r.off
	if h.Flags&FlagTableRef != 0 {
		id, ok := r.bytes(len(s.id))
		if !ok {
			return s, r.fail("table reference")
		}
		s.id, s.ref = TableID(id), true
	} else if err := s.readTable(r, h, l); err != nil {
		return s, err
	}
	s.dataOff = r.off
	n, ok := r.uvarint()
	if !ok {
		return s, r.fail("data length")
	}
	if n > uint64(l.MaxDecoded-s.tableLen) {
		return s, errorf(ReasonTooLarge, "table and data of %d+%d bytes, limit %d", s.tableLen, n, l.MaxDecoded)
	}
	s.dataLen, s.data = int(n), r.b[r.off:]
	return s, checkRaw(h, "data", s.dataLen, len(s.data))
}

func (s *sections) readTable(r *reader, h Header, l Limits) *Error {
	n, ok := r.uvarint()
	if !ok {
		return r.fail("table length")
	}
	if n > uint64(l.MaxDecoded) {
		return errorf(ReasonTooLarge, "table of %d bytes, limit %d", n, l.MaxDecoded)
	}
	sent, ok := r.count()
	if !ok {
		return r.fail("table")
	}
	s.table, _ = r.bytes(sent)
	s.tableLen = int(n)
	s.id = tableID(s.table)
	return checkRaw(h, "table", s.tableLen, sent)
}

// checkRaw checks that an uncompressed section is as long as it says.
func checkRaw(h Header, what string, n, sent int) *Error {
	if h.Flags&FlagZstd != 0 || n == sent {
		return nil
	}
	reason := ReasonCorrupt
	if sent < n {
		reason = ReasonTruncated
	}
	return errorf(reason, "%s of %d bytes, header says %d", what, sent, n)
}

// unlimited lets the agent's own helpers read batches of any size.
func unlimited() Limits {
	return Limits{MaxBytes: math.MaxInt, MaxDecoded: math.MaxInt, MaxStringLen: math.MaxInt}.withDefaults()
}

// TableOf returns the id of the series table of batch b, which may carry
// the table or a reference to it.
func TableOf(b []byte) (TableID, error) {
	h, r, err := readHeader(b, unlimited())
	if err != nil {
		return TableID{}, fmt.Errorf("reading table id: %w", err)
	}
	s, err := readSections(r, h, unlimited())
	if err != nil {
		return TableID{}, fmt.Errorf("reading table id: %w", err)
	}
	return s.id, nil
}

// WithTableRef returns a copy of batch b in which the series table is
// replaced by a reference to it, an 8-byte TableID. A receiver decodes
// it only if its Tables remember that table; otherwise it refuses it
// with ReasonUnknownTable, and the sender sends b itself. Since the
// series of an agent rarely change, a sender that has seen the receiver
// accept a batch with the same TableOf can send every later one so, and
// spend on the wire only what the data costs.
func WithTableRef(b []byte) ([]byte, error) {
	h, r, err := readHeader(b, unlimited())
	if err != nil {
		return nil, fmt.Errorf("referring to table: %w", err)
	}
	s, err := readSections(r, h, unlimited())
	if err != nil {
		return nil, fmt.Errorf("referring to table: %w", err)
	}
	if s.ref {
		return append([]byte(nil), b...), nil
	}
	h.Flags |= FlagTableRef
	out := appendHeader(make([]byte, 0, s.tableOff+len(s.id)+len(b)-s.dataOff), h)
	out = append(out, s.id[:]...)
	return append(out, b[s.dataOff:]...), nil
}

// appendSections appends the table and data sections, as sent.
func appendSections(b []byte, table []byte, tableLen int, data []byte, dataLen int) []byte {
	b = binary.AppendUvarint(b, uint64(tableLen))
	b = binary.AppendUvarint(b, uint64(len(table)))
	b = append(b, table...)
	b = binary.AppendUvarint(b, uint64(dataLen))
	return append(b, data...)
}
