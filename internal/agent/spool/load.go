package spool

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// load reads the segments in s.dir at Open.
func (s *Spool) load() error {
	firsts, err := segmentFiles(s.dir)
	if err != nil {
		return err
	}
	var dead []*segment
	prev := uint64(0)
	for _, first := range firsts {
		path := filepath.Join(s.dir, segmentName(first))
		seg, sc, err := openSegment(path, prev, s.st.consumed)
		if err != nil {
			return err
		}
		if seg == nil || sc.torn {
			s.st.corrupt++
		}
		if seg == nil {
			if err := os.Remove(path); err != nil {
				return fmt.Errorf("removing bad spool segment: %w", err)
			}
			continue
		}
		prev = seg.last
		s.next = max(s.next, seg.last+1)
		if sc.live == 0 {
			dead = append(dead, seg)
			continue
		}
		if len(s.segs) == 0 {
			s.headOff = sc.firstLive
		}
		s.segs = append(s.segs, seg)
		s.live += sc.live
		s.bytes += seg.size
	}
	return s.settle(dead)
}

// settle finishes load: it makes the state durable, removes the segments
// with nothing to keep, and drops what MaxBytes no longer allows.
func (s *Spool) settle(dead []*segment) error {
	s.next = max(s.next, s.st.consumed+1)
	if err := s.sf.write(s.st, true); err != nil {
		return err
	}
	if err := syncDir(s.dir); err != nil { // the state file may be new
		return err
	}
	for _, seg := range dead {
		if err := seg.remove(); err != nil {
			return err
		}
	}
	return s.makeRoomLocked(0)
}

// segmentFiles returns the first sequence numbers of the segment files
// in dir, in order.
func segmentFiles(dir string) ([]uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("listing spool: %w", err)
	}
	var firsts []uint64
	for _, e := range entries {
		if n, ok := parseSegmentName(e.Name()); ok && e.Type().IsRegular() {
			firsts = append(firsts, n)
		}
	}
	slices.Sort(firsts)
	return firsts, nil
}
