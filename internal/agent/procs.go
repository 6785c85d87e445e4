package agent

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/schedule"
)

// processSource reads the process table; collector.ProcessScanner is one.
type processSource interface {
	Scan(ctx context.Context, now time.Time) ([]collector.Process, []collector.ProcessEvent, error)
}

// Bounds of the births and deaths kept while the server does not take
// them; beyond, the oldest are dropped and counted.
const (
	maxEvents     = 5000
	maxEventBytes = 4 << 20
)

// procs reads the process table every process interval and sends it with
// the births and deaths not yet acknowledged.
type procs struct {
	src     processSource
	clock   schedule.Clock
	every   time.Duration
	live    *live
	tr      transport
	subject string
	timeout time.Duration
	greeted *atomic.Bool
	log     *slog.Logger
	errs    onceLog
	stats   *stats
	enc     *zstd.Encoder
	buf     []byte // the last payload, reused

	mu      sync.Mutex // protects the fields below
	events  []collector.ProcessEvent
	bytes   int    // roughly what events take in memory
	head    uint64 // the number of events ever kept before events[0]
	dropped int    // since the last log
}

func newEncoder() (*zstd.Encoder, error) {
	return zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1),
		zstd.WithWindowSize(1<<17), zstd.WithLowerEncoderMem(true))
}

func (p *procs) run(ctx context.Context) {
	p.errs.log = p.log
	wake := p.live.wake()
	now := p.clock.Now()
	timer := p.clock.NewTimer(nextTick(now, p.live.every(now, p.every)).Sub(now))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-timer.C():
			p.tick(ctx)
		}
		now = p.clock.Now()
		timer.Reset(nextTick(now, p.live.every(now, p.every)).Sub(now))
	}
}

func (p *procs) tick(ctx context.Context) {
	now := p.clock.Now()
	table, err := p.scan(ctx, now)
	if err != nil {
		p.errs.warn("reading the process table", err)
		return
	}
	if p.greeted.Load() {
		p.send(ctx, now, table)
	}
}

// scan reads the table and keeps its events until the server has them.
func (p *procs) scan(ctx context.Context, now time.Time) ([]collector.Process, error) {
	table, events, err := p.src.Scan(ctx, now)
	if err != nil {
		return nil, err
	}
	p.keep(events)
	return table, nil
}

func (p *procs) keep(events []collector.ProcessEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range events {
		p.events = append(p.events, e)
		p.bytes += eventSize(e)
	}
	n := 0
	for len(p.events)-n > maxEvents || p.bytes > maxEventBytes {
		p.bytes -= eventSize(p.events[n])
		n++
	}
	p.forgetLocked(n)
	if n > 0 {
		p.stats.eventsDropped.Add(uint64(n))
		if p.dropped == 0 {
			p.log.Warn("process events not acknowledged by the server are being dropped", "kept", len(p.events))
		}
		p.dropped += n
	}
}

func eventSize(e collector.ProcessEvent) int {
	return 200 + len(e.Process.Cmdline) + len(e.Process.Name) + len(e.Process.User)
}

func (p *procs) forgetLocked(n int) {
	p.events = p.events[n:]
	p.head += uint64(n)
	if len(p.events) == 0 {
		p.events, p.bytes = nil, 0 // let the backing array go
	}
}

// pending returns the events not yet acknowledged and the stream index
// just past them.
func (p *procs) pending() ([]collector.ProcessEvent, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]collector.ProcessEvent{}, p.events...), p.head + uint64(len(p.events))
}

// acked forgets the events before stream index end.
func (p *procs) acked(end uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if end <= p.head {
		return
	}
	n := min(int(end-p.head), len(p.events))
	for _, e := range p.events[:n] {
		p.bytes -= eventSize(e)
	}
	p.forgetLocked(n)
	if p.dropped > 0 {
		p.log.Info("process events reach the server again", "dropped", p.dropped)
		p.dropped = 0
	}
}

// send sends the table and the pending events; events stay until the
// server acknowledges them. A table too large for the connection is left
// out so that the events still go.
func (p *procs) send(ctx context.Context, now time.Time, table []collector.Process) {
	events, end := p.pending()
	rep, err := p.request(ctx, proto.Procs{V: proto.Version, Time: now.UTC(), Table: table, Events: events})
	if errors.Is(err, errTooLarge) && table != nil {
		rep, err = p.request(ctx, proto.Procs{V: proto.Version, Time: now.UTC(), Events: events})
	}
	if errors.Is(err, errTooLarge) {
		p.stats.eventsDropped.Add(uint64(len(events)))
		p.log.Warn("process events too large for the connection; dropped", "events", len(events))
		p.acked(end)
	}
	if err != nil {
		return
	}
	r, err := parseReply(rep)
	switch {
	case err != nil:
		p.errs.warn("the server's reply to the process table", err)
	case r.OK:
		p.stats.eventsSent.Add(uint64(len(events)))
		p.acked(end)
	case r.Refused():
		p.stats.eventsDropped.Add(uint64(len(events)))
		p.log.Warn("the server refused the process table for good; its events are dropped", "events", len(events), "error", r.Error)
		p.acked(end)
	}
}

func (p *procs) request(ctx context.Context, msg proto.Procs) ([]byte, error) {
	if msg.Events == nil {
		msg.Events = []collector.ProcessEvent{}
	}
	js, err := json.Marshal(msg)
	if err != nil {
		return nil, err
	}
	p.buf = p.enc.EncodeAll(js, p.buf[:0])
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	return p.tr.Request(ctx, p.subject, p.buf)
}
