package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/nats-io/nkeys"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
)

// simAgent is one simulated agent: its key and its batches, built before
// the measurement so that building them costs nothing while it runs.
type simAgent struct {
	id       string
	kp       nkeys.KeyPair
	pub      string
	first    []byte   // the first batch, carrying the series table
	rest     [][]byte // the others, referring to the table
	perBatch []int    // samples in each of rest
}

// buildFleet makes n agents with batches+1 batches each of a synthetic
// host (processes every 5 ticks, 5 ticks a batch), their times starting
// at start, a second a tick.
func buildFleet(n, batches int, start time.Time) ([]*simAgent, error) {
	fleet := make([]*simAgent, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for i := range next {
				fleet[i], errs[i] = buildAgent(i, batches, start)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return fleet, nil
}

func buildAgent(i, batches int, start time.Time) (*simAgent, error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return nil, err
	}
	a := &simAgent{id: fmt.Sprintf("sim-%04d", i), kp: kp}
	if a.pub, err = kp.PublicKey(); err != nil {
		return nil, err
	}
	b, err := wire.NewBuilder(a.id, wire.BuilderOptions{})
	if err != nil {
		return nil, err
	}
	h := newSynthHost(uint64(i))
	for k := 0; k <= batches; k++ {
		for t := range 5 {
			ms := start.Add(time.Duration(k*5+t) * time.Second).UnixMilli()
			h.tick(func(s collector.Sample) { b.Add(ms, s) }, t == 0)
		}
		n := b.Len()
		out, err := b.Encode(uint64(k + 1))
		b.Reset()
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", a.id, err)
		}
		if k == 0 {
			a.first = out
			continue
		}
		if out, err = wire.WithTableRef(out); err != nil {
			return nil, err
		}
		a.rest, a.perBatch = append(a.rest, out), append(a.perBatch, n)
	}
	return a, nil
}
