package schedule_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/schedule"
)

// tagged returns a Run that records tag for each run.
func tagged(mu *sync.Mutex, tags *[]string, tag string) func(context.Context, time.Time) {
	return func(context.Context, time.Time) {
		mu.Lock()
		defer mu.Unlock()
		*tags = append(*tags, tag)
	}
}

func TestUpdateKeepsUnchangedJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = 10 * time.Second
		var mu sync.Mutex
		var tags []string
		h := startHarness(t, 0, job("x", iv, tagged(&mu, &tags, "old")))
		h.clock.Advance(3*iv + 2*time.Second)
		h.s.Update([]schedule.Job{job("x", iv, tagged(&mu, &tags, "new")), job("y", iv, nil)})
		synctest.Wait()
		h.clock.Advance(3 * iv)

		grid := gridOf(h.rec.startsOf("x"), iv)
		if diff := cmp.Diff(repeat(iv, len(grid)-1), diffs(grid)); diff != "" {
			t.Errorf("gaps between runs across the update (-want +got):\n%s", diff)
		}
		mu.Lock()
		defer mu.Unlock()
		for _, tag := range tags {
			if tag != "old" {
				t.Fatalf("runs used Run funcs %v, want only the one of the unchanged job", tags)
			}
		}
	})
}

func TestUpdateRemovesJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = 10 * time.Second
		gone := newBlocker()
		h := startHarness(t, 0, job("gone", iv, gone.run), job("stays", iv, nil))
		h.clock.Advance(iv)
		if len(h.rec.startsOf("gone")) == 0 {
			t.Fatal("job never started")
		}
		h.s.Update([]schedule.Job{job("stays", iv, nil)})
		synctest.Wait()
		if got := gone.cancellations(); got != 1 {
			t.Errorf("removed job's running instance saw %d cancellations, want 1", got)
		}
		if got := h.s.Len(); got != 1 {
			t.Errorf("Len() = %d after removing one of two jobs, want 1", got)
		}
		h.rec.reset()
		h.clock.Advance(5 * iv)
		if n, m := len(h.rec.startsOf("gone")), len(h.rec.skipsOf("gone")); n+m != 0 {
			t.Errorf("removed job: %d starts and %d skips after removal, want none", n, m)
		}
		if n := len(h.rec.startsOf("stays")); n != 5 {
			t.Errorf("remaining job ran %d times in 5 intervals, want 5", n)
		}
	})
}

func TestUpdateRemovesWaitingJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const iv = 10 * time.Second
		hog := newBlocker()
		var ran bool
		waiting := job("waiting", iv, func(context.Context, time.Time) { ran = true })
		h := startHarness(t, 1, job("hog", iv, hog.stubborn))
		h.clock.Advance(iv) // hog holds the only slot
		h.s.Update([]schedule.Job{job("hog", iv, hog.stubborn), waiting})
		h.clock.Advance(iv) // waiting is due and waits for the slot
		if len(h.rec.startsOf("waiting")) != 0 {
			t.Fatal("job started while the only slot was taken")
		}
		h.s.Update([]schedule.Job{job("hog", iv, hog.stubborn)})
		close(hog.release)
		synctest.Wait()
		h.clock.Advance(3 * iv)
		if ran || len(h.rec.startsOf("waiting")) != 0 {
			t.Error("job removed while waiting for a slot ran anyway")
		}
	})
}

func TestUpdateChangesJob(t *testing.T) {
	tests := []struct {
		name       string
		from, to   time.Duration
		wantCancel int
	}{
		{name: "new version", from: 10 * time.Second, to: 10 * time.Second, wantCancel: 1},
		{name: "new interval", from: 10 * time.Second, to: 25 * time.Second, wantCancel: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				old := newBlocker()
				var mu sync.Mutex
				var tags []string
				h := startHarness(t, 0, job("x", tt.from, old.run))
				h.clock.Advance(2*tt.from + time.Second)
				before := len(h.rec.startsOf("x"))
				changed := job("x", tt.to, tagged(&mu, &tags, "v2"))
				changed.Version = "v2"
				at := h.clock.Now()
				h.s.Update([]schedule.Job{changed})
				synctest.Wait()
				if got := old.cancellations(); got != tt.wantCancel {
					t.Errorf("old version saw %d cancellations, want %d", got, tt.wantCancel)
				}
				h.clock.Advance(4 * tt.to)
				after := h.rec.startsOf("x")[before:]
				if len(after) != 4 {
					t.Fatalf("changed job ran %d times in 4 intervals, want 4 (no prompt run)", len(after))
				}
				if d := after[0].Sub(at); d <= 0 || d > tt.to {
					t.Errorf("changed job first ran %v after the update, want within one interval", d)
				}
				if diff := cmp.Diff(repeat(tt.to, 3), diffs(after)); diff != "" {
					t.Errorf("gaps between runs of the changed job (-want +got):\n%s", diff)
				}
				mu.Lock()
				defer mu.Unlock()
				if diff := cmp.Diff([]string{"v2", "v2", "v2", "v2"}, tags); diff != "" {
					t.Errorf("Run funcs used after the change (-want +got):\n%s", diff)
				}
			})
		})
	}
}
