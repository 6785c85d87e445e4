package agent

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/spool"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/schedule"
)

// slot is one enabled collector and what the loop remembers about it.
type slot struct {
	name    string
	c       collector.Collector
	off     bool   // not supported on this host: not called again
	lastErr string // the error last logged, so a failing collector logs once
}

// metrics collects every interval into a batch and, every batch
// interval, appends the batch to the spool and wakes the sender. The
// spool comes first so that a crash or an outage loses nothing.
type metrics struct {
	clock schedule.Clock
	every time.Duration // between ticks
	batch time.Duration // between batches
	live  *live
	slots []*slot
	b     *wire.Builder
	sp    *spool.Spool
	seq   uint64        // of the next batch
	kick  chan struct{} // wakes the sender
	log   *slog.Logger
	lost  onceLog
	stats *stats
	t     int64          // the tick being collected, Unix ms
	emit  collector.Emit // adds to b at t; made once, so ticks do not allocate
}

func (m *metrics) init() {
	m.seq = m.sp.NextSeq()
	m.emit = func(s collector.Sample) { m.b.Add(m.t, s) }
	m.lost.log = m.log
}

// run ticks until ctx ends, then spools what it has collected.
func (m *metrics) run(ctx context.Context) {
	m.init()
	wake := m.live.wake()
	now := m.clock.Now()
	every := m.live.every(now, m.every)
	next, batchAt := nextTick(now, every), nextTick(now, m.batch)
	timer := m.clock.NewTimer(next.Sub(now))
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			m.flush()
			return
		case <-wake:
		case <-timer.C():
			at := next
			if now = m.clock.Now(); now.Sub(next) >= every { // late, as after a suspend
				at = now.Truncate(every)
			}
			m.collect(ctx, at)
			if m.live.on(now) || !at.Before(batchAt) {
				m.flush()
				batchAt = nextTick(at, m.batch)
			}
		}
		now = m.clock.Now()
		every = m.live.every(now, m.every)
		next = nextTick(now, every)
		timer.Reset(next.Sub(now))
	}
}

func (m *metrics) collect(ctx context.Context, at time.Time) {
	m.t = at.UnixMilli()
	for _, s := range m.slots {
		if !s.off {
			m.note(s, s.c.Collect(ctx, m.emit))
		}
	}
}

// note logs a collector's failure once, not every tick, and switches off
// a collector with nothing to measure here.
func (m *metrics) note(s *slot, err error) {
	switch {
	case err == nil:
		if s.lastErr != "" {
			s.lastErr = ""
			m.log.Info("collector works again", "collector", s.name)
		}
	case errors.Is(err, collector.ErrNotSupported):
		s.off = true
		m.log.Info("collector has nothing to measure on this host; disabled", "collector", s.name, "reason", err)
	default:
		if msg := err.Error(); msg != s.lastErr {
			s.lastErr = msg
			m.log.Warn("collector failed", "collector", s.name, "err", err)
		}
	}
}

// flush encodes the batch, appends it to the spool and wakes the sender.
func (m *metrics) flush() {
	if m.b.Len() == 0 {
		return
	}
	data, err := m.b.Encode(m.seq)
	m.b.Reset()
	if err == nil {
		err = m.sp.Append(m.seq, data)
	}
	if err != nil {
		m.stats.batchesLost.Add(1)
		m.lost.warn("keeping a batch in the spool failed; it is lost", err)
		return
	}
	m.seq++
	select {
	case m.kick <- struct{}{}:
	default:
	}
}
