package schedule_test

import (
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/schedule"
)

func TestSpread(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const n, iv = 100, 10 * time.Second
		var jobs []schedule.Job
		for i := range n {
			jobs = append(jobs, job(fmt.Sprintf("check-%03d", i), iv, nil))
		}
		h := startHarness(t, 0, jobs...)
		h.clock.Advance(iv) // prompt runs and first grid runs
		h.rec.reset()
		h.clock.Advance(iv) // exactly one grid slot per job

		from := epoch.Add(iv)
		seen := map[string]bool{}
		var planned []time.Time
		buckets := make([]int, 10)
		for _, e := range h.rec.starts {
			if e.planned.Before(from) || !e.planned.Before(from.Add(iv)) {
				t.Fatalf("run of %s planned at %v, outside the interval advanced over", e.id, e.planned)
			}
			seen[e.id] = true
			planned = append(planned, e.planned)
			buckets[e.planned.Sub(from)*10/iv]++
		}
		if len(planned) != n || len(seen) != n {
			t.Fatalf("got %d runs of %d jobs in one interval, want %d of %d", len(planned), len(seen), n, n)
		}
		slices.SortFunc(planned, time.Time.Compare)
		if c := slices.CompactFunc(planned, time.Time.Equal); len(c) != n {
			t.Errorf("got %d distinct planned times, want %d", len(c), n)
		}
		for i, b := range buckets {
			if b < 3 || b > 19 {
				t.Errorf("tenth %d of the interval holds %d runs, want about 10 (all: %v)", i, b, buckets)
			}
		}
	})
}

func TestNoDrift(t *testing.T) {
	intervals := []time.Duration{
		7 * time.Second, 10 * time.Second, time.Minute, 5 * time.Minute,
		13*time.Minute + 17*time.Millisecond + 3,
	}
	for _, iv := range intervals {
		t.Run(iv.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				// Every timer fires late, as on a busy machine; planned
				// times must not follow.
				const late = 3 * time.Millisecond
				h := startHarness(t, 0, job("x", iv, nil))
				h.clock.SetLatency(late)
				for range 6 * 60 {
					h.clock.Advance(time.Minute)
				}
				end := h.clock.Now().Add(-late)
				for _, e := range h.rec.starts {
					if lag := e.actual.Sub(e.planned); lag != late {
						t.Fatalf("run planned at %v started %v late, want %v", e.planned, lag, late)
					}
				}
				if len(h.rec.skips) != 0 {
					t.Errorf("got %d skips, want none", len(h.rec.skips))
				}
				grid := gridOf(h.rec.startsOf("x"), iv)
				if grid[0].Before(epoch) || !grid[0].Before(epoch.Add(iv)) {
					t.Errorf("first grid run at %v, want within one interval of %v", grid[0], epoch)
				}
				want := int(end.Sub(grid[0])/iv) + 1
				if diff := cmp.Diff(repeat(iv, want-1), diffs(grid)); diff != "" {
					t.Errorf("gaps between runs over 6h (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestPhaseSurvivesRestart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		jobs := []schedule.Job{job("a", 10*time.Second, nil), job("b", time.Minute, nil)}
		first := startHarness(t, 0, jobs...)
		first.clock.Advance(5 * time.Minute)
		if err := first.stop(); err != nil {
			t.Fatal(err)
		}
		later := epoch.Add(3*time.Hour + 17*time.Minute + 13500*time.Millisecond)
		second := startHarnessAt(t, later, 0, jobs...)
		second.clock.Advance(5 * time.Minute)
		for _, j := range jobs {
			g1 := gridOf(first.rec.startsOf(j.ID), j.Interval)
			g2 := gridOf(second.rec.startsOf(j.ID), j.Interval)
			if d := g2[0].Sub(g1[0]); d%j.Interval != 0 {
				t.Errorf("job %s: grid moved by %v across a restart, want a whole number of intervals", j.ID, d%j.Interval)
			}
		}
	})
}

func TestNewJobRunsPromptly(t *testing.T) {
	tests := []struct {
		name      string
		interval  time.Duration
		later     bool // added by Update during Run, not before it
		wantRuns  int  // within one interval of being added
		wantFirst time.Duration
	}{
		{name: "present at start", interval: time.Hour, wantRuns: 2, wantFirst: time.Second},
		{name: "added during run", interval: time.Hour, later: true, wantRuns: 2, wantFirst: time.Second},
		{name: "short interval keeps its grid", interval: 500 * time.Millisecond, later: true, wantRuns: 1, wantFirst: 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				other := job("other", time.Minute, nil)
				added := job("new", tt.interval, nil)
				initial := []schedule.Job{other}
				if !tt.later {
					initial = append(initial, added)
				}
				h := startHarness(t, 0, initial...)
				if tt.later {
					h.clock.Advance(90*time.Second + 250*time.Millisecond)
					h.s.Update([]schedule.Job{other, added})
					synctest.Wait()
				}
				t0 := h.clock.Now()
				h.clock.Advance(tt.interval)
				got := h.rec.startsOf("new")
				if len(got) != tt.wantRuns {
					t.Fatalf("got %d runs within an interval of adding, want %d: %v", len(got), tt.wantRuns, got)
				}
				if d := got[0].Sub(t0); d < 0 || d >= tt.wantFirst {
					t.Errorf("first run %v after adding, want within %v", d, tt.wantFirst)
				}
			})
		})
	}
}
