package spool

import (
	"errors"
	"fmt"
	"slices"
)

// Oldest returns the oldest batch not acknowledged, with its sequence
// number; ok is false when there is none. The batch is the caller's. A
// record found corrupt now (the disk changed under the spool) is
// reported with an error once, and the rest of its segment is dropped
// and counted, so the next call goes on.
func (s *Spool) Oldest() (seq uint64, batch []byte, ok bool, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, nil, false, fmt.Errorf("reading spool: %w", ErrClosed)
	}
	if s.live == 0 {
		return 0, nil, false, nil
	}
	seq, batch, err = s.segs[0].readAt(s.headOff)
	if errors.Is(err, errCorrupt) {
		s.st.corrupt++
		if derr := s.dropHeadLocked(s.liveInHeadLocked()); derr != nil {
			err = errors.Join(err, derr)
		}
	}
	if err != nil {
		return 0, nil, false, err
	}
	return seq, batch, true, nil
}

// Ack says the server has every batch up to seq: they are removed. It
// may name a sequence number never appended (a batch sent without the
// spool), which NextSeq then goes past.
func (s *Spool) Ack(seq uint64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return fmt.Errorf("acknowledging batch %d: %w", seq, ErrClosed)
	}
	if seq <= s.st.consumed {
		return nil
	}
	s.st.consumed = seq
	s.next = max(s.next, seq+1)
	done, err := s.advanceLocked(seq)
	if err == nil {
		// Only removing files needs the new state on disk first; otherwise
		// losing it replays batches already acknowledged, which is harmless.
		err = s.sf.write(s.st, len(done) > 0)
	}
	for _, seg := range done {
		if err == nil {
			err = seg.remove()
		}
	}
	if err != nil {
		return fmt.Errorf("acknowledging batch %d: %w", seq, err)
	}
	return nil
}

// advanceLocked moves the head past the records up to seq and returns
// the segments left with no record to keep, to be removed.
func (s *Spool) advanceLocked(seq uint64) ([]*segment, error) {
	var done []*segment
	for s.live > 0 {
		head := s.segs[0]
		n, rseq, err := head.readHeaderAt(s.headOff)
		if err != nil {
			return done, err
		}
		if rseq > seq {
			break
		}
		s.headOff += recordHeader + n
		s.live--
		if s.headOff >= head.size && len(s.segs) > 1 {
			done = append(done, head)
			s.segs = slices.Delete(s.segs, 0, 1)
			s.bytes -= head.size
			s.headOff = int64(len(segmentMagic))
		}
	}
	return done, nil
}

// NextSeq returns the sequence number for the next batch: one past the
// highest ever appended or acknowledged, across restarts.
func (s *Spool) NextSeq() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next
}

// Len returns the number of batches not acknowledged.
func (s *Spool) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.live
}

// Size returns the bytes the spool's segment files take.
func (s *Spool) Size() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bytes
}

// Dropped returns how many batches were dropped, ever, to keep within
// MaxBytes (or because the disk corrupted them), so the agent can tell
// the server what is missing.
func (s *Spool) Dropped() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.dropped
}

// Corrupt returns how many torn or corrupt records, segment files or
// state files were found and repaired, ever.
func (s *Spool) Corrupt() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.corrupt
}

// Close writes the state to disk and closes the files. The Spool cannot
// be used after.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.sf.write(s.st, true)
	return errors.Join(err, s.closeFiles())
}

func (s *Spool) closeFiles() error {
	err := s.sf.close()
	for _, seg := range s.segs {
		err = errors.Join(err, seg.f.Close())
	}
	return err
}
