package agent

import (
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/wire"
)

func TestBatchesEveryBatchInterval(t *testing.T) {
	for _, tc := range []struct {
		name    string
		latency time.Duration
	}{
		{"on time", 0},
		{"timers late", 30 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newFakeServer(t)
				h := startAgent(t, testConfig(t.TempDir()), srv, start)
				h.clock.SetLatency(tc.latency)
				h.tr.connect()
				h.clock.Advance(15*time.Second + tc.latency)
				h.stop()

				got := srv.received()
				if len(got) != 3 {
					t.Fatalf("got %d batches, want 3", len(got))
				}
				for i, b := range got {
					if n := len(ticksOf(t, []*wire.Batch{b})); n != 5 {
						t.Errorf("batch %d has %d ticks, want 5", i, n)
					}
					if b.Seq != got[0].Seq+uint64(i) || b.Agent != "web-1" {
						t.Errorf("batch %d: seq %d agent %q, want seq %d agent web-1", i, b.Seq, b.Agent, got[0].Seq+uint64(i))
					}
				}
				want := everySecond(start.Add(time.Second), start.Add(15*time.Second))
				if diff := cmp.Diff(want, ticksOf(t, got)); diff != "" {
					t.Errorf("ticks (-want +got):\n%s", diff)
				}
				if len(srv.hellos) != 1 || srv.hellos[0].Agent != "web-1" || srv.hellos[0].V != 1 {
					t.Errorf("hellos = %+v, want one from web-1", srv.hellos)
				}
			})
		})
	}
}

func TestOutageReplayedInOrder(t *testing.T) {
	for _, mode := range []string{serverDown, serverNoReply, serverBusy} {
		t.Run(mode, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newFakeServer(t)
				h := startAgent(t, testConfig(t.TempDir()), srv, start)
				h.tr.connect()
				h.clock.Advance(5 * time.Second)
				srv.setMode(mode)
				h.clock.Advance(20 * time.Second)
				if n := h.sp.Len(); n != 4 {
					t.Errorf("during the outage the spool holds %d batches, want 4", n)
				}
				if mode == serverDown {
					h.tr.connect()
				} else {
					srv.setMode(serverUp)
				}
				h.clock.Advance(10 * time.Second)
				h.stop()

				got := srv.received()
				for i, b := range got {
					if b.Seq != got[0].Seq+uint64(i) {
						t.Errorf("batch %d has seq %d, want %d: out of order", i, b.Seq, got[0].Seq+uint64(i))
					}
				}
				want := everySecond(start.Add(time.Second), start.Add(35*time.Second))
				if diff := cmp.Diff(want, ticksOf(t, got)); diff != "" {
					t.Errorf("ticks stored (-want +got):\n%s", diff)
				}
				if n := h.sp.Len(); n != 0 {
					t.Errorf("after the outage the spool holds %d batches, want 0", n)
				}
			})
		})
	}
}

func TestRefusedBatchDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newFakeServer(t)
		h := startAgent(t, testConfig(t.TempDir()), srv, start)
		first := h.sp.NextSeq()
		srv.refuseSeq[first+1] = true
		h.tr.connect()
		h.clock.Advance(15 * time.Second)
		h.stop()

		var seqs []uint64
		for _, b := range srv.received() {
			seqs = append(seqs, b.Seq)
		}
		if diff := cmp.Diff([]uint64{first, first + 2}, seqs); diff != "" {
			t.Errorf("seqs stored (-want +got):\n%s", diff)
		}
		if st := h.r.stats.snapshot(); st.BatchesRejected != 1 || st.BatchesSent != 2 {
			t.Errorf("stats = %+v, want 1 rejected and 2 sent", st)
		}
		if h.sp.Len() != 0 {
			t.Errorf("the refused batch is still spooled")
		}
		if !strings.Contains(h.logs.String(), "refused a batch for good") {
			t.Errorf("the drop is not logged:\n%s", h.logs)
		}
	})
}

func TestSequenceContinuesAfterRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		dir := t.TempDir()
		srv := newFakeServer(t)
		srv.setMode(serverDown)
		h := startAgent(t, testConfig(dir), srv, start)
		first := h.sp.NextSeq()
		h.clock.Advance(12 * time.Second) // two batches, and two ticks spooled at the stop
		h.stop()

		h2 := startAgent(t, testConfig(dir), srv, start.Add(12*time.Second))
		if n := h2.sp.Len(); n != 3 {
			t.Errorf("after the restart the spool holds %d batches, want 3", n)
		}
		h2.tr.connect()
		h2.clock.Advance(8 * time.Second)
		h2.stop()

		got := srv.received()
		var seqs []uint64
		for _, b := range got {
			seqs = append(seqs, b.Seq)
		}
		if diff := cmp.Diff([]uint64{first, first + 1, first + 2, first + 3, first + 4}, seqs); diff != "" {
			t.Errorf("seqs stored (-want +got):\n%s", diff)
		}
		want := everySecond(start.Add(time.Second), start.Add(20*time.Second))
		if diff := cmp.Diff(want, ticksOf(t, got)); diff != "" {
			t.Errorf("ticks stored (-want +got):\n%s", diff)
		}
	})
}

func TestTableReference(t *testing.T) {
	for _, tc := range []struct {
		name      string
		tables    bool
		wantByRef int
	}{
		{"server holds tables", true, 3},
		{"server without tables", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := newFakeServer(t)
				if !tc.tables {
					srv.tables = nil
				}
				h := startAgent(t, testConfig(t.TempDir()), srv, start)
				h.tr.connect()
				h.clock.Advance(20 * time.Second)
				h.stop()
				if got := len(srv.received()); got != 4 {
					t.Errorf("got %d batches, want 4", got)
				}
				if srv.byRef != tc.wantByRef {
					t.Errorf("%d batches came by table reference, want %d", srv.byRef, tc.wantByRef)
				}
				if st := h.r.stats.snapshot(); st.BatchesRejected != 0 {
					t.Errorf("%d batches were dropped", st.BatchesRejected)
				}
			})
		})
	}
}

func TestUnsupportedCollectorDisabled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newFakeServer(t)
		u := &unsupported{}
		h := startAgent(t, testConfig(t.TempDir()), srv, start,
			&slot{name: "counter", c: &counter{}}, &slot{name: "gpu", c: u})
		h.tr.connect()
		h.clock.Advance(10 * time.Second)
		h.stop()
		if u.calls != 1 {
			t.Errorf("the unsupported collector was called %d times, want 1", u.calls)
		}
		if n := strings.Count(h.logs.String(), "nothing to measure"); n != 1 {
			t.Errorf("logged %d times, want once:\n%s", n, h.logs)
		}
		if got := len(ticksOf(t, srv.received())); got != 10 {
			t.Errorf("the other collector has %d ticks, want 10", got)
		}
	})
}

func TestTableReferenceAfterServerForgets(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := newFakeServer(t)
		h := startAgent(t, testConfig(t.TempDir()), srv, start)
		h.tr.connect()
		h.clock.Advance(10 * time.Second) // the second batch goes by reference
		srv.mu.Lock()
		srv.tables = wire.NewTables(0) // as after a restart of the server
		srv.mu.Unlock()
		h.clock.Advance(10 * time.Second) // refused, sent whole; then by reference again
		h.stop()
		if got := len(srv.received()); got != 4 {
			t.Errorf("got %d batches, want 4", got)
		}
		if srv.byRef != 2 {
			t.Errorf("%d batches came by table reference, want 2", srv.byRef)
		}
		if st := h.r.stats.snapshot(); st.BatchesRejected != 0 || st.BatchesSent != 4 {
			t.Errorf("stats = %+v, want 4 sent, none dropped", st)
		}
	})
}
