package schedule

import "time"

// Clock is the scheduler's source of time. RealClock is the production
// clock; tests use schedtest.Clock, which only moves when told to.
type Clock interface {
	Now() time.Time
	// NewTimer returns a started timer that fires once after d.
	NewTimer(d time.Duration) Timer
}

// Timer mirrors *time.Timer with Go 1.23 semantics: after Stop or Reset
// returns, no value from before the call is received from C.
type Timer interface {
	C() <-chan time.Time
	// Stop prevents the timer from firing. It reports whether the call
	// stopped it, false if it had already fired or been stopped.
	Stop() bool
	// Reset makes the timer fire after d. It reports whether the timer had
	// been active.
	Reset(d time.Duration) bool
}

// RealClock returns the clock of the time package.
func RealClock() Clock { return realClock{} }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }
