package spool

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func open(t *testing.T, dir string, opts Options) *Spool {
	t.Helper()
	s, err := Open(dir, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// batch is the content spooled for seq.
func batch(seq uint64, size int) []byte {
	b := bytes.Repeat([]byte{byte(seq)}, size)
	return append(b, fmt.Sprint(seq)...)
}

func appendRange(t *testing.T, s *Spool, from, to uint64, size int) {
	t.Helper()
	for seq := from; seq <= to; seq++ {
		if err := s.Append(seq, batch(seq, size)); err != nil {
			t.Fatalf("Append(%d): %v", seq, err)
		}
	}
}

// drain replays and acknowledges everything, checking each batch, and
// returns the sequence numbers in the order replayed.
func drain(t *testing.T, s *Spool, size int) []uint64 {
	t.Helper()
	var seqs []uint64
	for range 100_000 {
		seq, b, ok, err := s.Oldest()
		if err != nil {
			t.Fatalf("Oldest: %v", err)
		}
		if !ok {
			return seqs
		}
		if !bytes.Equal(b, batch(seq, size)) {
			t.Fatalf("batch %d: got %q", seq, b)
		}
		seqs = append(seqs, seq)
		if err := s.Ack(seq); err != nil {
			t.Fatalf("Ack(%d): %v", seq, err)
		}
	}
	t.Fatal("drain did not end")
	return nil
}

func seqRange(from, to uint64) []uint64 {
	var r []uint64
	for i := from; i <= to; i++ {
		r = append(r, i)
	}
	return r
}

func TestReplayInOrder(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		size int
	}{
		{"one segment", Options{NoSync: true}, 100},
		{"many segments", Options{SegmentSize: 1000, NoSync: true}, 100},
		{"batches larger than a segment", Options{SegmentSize: 4096, NoSync: true}, 5000},
		{"fsync", Options{}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t, t.TempDir(), tt.opts)
			appendRange(t, s, 1, 50, tt.size)
			if s.Len() != 50 || s.NextSeq() != 51 {
				t.Errorf("Len, NextSeq = %d, %d; want 50, 51", s.Len(), s.NextSeq())
			}
			if diff := cmp.Diff(seqRange(1, 50), drain(t, s, tt.size)); diff != "" {
				t.Errorf("replayed (-want +got):\n%s", diff)
			}
			if s.Len() != 0 || s.NextSeq() != 51 {
				t.Errorf("after replay: Len, NextSeq = %d, %d; want 0, 51", s.Len(), s.NextSeq())
			}
		})
	}
}

func TestAck(t *testing.T) {
	s := open(t, t.TempDir(), Options{SegmentSize: 600, NoSync: true})
	appendRange(t, s, 10, 30, 100)
	steps := []struct {
		ack        uint64
		wantOldest uint64
		wantLen    int
	}{
		{5, 10, 21},  // before the first: nothing
		{12, 13, 18}, // a prefix
		{12, 13, 18}, // again: nothing
		{20, 21, 10}, // across segments
		{30, 0, 0},   // all
	}
	for _, st := range steps {
		if err := s.Ack(st.ack); err != nil {
			t.Fatalf("Ack(%d): %v", st.ack, err)
		}
		seq, _, _, err := s.Oldest()
		if err != nil || seq != st.wantOldest || s.Len() != st.wantLen {
			t.Errorf("after Ack(%d): Oldest %d, Len %d, err %v; want %d, %d", st.ack, seq, s.Len(), err, st.wantOldest, st.wantLen)
		}
	}
	if n := len(segmentsIn(t, s.dir)); n != 1 {
		t.Errorf("%d segment files after everything was acknowledged, want 1", n)
	}
	if err := s.Ack(100); err != nil || s.NextSeq() != 101 {
		t.Errorf("Ack(100) past the last: %v, NextSeq %d; want 101", err, s.NextSeq())
	}
}

func segmentsIn(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReopen(t *testing.T) {
	for _, closeFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("closed %v", closeFirst), func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{SegmentSize: 1000})
			if err != nil {
				t.Fatal(err)
			}
			appendRange(t, s, 1, 20, 100)
			if err := s.Ack(7); err != nil {
				t.Fatal(err)
			}
			if closeFirst {
				s.Close()
			} // else as after kill -9: the files stay as they are
			s2 := open(t, dir, Options{SegmentSize: 1000})
			if s2.NextSeq() != 21 || s2.Len() != 13 || s2.Corrupt() != 0 {
				t.Errorf("reopened: NextSeq %d, Len %d, Corrupt %d; want 21, 13, 0", s2.NextSeq(), s2.Len(), s2.Corrupt())
			}
			appendRange(t, s2, 21, 22, 100)
			if diff := cmp.Diff(seqRange(8, 22), drain(t, s2, 100)); diff != "" {
				t.Errorf("replayed (-want +got):\n%s", diff)
			}
		})
	}
}

