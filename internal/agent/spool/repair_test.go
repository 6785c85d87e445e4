package spool

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// lastSegment returns the path and size of the newest segment in dir.
func lastSegment(t *testing.T, dir string) (string, int64) {
	t.Helper()
	segs := segmentsIn(t, dir)
	if len(segs) == 0 {
		t.Fatal("no segment")
	}
	p := segs[len(segs)-1]
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return p, st.Size()
}

// TestTornWrite damages the end of the newest segment as a crash or the
// disk could, and checks that Open cuts it off, counts it, and goes on.
func TestTornWrite(t *testing.T) {
	const size = 100
	rec := int64(recordHeader + size + 2) // batch(seq, 100) for a two-digit seq
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string, n int64)
		wantLen int
	}{
		{"cut in the data", func(t *testing.T, p string, n int64) { truncate(t, p, n-10) }, 19},
		{"cut in the header", func(t *testing.T, p string, n int64) { truncate(t, p, n-rec+5) }, 19},
		{"cut after the length", func(t *testing.T, p string, n int64) { truncate(t, p, n-rec+4) }, 19},
		{"data flipped", func(t *testing.T, p string, n int64) { flip(t, p, n-3) }, 19},
		{"seq flipped", func(t *testing.T, p string, n int64) { flip(t, p, n-rec+9) }, 19},
		{"length grown", func(t *testing.T, p string, n int64) { flip(t, p, n-rec+1) }, 19},
		{"an earlier record flipped", func(t *testing.T, p string, n int64) { flip(t, p, n-rec-3) }, 18},
		{"garbage after the last", func(t *testing.T, p string, n int64) { appendTo(t, p, []byte("garbage!garbage!garbage!")) }, 20},
		{"zeros after the last", func(t *testing.T, p string, n int64) { appendTo(t, p, make([]byte, 4096)) }, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := Open(dir, Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			appendRange(t, s, 11, 30, size)
			p, n := lastSegment(t, dir)
			tt.damage(t, p, n) // while the spool is open: as after kill -9
			s2 := open(t, dir, Options{})
			if s2.Len() != tt.wantLen || s2.Corrupt() != 1 || s2.NextSeq() != uint64(11+tt.wantLen) {
				t.Fatalf("reopened: Len %d, Corrupt %d, NextSeq %d; want %d, 1, %d",
					s2.Len(), s2.Corrupt(), s2.NextSeq(), tt.wantLen, 11+tt.wantLen)
			}
			next := s2.NextSeq()
			appendRange(t, s2, next, next, size)
			s2.Close()
			s3 := open(t, dir, Options{})
			if s3.Corrupt() != 1 {
				t.Errorf("a third open found new damage: Corrupt %d", s3.Corrupt())
			}
			want := append(seqRange(11, uint64(10+tt.wantLen)), next)
			if diff := cmp.Diff(want, drain(t, s3, size)); diff != "" {
				t.Errorf("replayed (-want +got):\n%s", diff)
			}
		})
	}
}

func truncate(t *testing.T, p string, n int64) {
	t.Helper()
	if err := os.Truncate(p, n); err != nil {
		t.Fatal(err)
	}
}

func flip(t *testing.T, p string, off int64) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0x40
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, p string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

func TestBadFiles(t *testing.T) {
	tests := []struct {
		name        string
		file        string
		content     []byte
		wantCorrupt uint64
	}{
		{"segment torn at creation", segmentName(40), []byte("PKS"), 1},
		{"segment of another format", segmentName(40), []byte("not a spool segment at all"), 1},
		{"empty segment", segmentName(40), []byte(segmentMagic), 0},
		{"state torn", stateName, []byte("PKST"), 1},
		{"state with bad crcs", stateName, append([]byte(stateMagic), make([]byte, 2*slotSize)...), 1},
		{"foreign file", "notes.txt", []byte("hello"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, dir, Options{NoSync: true})
			appendRange(t, s, 1, 3, 10)
			s.Close()
			if err := os.WriteFile(filepath.Join(dir, tt.file), tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			s2 := open(t, dir, Options{})
			if s2.Corrupt() != tt.wantCorrupt {
				t.Errorf("Corrupt = %d, want %d", s2.Corrupt(), tt.wantCorrupt)
			}
			appendRange(t, s2, 50, 50, 10)
			got := drain(t, s2, 10)
			if got[len(got)-1] != 50 {
				t.Errorf("replayed %v, want it to end with 50", got)
			}
		})
	}
}

