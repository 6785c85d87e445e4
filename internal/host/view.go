package host

import (
	"cmp"
	"slices"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// DefaultEventLimit caps Events when no limit is given.
const DefaultEventLimit = DefaultMaxEvents

// Hosts returns every host, sorted by id.
func (r *Registry) Hosts() []Host {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Host, 0, len(r.hosts))
	for _, e := range r.hosts {
		out = append(out, r.viewLocked(e, now))
	}
	slices.SortFunc(out, func(a, b Host) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Host returns host id, and false when there is none.
func (r *Registry) Host(id string) (Host, bool) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.hosts[id]
	if !ok {
		return Host{}, false
	}
	return r.viewLocked(e, now), true
}

// Processes returns host id's current process table, and false when there
// is no such host. The table is empty until the agent sent one.
func (r *Registry) Processes(id string) (ProcessTable, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.hosts[id]
	if !ok {
		return ProcessTable{}, false
	}
	t := ProcessTable{Host: id, Processes: slices.Clone(e.procs)}
	if t.Processes == nil {
		t.Processes = []collector.Process{}
	}
	if e.hasTable {
		t.Time = timePtr(e.procsAt)
	}
	return t, true
}

// Events returns host id's process births and deaths that happened after
// since (all kept for a zero since), oldest first: at most limit of the
// newest (DefaultEventLimit when limit <= 0). It returns false when there
// is no such host.
func (r *Registry) Events(id string, since time.Time, limit int) ([]Event, bool) {
	if limit <= 0 {
		limit = DefaultEventLimit
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.hosts[id]
	if !ok {
		return nil, false
	}
	return e.events.since(since, limit), true
}

func (r *Registry) viewLocked(e *entry, now time.Time) Host {
	status, since := r.statusLocked(e, now)
	h := Host{
		ID:        e.id,
		Name:      cmp.Or(e.hello.Hostname, e.id),
		Status:    status,
		Connected: status == StatusUp,
		Since:     since,
		HostInfo:  e.hello,
		Figures:   e.figures,
		LastSeq:   e.lastSeq,
		Processes: len(e.procs),
	}
	h.Collectors = slices.Clone(h.Collectors)
	if !e.lastSeen.IsZero() {
		h.LastSeen = timePtr(e.lastSeen)
	}
	if !e.helloAt.IsZero() {
		h.HelloAt = timePtr(e.helloAt)
	}
	if e.lastError != nil {
		p := *e.lastError
		h.LastError = &p
	}
	return h
}

// statusLocked returns e's status at now and when it began (nil while
// unknown): up within the grace period after a message, down after it,
// or, for a host never heard from, once the grace period after it was
// listed is over.
func (r *Registry) statusLocked(e *entry, now time.Time) (string, *time.Time) {
	switch {
	case e.lastSeen.IsZero() && now.Sub(e.listed) <= r.grace:
		return StatusUnknown, nil
	case e.lastSeen.IsZero():
		return StatusDown, timePtr(e.listed.Add(r.grace))
	case now.Sub(e.lastSeen) <= r.grace:
		return StatusUp, timePtr(e.upSince)
	default:
		return StatusDown, timePtr(e.lastSeen.Add(r.grace))
	}
}

func timePtr(t time.Time) *time.Time { return &t }
