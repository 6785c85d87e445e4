package spool

import (
	"bufio"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// segment is one file of records, named after the seq of its first.
type segment struct {
	path    string
	f       *os.File
	size    int64  // bytes of its header and valid records
	records int    // valid records
	last    uint64 // seq of the last record; 0 if none
}

func segmentName(first uint64) string { return fmt.Sprintf("%020d.seg", first) }

// parseSegmentName returns the seq in a segment's file name.
func parseSegmentName(name string) (uint64, bool) {
	num, ok := strings.CutSuffix(name, ".seg")
	if !ok || len(num) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(num, 10, 64)
	return n, err == nil
}

// createSegment makes an empty segment whose first record will be seq.
func createSegment(dir string, seq uint64, sync bool) (*segment, error) {
	path := filepath.Join(dir, segmentName(seq))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("creating spool segment: %w", err)
	}
	_, err = f.Write([]byte(segmentMagic))
	if err == nil && sync {
		err = f.Sync()
	}
	if err == nil && sync {
		err = syncDir(dir)
	}
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("creating spool segment: %w", err)
	}
	return &segment{path: path, f: f, size: int64(len(segmentMagic))}, nil
}

// scanned is what reading a segment at Open found.
type scanned struct {
	firstLive int64 // offset of the first record after consumed; -1 if none
	live      int   // records after consumed
	torn      bool  // a bad record was found and cut off
}

// openSegment opens a segment and checks its records: each must be whole,
// match its CRC and come after prev. The first bad one and all after it
// are cut off. A nil segment means the file is not a segment at all.
func openSegment(path string, prev, consumed uint64) (*segment, scanned, error) {
	sc := scanned{firstLive: -1}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, sc, fmt.Errorf("opening spool segment: %w", err)
	}
	s := &segment{path: path, f: f, last: prev}
	br := bufio.NewReaderSize(f, 64<<10)
	magic := make([]byte, len(segmentMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != segmentMagic {
		f.Close()
		return nil, sc, nil
	}
	s.size = int64(len(magic))
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, sc, fmt.Errorf("opening spool segment: %w", err)
	}
	for s.scanRecord(br, st.Size(), consumed, &sc) {
	}
	if s.size < st.Size() {
		sc.torn = true
		if err := f.Truncate(s.size); err != nil {
			f.Close()
			return nil, sc, fmt.Errorf("repairing spool segment: %w", err)
		}
	}
	return s, sc, nil
}

// scanRecord reads the record at s.size and reports whether it is good;
// if so, it is added to s and sc.
func (s *segment) scanRecord(br *bufio.Reader, fileSize int64, consumed uint64, sc *scanned) bool {
	var hdr [recordHeader]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return false
	}
	n, crc, seq := parseHeader(hdr[:])
	if int64(n) > fileSize-s.size-recordHeader || seq <= s.last {
		return false
	}
	h := crc32.New(castagnoli())
	h.Write(hdr[0:4])
	h.Write(hdr[8:16])
	if _, err := io.CopyN(h, br, int64(n)); err != nil || h.Sum32() != crc {
		return false
	}
	if seq > consumed {
		if sc.firstLive < 0 {
			sc.firstLive = s.size
		}
		sc.live++
	}
	s.size += recordHeader + int64(n)
	s.records++
	s.last = seq
	return true
}

// readHeaderAt returns the data length and seq of the record at off.
func (s *segment) readHeaderAt(off int64) (int64, uint64, error) {
	var hdr [recordHeader]byte
	if _, err := s.f.ReadAt(hdr[:], off); err != nil {
		return 0, 0, fmt.Errorf("reading spool record: %w", err)
	}
	n, _, seq := parseHeader(hdr[:])
	return int64(n), seq, nil
}

// errCorrupt says a record read back does not match its CRC.
var errCorrupt = errors.New("record does not match its checksum")

// readAt returns the seq and data of the record at off.
func (s *segment) readAt(off int64) (uint64, []byte, error) {
	var hdr [recordHeader]byte
	if _, err := s.f.ReadAt(hdr[:], off); err != nil {
		return 0, nil, fmt.Errorf("reading spool record: %w", err)
	}
	n, crc, seq := parseHeader(hdr[:])
	if int64(n) > s.size-off-recordHeader {
		return 0, nil, fmt.Errorf("reading spool record at %s:%d: %w", s.path, off, errCorrupt)
	}
	data := make([]byte, n)
	if _, err := s.f.ReadAt(data, off+recordHeader); err != nil {
		return 0, nil, fmt.Errorf("reading spool record: %w", err)
	}
	if recordCRC(hdr[:], data) != crc {
		return 0, nil, fmt.Errorf("reading spool record at %s:%d: %w", s.path, off, errCorrupt)
	}
	return seq, data, nil
}

// remove closes and deletes the segment's file.
func (s *segment) remove() error {
	err := s.f.Close()
	if rerr := os.Remove(s.path); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if err != nil {
		return fmt.Errorf("removing spool segment: %w", err)
	}
	return nil
}
