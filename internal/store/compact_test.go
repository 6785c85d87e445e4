package store

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fillSeconds appends, every second for secs seconds, a constant gauge
// and a counter that grows by an odd amount each second.
func fillSeconds(t *testing.T, s *Store, secs int) {
	t.Helper()
	for sec := range secs {
		mustAppend(t, s,
			Sample{Labels: series(MetricName, "flat", "host", "a"), T: at(sec), V: 42},
			Sample{Labels: series(MetricName, "grows_total", "host", "a"), T: at(sec), V: float64(sec * 7)},
		)
	}
}

// blockMeta is the part of a block's meta.json the tests read.
type blockMeta struct {
	Stats struct {
		NumSamples, NumSeries, NumChunks int
	}
}

// readBlocks returns the meta.json of every block in dir and the bytes of
// their chunks/ files.
func readBlocks(t *testing.T, dir string) (metas []blockMeta, chunkBytes int64) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*", "meta.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m blockMeta
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		metas = append(metas, m)
		segs, _ := filepath.Glob(filepath.Join(filepath.Dir(f), "chunks", "*"))
		for _, seg := range segs {
			fi, err := os.Stat(seg)
			if err != nil {
				t.Fatal(err)
			}
			chunkBytes += fi.Size() - 8 // the segment header
		}
	}
	return metas, chunkBytes
}

func TestCompact(t *testing.T) {
	tests := []struct {
		name    string
		secs    int
		reopen  bool // close and reopen before Compact: the samples come from the WAL
		samples int  // in the block; 0: no block
		series  int
	}{
		{name: "empty head", secs: 0},
		{name: "ten minutes", secs: 600, samples: 1200, series: 2},
		{name: "replayed from the log", secs: 300, reopen: true, samples: 600, series: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			s := openStore(t, Options{Dir: dir})
			fillSeconds(t, s, tc.secs)
			if tc.reopen {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				s = openStore(t, Options{Dir: dir})
			}
			if err := s.Compact(ctx); err != nil {
				t.Fatalf("Compact: %v", err)
			}
			metas, _ := readBlocks(t, dir)
			if tc.samples == 0 {
				if len(metas) != 0 {
					t.Fatalf("blocks: got %d, want none", len(metas))
				}
				return
			}
			if len(metas) != 1 {
				t.Fatalf("blocks: got %d, want 1", len(metas))
			}
			if got := metas[0].Stats; got.NumSamples != tc.samples || got.NumSeries != tc.series {
				t.Errorf("meta.json: got %d samples of %d series, want %d of %d", got.NumSamples, got.NumSeries, tc.samples, tc.series)
			}
			if n := s.Stats().HeadSeries; n != 0 {
				t.Errorf("head series after Compact: got %d, want 0", n)
			}
			checkQueryable(t, s, tc.secs)
		})
	}
}

// checkQueryable checks that the newest samples of fillSeconds answer a
// query once they are in a block.
func checkQueryable(t *testing.T, s *Store, secs int) {
	t.Helper()
	got, err := s.Query(context.Background(), `sum(flat) + sum(grows_total)`, at(secs-1))
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	want := Value{Type: ValueVector, Vector: []Sample{{series(), at(secs - 1), 42 + float64((secs-1)*7)}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Query after Compact (-want +got):\n%s", diff)
	}
}

func TestCompactTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, Options{Dir: dir})
	fillSeconds(t, s, 120)
	for range 2 {
		if err := s.Compact(ctx); err != nil {
			t.Fatalf("Compact: %v", err)
		}
	}
	if metas, _ := readBlocks(t, dir); len(metas) != 1 {
		t.Fatalf("blocks after compacting twice: got %d, want 1", len(metas))
	}
	// The head now starts after the block: older samples are skipped.
	mustAppend(t, s, Sample{Labels: series(MetricName, "flat", "host", "a"), T: at(10), V: 1})
	if got := s.Stats().SamplesSkipped; got != 1 {
		t.Errorf("skipped: got %d, want 1", got)
	}
}

func TestCompactCanceled(t *testing.T) {
	s := openStore(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Compact(ctx); err == nil {
		t.Fatal("Compact with a canceled context: got no error")
	}
}

func TestChunkBytes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, Options{Dir: dir})
	fillSeconds(t, s, 600)
	if err := s.Compact(ctx); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	got, err := s.ChunkBytes(ctx)
	if err != nil {
		t.Fatalf("ChunkBytes: %v", err)
	}
	metas, chunkBytes := readBlocks(t, dir)
	var sum int64
	for _, f := range got {
		sum += f.Bytes
	}
	if sum != chunkBytes {
		t.Errorf("bytes: got %d over all names, the chunk files hold %d", sum, chunkBytes)
	}
	names := make([]string, len(got))
	var samples, chunkCount int
	for i, f := range got {
		names[i], samples, chunkCount = f.Name, samples+f.Samples, chunkCount+f.Chunks
	}
	if diff := cmp.Diff([]string{"flat", "grows_total"}, names); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if st := metas[0].Stats; samples != st.NumSamples || chunkCount != st.NumChunks {
		t.Errorf("got %d samples in %d chunks, meta.json says %d in %d", samples, chunkCount, st.NumSamples, st.NumChunks)
	}
}
