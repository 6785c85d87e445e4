package schedule

import (
	"context"
	"errors"
	"time"
)

// ErrRunning is returned by Run when the Scheduler is already running.
var ErrRunning = errors.New("schedule: already running")

// Run runs the jobs until ctx ends, then cancels the runs still going,
// waits for them to return, and returns nil. Jobs given to Update before
// Run are planned when it starts. Run returns ErrRunning at once if
// another Run is going; after it returns it may be called again.
func (s *Scheduler) Run(ctx context.Context) error {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := s.begin(runCtx); err != nil {
		return err
	}
	s.loop(ctx)
	cancel()
	s.runs.Wait()
	s.end()
	return nil
}

func (s *Scheduler) begin(runCtx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active {
		return ErrRunning
	}
	s.active, s.runCtx = true, runCtx
	now := s.clock.Now().UnixNano()
	for _, e := range s.entries {
		s.startLocked(e, now)
	}
	return nil
}

func (s *Scheduler) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.queue {
		e.cancel, e.index, e.running = nil, -1, false
	}
	s.queue, s.active, s.runCtx = nil, false, nil
}

// loop is the one goroutine that decides what runs when. It never blocks
// on a run: runs wait for a concurrency slot in their own goroutines.
func (s *Scheduler) loop(ctx context.Context) {
	timer := s.clock.NewTimer(time.Hour)
	defer timer.Stop()
	var b batch
	last := s.clock.Now()
	for {
		wait, ok := s.dispatch(&b, &last)
		if ok {
			timer.Reset(wait)
		} else {
			timer.Stop()
		}
		select {
		case <-ctx.Done():
			return
		case <-timer.C():
		case <-s.wake:
		}
	}
}

// dispatch handles every run due by now and returns how long until the
// next one; ok is false when there are no jobs.
func (s *Scheduler) dispatch(b *batch, last *time.Time) (wait time.Duration, ok bool) {
	s.mu.Lock()
	now := s.clock.Now()
	if steppedBack(*last, now) {
		s.replanLocked(now)
	}
	*last = now
	ns := now.UnixNano()
	for len(s.queue) > 0 && s.queue[0].next <= ns {
		s.dueLocked(s.queue[0], ns, b)
	}
	if len(s.queue) > 0 {
		wait, ok = time.Duration(s.queue[0].next-ns), true
	}
	s.mu.Unlock()
	s.flush(b)
	return wait, ok
}

// dueLocked moves e, the heap's top, to its next planned time and adds the
// run it was due for to b, as a start or as a skip. However late the loop
// is, a job gets at most one run here, so the loop always makes progress.
func (s *Scheduler) dueLocked(e *entry, now int64, b *batch) {
	planned, iv := e.next, int64(e.job.Interval)
	if planned < e.grid { // a prompt or RunNow run, off the grid
		e.next = e.grid
	} else {
		if now-planned >= iv { // missed slots: keep the latest
			b.skips = append(b.skips, skip{e.job.ID, planned})
			planned = slotAfter(now, iv, e.offset) - iv
		}
		e.grid = planned + iv
		e.next = e.grid
	}
	s.queue.fix(0)
	if e.running {
		b.skips = append(b.skips, skip{e.job.ID, planned})
		return
	}
	e.running = true
	ctx, cancel := context.WithCancel(s.runCtx)
	e.cancel = cancel
	b.starts = append(b.starts, start{e, ctx, planned})
}

// steppedBack reports whether the wall clock was set back by more than a
// second between last and now, measured against the monotonic clock.
// Times without a monotonic reading (fake clocks) never step back.
func steppedBack(last, now time.Time) bool {
	return now.Sub(last)-now.Round(0).Sub(last.Round(0)) > time.Second
}

// replanLocked puts every job on its first grid slot from now, dropping
// pending off-grid runs.
func (s *Scheduler) replanLocked(now time.Time) {
	for _, e := range s.queue {
		s.planLocked(e, now.UnixNano())
	}
	s.queue.init()
}
