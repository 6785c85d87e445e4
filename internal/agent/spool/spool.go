// Package spool keeps an agent's batches on disk until the server
// acknowledges them, so that an outage of the server leaves no gap: the
// agent appends every batch, sends the oldest first, and acknowledges
// what the server took; after a restart, what was not acknowledged is
// still there, in order, and sequence numbers continue where they were.
//
// The spool is a directory of segment files, each named after the
// sequence number of its first record (00000000000000000042.seg) and
// holding an 8-byte header and records [len u32][crc u32][seq u64][data]
// (little endian, crc the CRC-32C of len, seq and data), and a small
// file "state" with what was acknowledged and the counts of dropped and
// corrupt records. A record torn by a crash is found by its length and
// CRC when the spool is opened, cut off and counted, never a crash.
//
// The spool never takes more than MaxBytes on disk: when an Append would
// go over, it drops the oldest segment, and counts the batches it held
// (Dropped). One process at a time may use a directory.
package spool

import (
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"sync"
)

// Options configure a Spool. Zero fields take their defaults.
type Options struct {
	// MaxBytes bounds the bytes of all segment files; default 256 MiB.
	MaxBytes int64
	// SegmentSize is the size at which a new segment file is started, and
	// so how much is dropped at once when the spool is full; default
	// MaxBytes/16 (at least 4 KiB and at most MaxBytes).
	SegmentSize int64
	// NoSync skips the fsync after each Append. It is faster, but a crash
	// of the machine may lose the last batches appended.
	NoSync bool
}

// DefaultMaxBytes is the default of Options.MaxBytes.
const DefaultMaxBytes = 256 << 20

func (o Options) withDefaults() Options {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.SegmentSize <= 0 {
		o.SegmentSize = max(o.MaxBytes/16, 4096)
	}
	o.SegmentSize = min(o.SegmentSize, o.MaxBytes)
	return o
}

// Errors of Append, checked with errors.Is.
var (
	ErrTooLarge = errors.New("batch larger than the spool")
	ErrSeq      = errors.New("sequence number not after the last")
	ErrClosed   = errors.New("spool closed")
)

// Spool is an on-disk queue of batches. It is safe for concurrent use.
type Spool struct {
	dir  string
	opts Options

	mu      sync.Mutex // protects the fields below
	segs    []*segment // oldest first; the last takes appends
	headOff int64      // offset in segs[0] of the oldest record not acknowledged
	live    int        // records not acknowledged
	bytes   int64      // sum of the segments' sizes
	next    uint64     // the lowest sequence number Append takes
	sf      *stateFile
	st      state
	closed  bool
}

// Open opens the spool in dir, making dir if needed, and repairs what a
// crash left: torn records are cut off and counted (Corrupt).
func Open(dir string, opts Options) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("opening spool: %w", err)
	}
	sf, st, err := openState(dir)
	if err != nil {
		return nil, fmt.Errorf("opening spool: %w", err)
	}
	s := &Spool{dir: dir, opts: opts.withDefaults(), sf: sf, st: st}
	if err := s.load(); err != nil {
		s.closeFiles()
		return nil, fmt.Errorf("opening spool %s: %w", dir, err)
	}
	return s, nil
}

// Append adds batch, numbered seq, after the others. seq must not be
// below NextSeq. When the spool is full, the oldest segment is dropped to
// make room. Unless Options.NoSync, the batch is on disk when Append
// returns.
func (s *Spool) Append(seq uint64, batch []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := int64(recordHeader + len(batch))
	switch {
	case s.closed:
		return fmt.Errorf("spooling batch %d: %w", seq, ErrClosed)
	case seq < s.next:
		return fmt.Errorf("spooling batch %d: %w (next is %d)", seq, ErrSeq, s.next)
	case rec+int64(len(segmentMagic)) > s.opts.MaxBytes || len(batch) > math.MaxUint32:
		return fmt.Errorf("spooling batch %d of %d bytes: %w", seq, len(batch), ErrTooLarge)
	}
	if err := s.makeRoomLocked(rec + int64(len(segmentMagic))); err != nil {
		return fmt.Errorf("spooling batch %d: %w", seq, err)
	}
	seg, err := s.activeLocked(seq, rec)
	if err != nil {
		return fmt.Errorf("spooling batch %d: %w", seq, err)
	}
	if err := s.writeLocked(seg, seq, batch); err != nil {
		return fmt.Errorf("spooling batch %d: %w", seq, err)
	}
	return nil
}

// writeLocked writes the record of seq and batch at the end of seg.
func (s *Spool) writeLocked(seg *segment, seq uint64, batch []byte) error {
	buf := appendRecord(make([]byte, 0, recordHeader+len(batch)), seq, batch)
	_, err := seg.f.WriteAt(buf, seg.size)
	if err == nil && !s.opts.NoSync {
		err = seg.f.Sync()
	}
	if err != nil {
		return errors.Join(err, seg.f.Truncate(seg.size))
	}
	if s.live == 0 {
		s.headOff = seg.size
	}
	seg.size += int64(len(buf))
	seg.records++
	seg.last = seq
	s.bytes += int64(len(buf))
	s.live++
	s.next = seq + 1
	return nil
}

// activeLocked returns the segment to append a record of rec bytes
// numbered seq to, starting a new one when the last is full.
func (s *Spool) activeLocked(seq uint64, rec int64) (*segment, error) {
	if n := len(s.segs); n > 0 {
		last := s.segs[n-1]
		if last.size+rec <= s.opts.SegmentSize || last.records == 0 {
			return last, nil
		}
		if s.live == 0 { // all acknowledged: the new segment takes its place
			if err := s.dropHeadLocked(0); err != nil {
				return nil, err
			}
		}
	}
	seg, err := createSegment(s.dir, seq, !s.opts.NoSync)
	if err != nil {
		return nil, err
	}
	if len(s.segs) == 0 {
		s.headOff = seg.size
	}
	s.segs = append(s.segs, seg)
	s.bytes += seg.size
	return seg, nil
}

// makeRoomLocked drops the oldest segments until need more bytes fit
// within MaxBytes, and counts the batches they held as dropped. Append
// asks room for a record and a new segment's header, in case.
func (s *Spool) makeRoomLocked(need int64) error {
	for len(s.segs) > 0 && s.bytes+need > s.opts.MaxBytes {
		if err := s.dropHeadLocked(s.liveInHeadLocked()); err != nil {
			return err
		}
	}
	return nil
}

// liveInHeadLocked returns the records of segs[0] not acknowledged: all
// the live ones but those of later segments, which are all live.
func (s *Spool) liveInHeadLocked() int {
	n := s.live
	for _, seg := range s.segs[1:] {
		n -= seg.records
	}
	return n
}

// dropHeadLocked removes segs[0], which holds live records not yet
// acknowledged, counting them as dropped. The state is on disk before
// the file goes, so that no sequence number is ever reused.
func (s *Spool) dropHeadLocked(live int) error {
	seg := s.segs[0]
	s.st.dropped += uint64(live)
	s.st.consumed = max(s.st.consumed, seg.last)
	if err := s.sf.write(s.st, true); err != nil {
		return err
	}
	s.segs = slices.Delete(s.segs, 0, 1)
	s.live -= live
	s.bytes -= seg.size
	s.headOff = int64(len(segmentMagic))
	if len(s.segs) == 0 {
		s.headOff = 0
	}
	return seg.remove()
}
