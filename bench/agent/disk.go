package main

import (
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

// diskResult is part 3: the blocks the TSDB wrote on its own.
type diskResult struct {
	hosts, series   int
	appended        uint64
	blocks          int
	samples         uint64 // in the blocks, from their meta.json
	chunkBytes, idx int64  // chunks/* and index files of the blocks
	span            time.Duration
	waited          time.Duration
}

// measureDisk writes span of 1 s samples of synthetic hosts into a store
// in a temp dir, waits for the TSDB to compact its head into a block (it
// does so by itself once the head spans more than 1.5 × the 2 h block
// range), closes it and measures the blocks.
func measureDisk(ctx context.Context, hosts int, span time.Duration) (diskResult, error) {
	res := diskResult{hosts: hosts, span: span}
	dir, err := os.MkdirTemp("", "picket-bench-tsdb")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	st, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		return res, err
	}
	if err := fillStore(ctx, st, hosts, span); err != nil {
		st.Close()
		return res, err
	}
	res.series, res.appended = int(st.Stats().HeadSeries), st.Stats().SamplesAppended
	start := time.Now()
	for time.Since(start) < 3*time.Minute && len(blockDirs(dir)) == 0 && ctx.Err() == nil {
		time.Sleep(time.Second)
	}
	res.waited = time.Since(start)
	time.Sleep(2 * time.Second) // a block dir appears before its compaction has finished renaming
	if err := st.Close(); err != nil {
		return res, err
	}
	return res, res.measure(dir)
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
			Stats struct{ NumSamples uint64 }
		}
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("reading %s: %w", meta, err)
		}
		block := filepath.Dir(meta)
		r.blocks++
		r.samples += m.Stats.NumSamples
		chunks, _ := filepath.Glob(filepath.Join(block, "chunks", "*"))
		for _, c := range chunks {
			r.chunkBytes += fileSize(c)
		}
		r.idx += fileSize(filepath.Join(block, "index"))
	}
	if r.blocks == 0 {
		return fmt.Errorf("the TSDB wrote no block within %s", r.waited.Round(time.Second))
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