// TestCorruptAtRead damages a record after Open: Oldest reports it once,
// drops the rest of that segment, and the next call goes on.
func TestCorruptAtRead(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, Options{SegmentSize: 500, NoSync: true})
	appendRange(t, s, 1, 10, 100)
	flip(t, segmentsIn(t, dir)[0], int64(len(segmentMagic)+recordHeader+5))
	if _, _, _, err := s.Oldest(); err == nil {
		t.Fatal("Oldest of a damaged record: no error")
	}
	seq, _, ok, err := s.Oldest()
	if err != nil || !ok || seq <= 1 || s.Corrupt() != 1 || s.Dropped() == 0 {
		t.Errorf("then Oldest = %d, %v, %v; Corrupt %d, Dropped %d", seq, ok, err, s.Corrupt(), s.Dropped())
	}
}

// TestConcurrent appends from one goroutine while another replays and
// acknowledges, as the agent does; run it with -race.
func TestConcurrent(t *testing.T) {
	const n = 300
	s := open(t, t.TempDir(), Options{SegmentSize: 2000, NoSync: true})
	var wg sync.WaitGroup
	wg.Go(func() {
		for seq := uint64(1); seq <= n; seq++ {
			if err := s.Append(seq, batch(seq, 50)); err != nil {
				t.Errorf("Append(%d): %v", seq, err)
				return
			}
		}
	})
	var got []uint64
	for i := 0; i < 1_000_000 && len(got) < n; i++ {
		seq, b, ok, err := s.Oldest()
		if err != nil {
			t.Fatalf("Oldest: %v", err)
		}
		if !ok {
			continue
		}
		if string(b[50:]) != fmt.Sprint(seq) {
			t.Fatalf("batch %d: got %q", seq, b)
		}
		got = append(got, seq)
		if err := s.Ack(seq); err != nil {
			t.Fatalf("Ack(%d): %v", seq, err)
		}
	}
	wg.Wait()
	if diff := cmp.Diff(seqRange(1, n), got); diff != "" {
		t.Errorf("replayed (-want +got):\n%s", diff)
	}
}

// FuzzOpen opens a spool whose segment holds anything: Open must repair
// it, and the spool must work after.
func FuzzOpen(f *testing.F) {
	valid := appendRecord(appendRecord([]byte(segmentMagic), 1, []byte("one")), 2, []byte("two"))
	f.Add(valid)
	f.Add(valid[:len(valid)-1])
	f.Add([]byte(segmentMagic))
	f.Fuzz(func(t *testing.T, content []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, segmentName(1)), content, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(dir, Options{MaxBytes: 1 << 16, NoSync: true})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		defer s.Close()
		next := s.NextSeq()
		if err := s.Append(next, []byte("new")); err != nil {
			t.Fatalf("Append: %v", err)
		}
		var last uint64
		for range 100_000 {
			seq, _, ok, err := s.Oldest()
			if err != nil || !ok {
				break
			}
			if seq <= last {
				t.Fatalf("replayed %d after %d", seq, last)
			}
			last = seq
			if err := s.Ack(seq); err != nil {
				t.Fatal(err)
			}
		}
		if last != next {
			t.Errorf("the last batch replayed is %d, want %d", last, next)
		}
	})
}

// TestStateSlotTorn spoils the state slot written last, as a crash in its
// write could: the one before is used, and nothing is counted as lost.
func TestStateSlotTorn(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	appendRange(t, s, 1, 10, 10)
	for _, seq := range []uint64{3, 5} {
		if err := s.Ack(seq); err != nil {
			t.Fatal(err)
		}
	}
	last := int64(s.sf.gen%2) * int64(slotSize)
	flip(t, filepath.Join(dir, stateName), last+20) // in its consumed
	s2 := open(t, dir, Options{})
	seq, _, _, err := s2.Oldest()
	if err != nil || seq != 4 || s2.Corrupt() != 0 || s2.NextSeq() != 11 {
		t.Errorf("reopened: Oldest %d, %v, Corrupt %d, NextSeq %d; want 4 (the Ack before), 0, 11", seq, err, s2.Corrupt(), s2.NextSeq())
	}
}
