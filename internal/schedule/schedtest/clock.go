// Package schedtest provides a fake schedule.Clock whose time moves only
// when a test says so, firing timers one at a time in deadline order.
package schedtest

import (
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/schedule"
)

// maxFiresAtOnce bounds how many timers Advance fires without time moving,
// so a timer re-armed with zero duration forever fails loudly.
const maxFiresAtOnce = 1_000_000

// Clock is a fake schedule.Clock. Its zero value is not usable; call
// NewClock.
type Clock struct {
	settle func()

	mu     sync.Mutex // protects the fields below
	now    time.Time
	timers map[*timer]struct{} // armed timers
	made   uint64              // timers made so far, to order equal deadlines
	late   time.Duration       // how long after its deadline a timer fires
}

// NewClock returns a clock reading start. settle, if not nil, is called
// after each timer fires, to let the timer's receivers react before time
// moves on; inside a testing/synctest bubble, pass synctest.Wait.
func NewClock(start time.Time, settle func()) *Clock {
	return &Clock{settle: settle, now: start, timers: make(map[*timer]struct{})}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// NewTimer returns a timer that fires when the clock reaches Now()+d.
func (c *Clock) NewTimer(d time.Duration) schedule.Timer {
	c.mu.Lock()
	c.made++
	t := &timer{c: c, ch: make(chan time.Time, 1), seq: c.made}
	c.mu.Unlock()
	t.Reset(d)
	return t
}

// Advance moves the clock forward by d. Each timer due on the way fires in
// deadline order with the clock set to its deadline, followed by settle,
// so a receiver that re-arms its timer sees it fire again within the same
// Advance if the new deadline is still in range.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for fires := 0; c.fireNext(end); fires++ {
		if fires == maxFiresAtOnce {
			panic("schedtest: timers keep firing without the clock moving")
		}
		if c.settle != nil {
			c.settle()
		}
	}
	c.mu.Lock()
	c.now = end
	c.mu.Unlock()
}

// Jump moves the clock forward by d at once, the way a suspended process
// sees time after it resumes: timers due meanwhile fire only afterwards,
// all at the new time.
func (c *Clock) Jump(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	c.Advance(0)
}

// SetLatency makes timers fire d after their deadline from now on, the
// way they do on a loaded machine.
func (c *Clock) SetLatency(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.late = d
}

// Armed returns the number of timers that are armed and not yet fired.
func (c *Clock) Armed() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// fireNext fires the armed timer with the earliest deadline not after end
// and reports whether there was one.
func (c *Clock) fireNext(end time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	var next *timer
	for t := range c.timers {
		if !t.when.Add(c.late).After(end) && (next == nil || t.firesBefore(next)) {
			next = t
		}
	}
	if next == nil {
		return false
	}
	if at := next.when.Add(c.late); at.After(c.now) {
		c.now = at
	}
	c.fireLocked(next)
	return true
}

func (c *Clock) fireLocked(t *timer) {
	delete(c.timers, t)
	select {
	case t.ch <- c.now:
	default: // unreachable: Reset and Stop drain the channel
	}
}

type timer struct {
	c    *Clock
	ch   chan time.Time
	seq  uint64
	when time.Time // guarded by c.mu
}

// firesBefore orders timers by deadline, then by creation.
func (t *timer) firesBefore(u *timer) bool {
	if !t.when.Equal(u.when) {
		return t.when.Before(u.when)
	}
	return t.seq < u.seq
}

func (t *timer) C() <-chan time.Time { return t.ch }

func (t *timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	return t.disarmLocked()
}

func (t *timer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.disarmLocked()
	t.when = t.c.now.Add(d)
	t.c.timers[t] = struct{}{}
	if d <= 0 {
		t.c.fireLocked(t)
	}
	return was
}

// disarmLocked removes t and drops a fired value nobody received, as
// time.Timer does since Go 1.23.
func (t *timer) disarmLocked() bool {
	_, armed := t.c.timers[t]
	delete(t.c.timers, t)
	select {
	case <-t.ch:
	default:
	}
	return armed
}
