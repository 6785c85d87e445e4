package host

import (
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// ring keeps the last cap(buf) events of one host, oldest first from
// start; the oldest is dropped when a new one comes.
type ring struct {
	buf     []Event
	start   int
	n       int
	nextSeq uint64
	dropped uint64 // events pushed out since the server started
}

func newRing(size int) *ring {
	return &ring{buf: make([]Event, size), nextSeq: 1}
}

func (r *ring) push(e collector.ProcessEvent) {
	ev := Event{Seq: r.nextSeq, ProcessEvent: e}
	r.nextSeq++
	if r.n < len(r.buf) {
		r.buf[(r.start+r.n)%len(r.buf)] = ev
		r.n++
		return
	}
	r.buf[r.start] = ev
	r.start = (r.start + 1) % len(r.buf)
	r.dropped++
}

// since returns, oldest first, the events whose time is after since
// (all of them for a zero since), at most limit of the newest ones.
func (r *ring) since(since time.Time, limit int) []Event {
	first := r.n
	for first > 0 && r.at(first-1).Time.After(since) {
		first--
	}
	if r.n-first > limit {
		first = r.n - limit
	}
	out := make([]Event, 0, r.n-first)
	for i := first; i < r.n; i++ {
		out = append(out, r.at(i))
	}
	return out
}

func (r *ring) at(i int) Event { return r.buf[(r.start+i)%len(r.buf)] }
