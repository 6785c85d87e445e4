package schedule_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/picket-monitor/picket/internal/schedule"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

// epoch is where fake time starts; deliberately not on any job's grid.
var epoch = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// event is one start or skip seen by the hooks.
type event struct {
	id              string
	planned, actual time.Time
}

// recorder collects what OnStart and OnSkip saw.
type recorder struct {
	mu     sync.Mutex
	starts []event
	skips  []event
}

func (r *recorder) onStart(id string, planned, actual time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts = append(r.starts, event{id, planned, actual})
}

func (r *recorder) onSkip(id string, planned time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.skips = append(r.skips, event{id: id, planned: planned})
}

// startsOf returns the planned times of id's starts, in order.
func (r *recorder) startsOf(id string) []time.Time { return r.of(id, r.starts) }

// skipsOf returns the planned times of id's skips, in order.
func (r *recorder) skipsOf(id string) []time.Time { return r.of(id, r.skips) }

func (r *recorder) of(id string, evs []event) []time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []time.Time
	for _, e := range evs {
		if e.id == id {
			out = append(out, e.planned)
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts, r.skips = nil, nil
}

// harness is a Scheduler running on a fake clock inside a synctest bubble.
type harness struct {
	clock  *schedtest.Clock
	s      *schedule.Scheduler
	rec    *recorder
	cancel context.CancelFunc
	done   chan error
}

// startHarness runs a scheduler with jobs from epoch; call it inside
// synctest.Test. The scheduler stops when the test ends.
func startHarness(t *testing.T, maxConcurrent int, jobs ...schedule.Job) *harness {
	t.Helper()
	return startHarnessAt(t, epoch, maxConcurrent, jobs...)
}

// startHarnessAt is startHarness with the fake clock starting at start.
func startHarnessAt(t *testing.T, start time.Time, maxConcurrent int, jobs ...schedule.Job) *harness {
	t.Helper()
	h := &harness{clock: schedtest.NewClock(start, synctest.Wait), rec: &recorder{}, done: make(chan error, 1)}
	h.s = schedule.New(schedule.Options{
		Clock: h.clock, MaxConcurrent: maxConcurrent,
		OnStart: h.rec.onStart, OnSkip: h.rec.onSkip,
	})
	h.s.Update(jobs)
	ctx, cancel := context.WithCancel(t.Context())
	h.cancel = cancel
	go func() { h.done <- h.s.Run(ctx) }()
	synctest.Wait()
	return h
}

// stop ends Run and returns its error.
func (h *harness) stop() error {
	h.cancel()
	return <-h.done
}

// gridOf drops a leading prompt run from planned times, recognised by its
// gap to the next run not being the interval.
func gridOf(planned []time.Time, interval time.Duration) []time.Time {
	if len(planned) > 1 && planned[1].Sub(planned[0]) != interval {
		return planned[1:]
	}
	return planned
}

func job(id string, interval time.Duration, run func(context.Context, time.Time)) schedule.Job {
	if run == nil {
		run = func(context.Context, time.Time) {}
	}
	return schedule.Job{ID: id, Interval: interval, Version: "v1", Run: run}
}

// blocker returns a Run that holds until release is closed or its context
// ends; it counts cancellations.
type blocker struct {
	release  chan struct{}
	mu       sync.Mutex
	canceled int
}

func newBlocker() *blocker { return &blocker{release: make(chan struct{})} }

func (b *blocker) run(ctx context.Context, _ time.Time) {
	select {
	case <-b.release:
	case <-ctx.Done():
		b.mu.Lock()
		b.canceled++
		b.mu.Unlock()
	}
}

// stubborn holds until release is closed, ignoring its context.
func (b *blocker) stubborn(context.Context, time.Time) { <-b.release }

func (b *blocker) cancellations() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.canceled
}

// diffs returns the gaps between consecutive times.
func diffs(ts []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(ts); i++ {
		out = append(out, ts[i].Sub(ts[i-1]))
	}
	return out
}

// repeat returns n copies of d.
func repeat(d time.Duration, n int) []time.Duration {
	if n <= 0 {
		return nil
	}
	return slices.Repeat([]time.Duration{d}, n)
}
