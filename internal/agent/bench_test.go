package agent

import (
	"log/slog"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/spool"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

// BenchmarkTick measures one second of the agent's work on this machine:
// every collector of the registry against the real /proc and /sys, and
// every fifth tick a batch encoded and spooled (with fsync).
func BenchmarkTick(b *testing.B) {
	cfg := testConfig(b.TempDir())
	slots, _ := buildCollectors(cfg, collector.Paths{})
	sp, err := spool.Open(cfg.SpoolDir, spool.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	r, err := newRunner(cfg, deps{clock: schedtest.NewClock(start, nil), tr: newFakeTransport(&fakeServer{mode: serverDown}),
		sp: sp, log: slog.New(slog.DiscardHandler), slots: slots})
	if err != nil {
		b.Fatal(err)
	}
	m := r.metrics
	m.init()
	at := time.Now().Truncate(time.Second)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		at = at.Add(time.Second)
		m.collect(b.Context(), at)
		if i%5 == 4 {
			m.flush()
			if seq, _, ok, err := sp.Oldest(); err != nil || !ok || sp.Ack(seq) != nil {
				b.Fatalf("the batch is not in the spool: %v", err)
			}
		}
	}
}

// BenchmarkProcessTable measures one process_interval of the process
// table on this machine: a scan, JSON and zstd, to a transport that
// drops it.
func BenchmarkProcessTable(b *testing.B) {
	enc, err := newEncoder()
	if err != nil {
		b.Fatal(err)
	}
	p := &procs{src: collector.NewProcessScanner(collector.Paths{}), tr: newFakeTransport(&fakeServer{mode: serverDown}),
		timeout: time.Second, log: slog.New(slog.DiscardHandler), stats: &stats{}, enc: enc}
	b.ReportAllocs()
	var n int
	for b.Loop() {
		now := time.Now()
		table, err := p.scan(b.Context(), now)
		if err != nil {
			b.Fatal(err)
		}
		p.send(b.Context(), now, table)
		n = len(table)
	}
	b.ReportMetric(float64(n), "processes")
	b.ReportMetric(float64(len(p.buf)), "bytes/table")
}
