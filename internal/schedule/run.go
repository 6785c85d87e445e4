package schedule

import (
	"context"
	"time"
)

// start is a run that dispatch decided to start.
type start struct {
	e       *entry
	ctx     context.Context
	planned int64 // Unix nanoseconds
}

// skip is a run that dispatch decided to skip.
type skip struct {
	id      string
	planned int64 // Unix nanoseconds
}

// batch collects dispatch's decisions so that they are acted on without
// the lock held. Its slices are reused from one dispatch to the next.
type batch struct {
	starts []start
	skips  []skip
}

// flush starts the runs in b, reports its skips and empties it.
func (s *Scheduler) flush(b *batch) {
	for _, st := range b.starts {
		s.runs.Add(1)
		go s.run(st)
	}
	if s.onSkip != nil {
		for _, k := range b.skips {
			s.onSkip(k.id, time.Unix(0, k.planned))
		}
	}
	clear(b.starts)
	b.starts, b.skips = b.starts[:0], b.skips[:0]
}

// run is one run's goroutine: it waits for a concurrency slot, then runs
// the job unless the job was removed, changed or stopped meanwhile.
func (s *Scheduler) run(st start) {
	defer s.runs.Done()
	defer s.finish(st.e)
	select {
	case s.sem <- struct{}{}:
	case <-st.ctx.Done():
		return
	}
	defer func() { <-s.sem }()
	if !s.live(st.ctx) {
		return
	}
	planned := time.Unix(0, st.planned)
	if s.onStart != nil {
		s.onStart(st.e.job.ID, planned, s.clock.Now())
	}
	st.e.job.Run(st.ctx, planned)
}

// live reports whether ctx is still going. Update cancels under the lock,
// so once Update returns, no run of a removed job can begin.
func (s *Scheduler) live(ctx context.Context) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return ctx.Err() == nil
}

// finish marks e idle and releases its run's context.
func (s *Scheduler) finish(e *entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.cancel != nil {
		e.cancel()
	}
	e.running, e.cancel = false, nil
}
