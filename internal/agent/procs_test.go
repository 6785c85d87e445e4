package agent

import (
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

func TestProcessEventsSurviveOutage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newFakeServer(t)
		h := startAgent(t, testConfig(t.TempDir()), srv, start)
		h.tr.connect()
		h.procs.spawn(100, "cron")
		h.clock.Advance(5 * time.Second)
		srv.setMode(serverDown)
		h.procs.spawn(101, "make")
		h.clock.Advance(5 * time.Second)
		h.procs.spawn(102, "cc1")
		h.clock.Advance(5 * time.Second)
		h.tr.connect()
		h.clock.Advance(5 * time.Second)
		h.stop()

		var births []int
		msgs := srv.procsReceived()
		for _, m := range msgs {
			for _, e := range m.Events {
				if e.Kind == collector.ProcessBirth {
					births = append(births, e.Process.PID)
				}
			}
		}
		if diff := cmp.Diff([]int{100, 101, 102}, births); diff != "" {
			t.Errorf("births received (-want +got):\n%s", diff)
		}
		if len(msgs) != 2 || len(msgs[len(msgs)-1].Table) != 3 {
			t.Errorf("got %d process tables, the last with %d processes; want 2, with 3", len(msgs), len(msgs[len(msgs)-1].Table))
		}
		if st := h.r.stats.snapshot(); st.EventsSent != 3 || st.EventsDropped != 0 {
			t.Errorf("stats = %+v, want 3 events sent, none dropped", st)
		}
	})
}

func TestProcessEventsBounded(t *testing.T) {
	p := &procs{log: slog.New(slog.DiscardHandler), stats: &stats{}}
	events := make([]collector.ProcessEvent, maxEvents+10)
	for i := range events {
		events[i] = collector.ProcessEvent{Kind: collector.ProcessBirth, Process: collector.Process{PID: i}}
	}
	p.keep(events[:maxEvents])
	p.keep(events[maxEvents:])
	kept, end := p.pending()
	if len(kept) != maxEvents || kept[0].Process.PID != 10 || end != uint64(maxEvents+10) {
		t.Errorf("kept %d events from pid %d, end %d; want %d from pid 10, end %d",
			len(kept), kept[0].Process.PID, end, maxEvents, maxEvents+10)
	}
	if got := p.stats.eventsDropped.Load(); got != 10 {
		t.Errorf("dropped %d events, want 10", got)
	}
	p.keep([]collector.ProcessEvent{{Kind: collector.ProcessDeath}})
	p.acked(end) // the oldest dropped meanwhile: only those sent are forgotten
	if kept, _ := p.pending(); len(kept) != 1 || kept[0].Kind != collector.ProcessDeath {
		t.Errorf("after the ack, pending = %d events, want the death only", len(kept))
	}
}
