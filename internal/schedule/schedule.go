// Package schedule runs periodic jobs (Picket's checks) on time: it spreads
// jobs that share an interval evenly over it, never lets a slow job delay
// another, bounds how many run at once, and takes a new job list at any
// time without a restart. One goroutine, one timer and a min-heap drive all
// jobs, so ten thousand checks cost one wake-up per run; each run gets a
// short-lived goroutine, and a job never has more than one.
//
// Grid. A job's planned times are k*Interval + offset since the Unix epoch,
// where offset is a hash of the job's ID and Interval. The phase is thus the
// same after a restart, a reload, or a move to another node, and each next
// planned time is derived from the grid, never from "now + Interval", so
// there is no drift.
//
// New, changed and removed jobs (Update). A brand-new ID runs promptly: if
// its first grid slot is more than a second away, it gets one extra run
// within the next second (spread by the same hash), then follows its grid.
// This holds for the jobs present when Run starts too, so a restart
// refreshes every check within a second. A job whose Version (or Interval)
// changed is canceled if running and continues at its next grid slot with
// no extra run; callers that want an edited check to run at once call
// RunNow. A removed job's context is canceled and it never starts again,
// even if a run was waiting for a concurrency slot. An unchanged job is
// left exactly as it is.
//
// Overlap and lag. A run whose previous run of the same job is still going
// (or still waiting for a slot) is skipped, reported to OnSkip, and not
// stacked. When the loop is a whole interval or more behind a job (the
// process was suspended, the machine overloaded), the slots it missed are
// skipped: OnSkip is called once, with the planned time of the first
// missed slot, and the job runs once, for the latest slot that has passed.
// A resumed process thus refreshes each job once, as a restart does,
// instead of replaying every missed run; and an overloaded loop still
// starts every job once per pass rather than skipping them all. If the
// wall clock steps back by more than a second, all jobs are re-planned
// from the new time.
//
// Which jobs this node runs is the caller's choice: cluster assignment
// filters the job list before Update.
package schedule

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// promptWindow bounds how long a brand-new job waits for its first run.
const promptWindow = time.Second

// Options configure a Scheduler. The zero value is usable.
type Options struct {
	// Clock defaults to RealClock().
	Clock Clock
	// MaxConcurrent bounds the runs going at once; default 1000. A run
	// beyond it waits for a slot, and the wait shows up as lag in OnStart.
	MaxConcurrent int
	// OnStart, if set, is called as each run starts, with its planned and
	// actual start time.
	OnStart func(id string, planned, actual time.Time)
	// OnSkip, if set, is called for each run skipped because the previous
	// one is still going, and once for each stretch of slots missed while
	// the loop was a whole interval or more behind (see the package doc).
	OnSkip func(id string, planned time.Time)
}

// Scheduler runs jobs on their grids. Its methods are safe for concurrent
// use. Hooks are called from the scheduler's goroutines without its lock
// held; they must be quick, and may call the Scheduler's methods.
type Scheduler struct {
	clock   Clock
	onStart func(id string, planned, actual time.Time)
	onSkip  func(id string, planned time.Time)
	sem     chan struct{} // one token per run going
	wake    chan struct{} // tells the loop that the heap changed
	runs    sync.WaitGroup

	mu      sync.Mutex // protects the fields below
	entries map[string]*entry
	queue   timeHeap // entries by next run; filled only while running
	active  bool     // Run is going
	runCtx  context.Context
}

// New returns a Scheduler with no jobs.
func New(opts Options) *Scheduler {
	if opts.Clock == nil {
		opts.Clock = RealClock()
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = 1000
	}
	return &Scheduler{
		clock:   opts.Clock,
		onStart: opts.OnStart,
		onSkip:  opts.OnSkip,
		sem:     make(chan struct{}, opts.MaxConcurrent),
		wake:    make(chan struct{}, 1),
		entries: make(map[string]*entry),
	}
}

// Update replaces the job list; see the package doc for what happens to
// new, changed, unchanged and removed jobs. It may be called before or
// during Run. IDs must be unique; a job with a non-positive Interval or a
// nil Run is a programming error and panics.
func (s *Scheduler) Update(jobs []Job) {
	for _, j := range jobs {
		if j.Interval <= 0 || j.Run == nil {
			panic(fmt.Sprintf("schedule: job %q needs a positive Interval and a Run", j.ID))
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now().UnixNano()
	keep := make(map[string]struct{}, len(jobs))
	for _, j := range jobs {
		keep[j.ID] = struct{}{}
		old, ok := s.entries[j.ID]
		if ok && old.job.Version == j.Version && old.job.Interval == j.Interval {
			continue
		}
		if ok {
			s.removeLocked(old)
		}
		s.addLocked(j, !ok, now)
	}
	for id, e := range s.entries {
		if _, ok := keep[id]; !ok {
			s.removeLocked(e)
		}
	}
	s.poke()
}

// Len returns the number of jobs.
func (s *Scheduler) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.entries)
}

// RunNow plans one extra run of the job as soon as possible; the job's
// grid is unchanged. If the previous run is still going, the extra run is
// skipped like any other. Called before Run, the run happens as Run
// starts. RunNow reports false if there is no such job.
func (s *Scheduler) RunNow(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.entries[id]
	if !ok {
		return false
	}
	if !s.active {
		e.asap = true
		return true
	}
	if now := s.clock.Now().UnixNano(); now < e.next {
		e.next = now
		s.queue.fix(e.index)
	}
	s.poke()
	return true
}

// poke wakes the loop without blocking.
func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

func (s *Scheduler) addLocked(j Job, fresh bool, now int64) {
	e := &entry{job: j, offset: offset(j.ID, j.Interval), fresh: fresh, index: -1}
	s.entries[j.ID] = e
	if s.active {
		s.startLocked(e, now)
	}
}

// startLocked plans e and puts it on the heap.
func (s *Scheduler) startLocked(e *entry, now int64) {
	s.planLocked(e, now)
	s.queue.push(e)
}

func (s *Scheduler) removeLocked(e *entry) {
	if e.cancel != nil {
		e.cancel()
	}
	if e.index >= 0 {
		s.queue.remove(e.index)
	}
	delete(s.entries, e.job.ID)
}

// planLocked sets e's next run from now (Unix nanoseconds), leaving the
// heap's order to its callers.
func (s *Scheduler) planLocked(e *entry, now int64) {
	e.grid = slotAtOrAfter(now, int64(e.job.Interval), e.offset)
	e.next = e.grid
	switch {
	case e.asap:
		e.next = now
	case e.fresh && e.grid-now > int64(promptWindow):
		e.next = now + e.offset%int64(promptWindow)
	}
	e.fresh, e.asap = false, false
}
