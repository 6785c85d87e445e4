package schedule_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/schedule"
)

func TestHangingJobDoesNotDelayOthers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = 10 * time.Second
		hang := newBlocker()
		h := startHarness(t, 0,
			job("hang", iv, hang.stubborn), job("a", iv, nil), job("b", iv, nil), job("c", iv, nil))
		h.clock.Advance(10 * iv)

		for _, id := range []string{"a", "b", "c"} {
			if got := gridOf(h.rec.startsOf(id), iv); len(got) < 10 {
				t.Errorf("job %s ran %d times in 10 intervals, want at least 10", id, len(got))
			}
			if got := h.rec.skipsOf(id); len(got) != 0 {
				t.Errorf("job %s skipped %d times, want none", id, len(got))
			}
		}
		for _, e := range h.rec.starts {
			if !e.actual.Equal(e.planned) {
				t.Errorf("job %s planned at %v started late, at %v", e.id, e.planned, e.actual)
			}
		}
		starts, skips := h.rec.startsOf("hang"), h.rec.skipsOf("hang")
		if len(starts) != 1 {
			t.Fatalf("hanging job started %d times, want once", len(starts))
		}
		if len(skips) < 9 || !skips[0].After(starts[0]) {
			t.Fatalf("hanging job started at %v and skipped %v, want 9 or more skips after the start", starts[0], skips)
		}
		if diff := cmp.Diff(repeat(iv, len(skips)-1), diffs(skips)); diff != "" {
			t.Errorf("gaps between skipped slots (-want +got):\n%s", diff)
		}

		close(hang.release)
		synctest.Wait()
		h.clock.Advance(iv)
		if got := h.rec.startsOf("hang"); len(got) != 2 {
			t.Errorf("released job started %d times in all, want 2", len(got))
		}
	})
}

// gauge tracks how many runs are going and the most ever seen.
type gauge struct {
	mu       sync.Mutex
	cur, max int
	release  chan struct{}
}

func (g *gauge) run(ctx context.Context, _ time.Time) {
	g.mu.Lock()
	g.cur++
	g.max = max(g.max, g.cur)
	g.mu.Unlock()
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	g.mu.Lock()
	g.cur--
	g.mu.Unlock()
}

func (g *gauge) read() (cur, most int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cur, g.max
}

func TestConcurrencyBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, limit, iv = 20, 3, 10 * time.Second
		g := &gauge{release: make(chan struct{})}
		var jobs []schedule.Job
		for i := range n {
			jobs = append(jobs, job(fmt.Sprintf("j%02d", i), iv, g.run))
		}
		h := startHarness(t, limit, jobs...)
		h.clock.Advance(iv)
		if cur, _ := g.read(); cur != limit || len(h.rec.starts) != limit {
			t.Fatalf("%d runs going and %d started with every job due, want %d", cur, len(h.rec.starts), limit)
		}

		// The loop is not blocked by the full slots: it keeps dispatching,
		// and skips every job whose run is still going or waiting.
		h.rec.reset()
		h.clock.Advance(iv)
		if len(h.rec.skips) != n || len(h.rec.starts) != 0 {
			t.Errorf("next interval: %d skips and %d starts, want %d and 0", len(h.rec.skips), len(h.rec.starts), n)
		}

		close(g.release)
		synctest.Wait()
		if _, most := g.read(); most != limit {
			t.Errorf("at most %d runs went at once, want %d", most, limit)
		}
		if got := len(h.rec.starts); got != n-limit {
			t.Errorf("%d waiting runs started after the release, want %d", got, n-limit)
		}
	})
}

func TestSuspendSkipsMissedSlots(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = 10 * time.Second
		h := startHarness(t, 0, job("x", iv, nil))
		h.clock.Advance(2 * iv)
		before := h.rec.startsOf("x")
		last := before[len(before)-1]
		h.clock.Jump(4*iv + 5*time.Second)
		resumed := h.clock.Now()

		if diff := cmp.Diff([]time.Time{last.Add(iv)}, h.rec.skipsOf("x")); diff != "" {
			t.Errorf("skips after a suspension (-want +got):\n%s", diff)
		}
		after := h.rec.startsOf("x")[len(before):]
		if len(after) != 1 {
			t.Fatalf("got %d runs on resuming, want 1: %v", len(after), after)
		}
		if d := resumed.Sub(after[0]); d < 0 || d >= iv || after[0].Sub(last)%iv != 0 {
			t.Errorf("run on resuming at %v planned for %v, want the latest slot of the same grid", resumed, after[0])
		}
		h.clock.Advance(iv)
		if got := h.rec.startsOf("x")[len(before):]; len(got) != 2 || got[1].Sub(got[0]) != iv {
			t.Errorf("runs after resuming: %v, want the next slot one interval after the catch-up run", got)
		}
	})
}
