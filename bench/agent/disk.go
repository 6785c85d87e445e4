package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/store"
)

// diskResult is part 3 for one TSDB: the block its head was compacted
// into, and the chunk bytes of the block by metric name.
type diskResult struct {
	what            string // the data, for the table
	blocks          int
	series          int           // in the blocks, from their meta.json
	samples         uint64        // in the blocks, from their meta.json
	chunkBytes, idx int64         // chunks/* and index files of the blocks
	span            time.Duration // from the oldest sample to the newest
	families        []store.FamilyBytes
}

// compactDir opens the TSDB in dir (replaying its write-ahead log),
// compacts its head into a block with store.Compact, measures the chunk
// bytes by metric name, closes it and measures the block's files.
func compactDir(ctx context.Context, dir, what string) (diskResult, error) {
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		return diskResult{}, err
	}
	res, err := compactStore(ctx, st, what)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, err
	}
	return res, res.measure(dir)
}

// compactStore compacts st and measures its chunk bytes by metric name,
// most first.
func compactStore(ctx context.Context, st *store.Store, what string) (diskResult, error) {
	res := diskResult{what: what}
	if err := st.Compact(ctx); err != nil {
		return res, err
	}
	var err error
	res.families, err = st.ChunkBytes(ctx)
	slices.SortFunc(res.families, func(a, b store.FamilyBytes) int { return cmp.Compare(b.Bytes, a.Bytes) })
	return res, err
}

// measureSynthetic writes span of 1 s samples of synthetic hosts into a
// store in a temp dir, closes it and compacts it as the real data is
// (reopening it replays the write-ahead log, as after part 1).
func measureSynthetic(ctx context.Context, hosts int, span time.Duration) (diskResult, error) {
	dir, err := os.MkdirTemp("", "picket-bench-tsdb")
	if err != nil {
		return diskResult{}, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		return diskResult{}, err
	}
	err = fillStore(ctx, st, hosts, span)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return diskResult{}, err
	}
	return compactDir(ctx, dir, fmt.Sprintf("synthetic: %d random-walk hosts, %s", hosts, span))
}

// fillStore appends one tick of every host per Append call.
func fillStore(ctx context.Context, st *store.Store, hosts int, span time.Duration) error {
	start := time.Now().Add(-span - time.Minute).Truncate(time.Second)
	hs := make([]*synthHost, hosts)
	lbls := make([][]store.Labels, hosts) // per host, per series index
	for i := range hs {
		hs[i] = newSynthHost(uint64(i))
	}
	var batch []store.Sample
	for tick := 0; tick < int(span/time.Second); tick++ {
		at := start.Add(time.Duration(tick) * time.Second)
		batch = batch[:0]
		for i, h := range hs {
			j := 0
			h.tick(func(s collector.Sample) {
				if j == len(lbls[i]) {
					lbls[i] = append(lbls[i], storeLabels(fmt.Sprintf("host-%03d", i), s))
				}
				batch = append(batch, store.Sample{Labels: lbls[i][j], T: at, V: s.Value})
				j++
			}, tick%5 == 0)
		}
		if err := st.Append(ctx, batch); err != nil {
			return fmt.Errorf("appending tick %d: %w", tick, err)
		}
	}
	return nil
}

func storeLabels(host string, s collector.Sample) store.Labels {
	ls := store.Labels{{Name: store.MetricName, Value: s.Name}, {Name: "host", Value: host}}
	for _, l := range s.Labels {
		ls = append(ls, store.Label{Name: l.Name, Value: l.Value})
	}
	slices.SortFunc(ls, func(a, b store.Label) int { return strings.Compare(a.Name, b.Name) })
	return ls
}

// blockDirs lists the block directories (those with a meta.json).
func blockDirs(dir string) []string {
	m, _ := filepath.Glob(filepath.Join(dir, "*", "meta.json"))
	return m
}

func (r *diskResult) measure(dir string) error {
	for _, meta := range blockDirs(dir) {
		b, err := os.ReadFile(meta)
		if err != nil {
			return err
		}
		var m struct {
			MinTime, MaxTime int64 // ms; MaxTime is one past the newest sample
			Stats            struct{ NumSamples, NumSeries uint64 }
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("reading %s: %w", meta, err)
		}
		block := filepath.Dir(meta)
		r.blocks++
		r.samples += m.Stats.NumSamples
		r.series += int(m.Stats.NumSeries)
		r.span += time.Duration(m.MaxTime-1-m.MinTime) * time.Millisecond
		chunks, _ := filepath.Glob(filepath.Join(block, "chunks", "*"))
		for _, c := range chunks {
			r.chunkBytes += fileSize(c)
		}
		r.idx += fileSize(filepath.Join(block, "index"))
	}
	if r.blocks == 0 {
		return fmt.Errorf("compacting %s wrote no block", dir)
	}
	return nil
}

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}
