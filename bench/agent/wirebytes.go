package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
)

// wireResult is part 2: the batches a wire.Builder makes of this host's
// real collectors, every collector on at 1 s, processes every 5 s, a
// batch every 5 ticks.
type wireResult struct {
	batches        int
	samples        int
	first          int // bytes of the first batch, which carries the series table
	rest           int // bytes of the others, sent with a table reference
	restSamples    int
	tableEveryTime int // bytes of the others had each carried the table
}

// measureWire runs the real collectors for n ticks, a second apart.
func measureWire(ctx context.Context, ticks int) (wireResult, error) {
	var res wireResult
	cols, procs, err := hostCollectors()
	if err != nil {
		return res, err
	}
	b, err := wire.NewBuilder("a1", wire.BuilderOptions{})
	if err != nil {
		return res, err
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for i := 0; i < ticks && ctx.Err() == nil; i++ {
		now := time.Now()
		ms := now.UnixMilli()
		emit := func(s collector.Sample) { b.Add(ms, s) }
		for _, c := range cols {
			_ = c.Collect(ctx, emit)
		}
		if i%5 == 0 {
			_ = procs.Collect(ctx, emit)
		}
		if i%5 == 4 {
			if err := res.add(b); err != nil {
				return res, err
			}
		}
		<-t.C
	}
	return res, nil
}

// add encodes the builder's batch and counts it.
func (r *wireResult) add(b *wire.Builder) error {
	n := b.Len()
	whole, err := b.Encode(uint64(r.batches + 1))
	if err != nil {
		return fmt.Errorf("encoding a batch: %w", err)
	}
	b.Reset()
	r.batches++
	r.samples += n
	if r.batches == 1 {
		r.first = len(whole)
		return nil
	}
	ref, err := wire.WithTableRef(whole)
	if err != nil {
		return fmt.Errorf("referring to the table: %w", err)
	}
	r.rest += len(ref)
	r.restSamples += n
	r.tableEveryTime += len(whole)
	return nil
}

// hostCollectors makes every registered collector on the real host, the
// process collector apart, and drops those the host does not support.
func hostCollectors() (cols []collector.Collector, procs collector.Collector, err error) {
	ctx := context.Background()
	for _, name := range collector.Names() {
		t, _ := collector.Lookup(name)
		c := t.New(collector.Paths{})
		if name == "process" {
			procs = c
			continue
		}
		if err := c.Collect(ctx, func(collector.Sample) {}); errors.Is(err, collector.ErrNotSupported) {
			continue
		}
		cols = append(cols, c)
	}
	if procs == nil {
		return nil, nil, errors.New("no process collector registered")
	}
	return cols, procs, nil
}
