package incident

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
)

// t0 is when each test's first change happens.
var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

// clock is a fake clock that moves only when told.
type clock struct {
	mu sync.Mutex // protects now
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// memStore is a Store in memory; fail, when set, makes the next writes
// fail.
type memStore struct {
	mu        sync.Mutex // protects the fields below
	incidents map[string]Incident
	flaps     map[string]Flap
	audit     []string
	fail      error
}

func newMemStore() *memStore {
	return &memStore{incidents: map[string]Incident{}, flaps: map[string]Flap{}}
}

func (s *memStore) Load(context.Context) (Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var snap Snapshot
	for _, inc := range s.incidents {
		snap.Incidents = append(snap.Incidents, inc.clone())
	}
	for _, f := range s.flaps {
		snap.Flaps = append(snap.Flaps, f)
	}
	return snap, nil
}

func (s *memStore) Get(_ context.Context, id string) (Incident, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, ok := s.incidents[id]
	return inc.clone(), ok, nil
}

func (s *memStore) Put(_ context.Context, inc Incident) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.incidents[inc.ID] = inc.clone()
	return nil
}

func (s *memStore) PutFlap(_ context.Context, f Flap) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.flaps[f.Check] = f
	return nil
}

func (s *memStore) DeleteFlap(_ context.Context, check string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	delete(s.flaps, check)
	return nil
}

// Append keeps entries once, like the events stream's duplicate window.
func (s *memStore) Append(_ context.Context, check, id string, e Entry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	line := fmt.Sprintf("%s %s %s %s", check, id, e.Kind, e.Text)
	if !slices.Contains(s.audit, line) {
		s.audit = append(s.audit, line)
	}
	return nil
}

// sink records notices; fail, when set, makes it fail.
type sink struct {
	mu      sync.Mutex // protects the fields below
	notices []Notice
	fail    error
}

func (s *sink) Sink(_ context.Context, ns []Notice) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.notices = append(s.notices, ns...)
	return nil
}

// take returns the notices recorded since the last take.
func (s *sink) take() []Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.notices
	s.notices = nil
	return out
}

// muter mutes the checks in its map, by check id.
type muter struct {
	mu    sync.Mutex // protects by
	by    map[string]mute.Reason
	asked []mute.Target
}

func (m *muter) Muted(t mute.Target) (mute.Reason, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.asked = append(m.asked, t)
	r, ok := m.by[t.Check]
	return r, ok
}

func (m *muter) set(check string, r *mute.Reason) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r == nil {
		delete(m.by, check)
		return
	}
	m.by[check] = *r
}

// rig is a Manager with its fakes.
type rig struct {
	m     *Manager
	clock *clock
	store *memStore
	sink  *sink
	muter *muter
}

func newRig(t *testing.T, opts Options) *rig {
	t.Helper()
	r := &rig{clock: &clock{t: t0}, store: newMemStore(), sink: &sink{}, muter: &muter{by: map[string]mute.Reason{}}}
	r.m = r.start(t, opts)
	return r
}

// start returns a new Manager on the rig's store, as after a restart.
func (r *rig) start(t *testing.T, opts Options) *Manager {
	t.Helper()
	opts.Store, opts.Sink, opts.Now = r.store, r.sink.Sink, r.clock.Now
	if opts.Muter == nil {
		opts.Muter = r.muter
	}
	m, err := New(t.Context(), opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

func (r *rig) observe(t *testing.T, c rule.Change) {
	t.Helper()
	if err := r.m.Observe(t.Context(), c); err != nil {
		t.Fatalf("Observe(%+v): %v", c, err)
	}
}

// tick moves the clock to t0+d and ticks.
func (r *rig) tick(t *testing.T, d time.Duration) {
	t.Helper()
	r.clock.Set(t0.Add(d))
	if err := r.m.Tick(t.Context()); err != nil {
		t.Fatalf("Tick at %s: %v", d, err)
	}
}

// hard returns a hard change of check at t0+d.
func hard(check string, d time.Duration, from, to probe.Status, reason string) rule.Change {
	return rule.Change{Check: check, Kind: rule.KindHard, From: from, To: to, Time: t0.Add(d), Reason: reason}
}

func fails(check string, d time.Duration) rule.Change {
	return hard(check, d, probe.StatusUp, probe.StatusDown, "connection refused")
}

func recovers(check string, d time.Duration) rule.Change {
	return hard(check, d, probe.StatusDown, probe.StatusUp, "HTTP 200")
}

func flap(check string, d time.Duration, kind rule.ChangeKind) rule.Change {
	return rule.Change{Check: check, Kind: kind, Time: t0.Add(d)}
}

// said is what a test compares of a notice.
type said struct {
	Kind, Step, Summary, Muted string
}

func sayings(ns []Notice) []said {
	var out []said
	for _, n := range ns {
		s := said{Kind: string(n.Kind), Step: n.Step, Summary: n.Summary}
		if n.Muted != nil {
			s.Muted = n.Muted.Kind
		}
		out = append(out, s)
	}
	return out
}

// sent returns the notices that are to be sent, not muted.
func sent(ns []Notice) []Notice {
	return slices.DeleteFunc(slices.Clone(ns), func(n Notice) bool { return n.Muted != nil })
}

// only returns the single open incident of check.
func only(t *testing.T, m *Manager, check string) Incident {
	t.Helper()
	l := m.List(Filter{Check: check})
	if len(l) != 1 {
		t.Fatalf("incidents of %s: got %d, want 1: %+v", check, len(l), l)
	}
	return l[0]
}

var errBoom = errors.New("boom")
