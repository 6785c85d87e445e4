package agent

import (
	"sync"
	"time"
)

// Live mode: while someone watches the host, every collector runs every
// second and each batch is sent at once.
const (
	liveInterval   = time.Second
	defaultLiveFor = time.Minute
	maxLiveFor     = 10 * time.Minute
)

// live is until when live mode lasts, shared by the loops and the
// commands; the loops are woken when it starts, so the cadence changes at
// once.
type live struct {
	mu    sync.Mutex // protects the fields below
	until time.Time
	wakes []chan struct{}
}

// start makes live mode last at least until until and wakes the loops.
func (l *live) start(until time.Time) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until.After(l.until) {
		l.until = until
	}
	for _, w := range l.wakes {
		select {
		case w <- struct{}{}:
		default:
		}
	}
	return l.until
}

// on reports whether live mode is on at now.
func (l *live) on(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Before(l.until)
}

// every returns the interval of a loop whose normal interval is d.
func (l *live) every(now time.Time, d time.Duration) time.Duration {
	if l.on(now) {
		return min(d, liveInterval)
	}
	return d
}

// wake returns a channel that receives a value when live mode starts.
func (l *live) wake() <-chan struct{} {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := make(chan struct{}, 1)
	l.wakes = append(l.wakes, w)
	return w
}

// nextTick returns the first multiple of every after now: ticks fall on
// whole seconds, so timestamps are regular and compress to nothing.
func nextTick(now time.Time, every time.Duration) time.Time {
	return now.Truncate(every).Add(every)
}