// TestNextSeqSurvivesEmptySpool checks that sequence numbers never go
// back, even when every batch was acknowledged and its file removed.
func TestNextSeqSurvivesEmptySpool(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentSize: 300})
	appendRange(t, s, 1, 10, 100)
	drain(t, s, 100)
	if err := s.Ack(15); err != nil { // a batch sent without the spool
		t.Fatal(err)
	}
	s.Close()
	if s2 := open(t, dir, Options{}); s2.NextSeq() != 16 {
		t.Errorf("NextSeq after reopening = %d, want 16", s2.NextSeq())
	}
}

func TestBoundDropsOldest(t *testing.T) {
	dir := t.TempDir()
	opts := Options{MaxBytes: 20_000, SegmentSize: 2_000, NoSync: true}
	s := open(t, dir, opts)
	for seq := uint64(1); seq <= 500; seq++ {
		if err := s.Append(seq, batch(seq, 200)); err != nil {
			t.Fatal(err)
		}
		if s.Size() > opts.MaxBytes || diskSize(t, dir) > opts.MaxBytes {
			t.Fatalf("after batch %d: %d bytes (%d on disk), limit %d", seq, s.Size(), diskSize(t, dir), opts.MaxBytes)
		}
	}
	kept := s.Len()
	if kept == 0 || s.Dropped() != uint64(500-kept) {
		t.Fatalf("Len %d, Dropped %d; want some kept and the rest of 500 dropped", kept, s.Dropped())
	}
	s.Close()
	s2 := open(t, dir, opts)
	if s2.Dropped() != uint64(500-kept) || s2.Len() != kept {
		t.Errorf("reopened: Dropped %d, Len %d; want %d, %d", s2.Dropped(), s2.Len(), 500-kept, kept)
	}
	if diff := cmp.Diff(seqRange(uint64(500-kept+1), 500), drain(t, s2, 200)); diff != "" {
		t.Errorf("replayed (-want +got):\n%s", diff)
	}
}

func diskSize(t *testing.T, dir string) int64 {
	t.Helper()
	var n int64
	for _, p := range segmentsIn(t, dir) {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		n += st.Size()
	}
	return n
}

func TestShrunkMaxBytes(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentSize: 1000, NoSync: true})
	appendRange(t, s, 1, 100, 100)
	s.Close()
	s2 := open(t, dir, Options{MaxBytes: 5000, SegmentSize: 1000})
	if s2.Size() > 5000 || s2.Dropped() == 0 || s2.Len()+int(s2.Dropped()) != 100 {
		t.Errorf("reopened smaller: Size %d, Dropped %d, Len %d", s2.Size(), s2.Dropped(), s2.Len())
	}
}

func TestAppendErrors(t *testing.T) {
	s := open(t, t.TempDir(), Options{MaxBytes: 10_000, NoSync: true})
	appendRange(t, s, 5, 5, 10)
	tests := []struct {
		name string
		seq  uint64
		size int
		want error
	}{
		{"same seq", 5, 10, ErrSeq},
		{"older seq", 4, 10, ErrSeq},
		{"larger than the spool", 6, 10_000, ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.Append(tt.seq, batch(tt.seq, tt.size)); !errors.Is(err, tt.want) {
				t.Errorf("Append: %v, want %v", err, tt.want)
			}
		})
	}
	s.Close()
	if err := s.Append(9, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v, want %v", err, ErrClosed)
	}
	if _, _, _, err := s.Oldest(); !errors.Is(err, ErrClosed) {
		t.Errorf("Oldest after Close: %v, want %v", err, ErrClosed)
	}
}

func TestEmptyBatch(t *testing.T) {
	s := open(t, t.TempDir(), Options{NoSync: true})
	if err := s.Append(1, nil); err != nil {
		t.Fatal(err)
	}
	seq, b, ok, err := s.Oldest()
	if err != nil || !ok || seq != 1 || len(b) != 0 {
		t.Errorf("Oldest = %d, %q, %v, %v; want 1, empty, true, nil", seq, b, ok, err)
	}
	if s.Len() != 1 {
		t.Errorf("Len = %d, want 1", s.Len())
	}
}
