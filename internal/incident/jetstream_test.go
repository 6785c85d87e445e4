package incident

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/bus/bustest"
	"github.com/picket-monitor/picket/internal/rule"
)

// waitFor bounds every wait on the bus.
const waitFor = 20 * time.Second

// startBus starts a real bus on dir for the test (see bustest.Start).
func startBus(t testing.TB, dir string) *bus.Bus { return bustest.Start(t, dir) }

// startOn returns a Manager on a JetStream store on b, sharing the rig's
// clock, sink and muter.
func (r *rig) startOn(t *testing.T, b *bus.Bus) *Manager {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	s, err := NewJetStream(ctx, b)
	if err != nil {
		t.Fatalf("NewJetStream: %v", err)
	}
	m, err := New(ctx, Options{Store: s, Sink: r.sink.Sink, Now: r.clock.Now, Muter: r.muter})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return m
}

// A Manager on a restarted bus continues the open incidents, their
// reminder schedules and flapping, and repeats nothing already handed on.
func TestJetStreamRestart(t *testing.T) {
	dir := t.TempDir()
	r := newRig(t, Options{})
	b := startBus(t, dir)
	r.m = r.startOn(t, b)
	r.observe(t, fails("api", 0))
	r.observe(t, fails("web", 0))
	r.observe(t, fails("old", 0))
	r.observe(t, recovers("old", time.Minute))
	r.observe(t, flap("db", 0, rule.KindFlapStart))
	r.tick(t, 10*time.Minute)
	r.clock.Set(t0.Add(12 * time.Minute))
	web := r.m.List(Filter{Check: "web"})[0].ID
	if _, err := r.m.Ack(t.Context(), web, "alice", "on it"); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	before := r.m.List(Filter{})
	r.sink.take()
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	b = startBus(t, dir)
	r.m = r.startOn(t, b)
	if diff := cmp.Diff(before, r.m.List(Filter{})); diff != "" {
		t.Errorf("incidents after the restart (-before +after):\n%s", diff)
	}
	r.observe(t, fails("api", 0)) // redelivered
	r.tick(t, 10*time.Minute)     // remind-1 was handed on before
	if ns := r.sink.take(); len(ns) != 0 {
		t.Errorf("after the restart, repeated: %v", sayings(ns))
	}
	if got, want := r.m.NextDue(), t0.Add(30*time.Minute); !got.Equal(want) {
		t.Errorf("NextDue = %v, want %v", got, want)
	}
	r.tick(t, 30*time.Minute)
	r.observe(t, fails("db", 31*time.Minute)) // still flapping: muted
	r.observe(t, flap("db", 32*time.Minute, rule.KindFlapStop))
	want := []said{
		{Kind: "reminder", Step: "remind-2", Summary: "still down after 30m (reminder 2 of 3)"},
		{Kind: "problem", Step: "open", Summary: "down: connection refused", Muted: MuteFlapping},
		{Kind: "stable", Step: "flap-stop", Summary: "stable again, but down for 1m: connection refused"},
	}
	if diff := cmp.Diff(want, sayings(r.sink.take())); diff != "" {
		t.Errorf("after the restart (-want +got):\n%s", diff)
	}
	checkAudit(t, b, before)
}

// checkAudit checks that the events stream holds api's entries, once each.
func checkAudit(t *testing.T, b *bus.Bus, incs []Incident) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	evs, err := b.Events(ctx, bus.EventFilter{Check: "api"})
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	var got []string
	for _, e := range evs {
		if e.Kind != EventKind {
			t.Errorf("event kind %q, want %q", e.Kind, EventKind)
		}
		got = append(got, e.Reason)
	}
	var api string
	for _, inc := range incs {
		if inc.Check == "api" {
			api = inc.ID
		}
	}
	want := []string{
		api + " opened: down: connection refused",
		api + " reminder: reminder 1 of 3: down for 10m",
		api + " reminder: reminder 2 of 3: down for 30m",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit log of api (-want +got):\n%s", diff)
	}
}

func TestJetStreamGet(t *testing.T) {
	r := newRig(t, Options{})
	b := startBus(t, t.TempDir())
	r.m = r.startOn(t, b)
	r.observe(t, fails("api", 0))
	id := only(t, r.m, "api").ID
	s, err := NewJetStream(t.Context(), b)
	if err != nil {
		t.Fatalf("NewJetStream: %v", err)
	}
	for _, tt := range []struct {
		id   string
		want bool
	}{{id, true}, {"inc-0000000000000000", false}, {"flap.db", false}, {"../etc", false}, {"", false}} {
		inc, ok, err := s.Get(t.Context(), tt.id)
		if err != nil || ok != tt.want || (ok && inc.ID != id) {
			t.Errorf("Get(%q) = %v, %v, %v; want found %v", tt.id, inc.ID, ok, err, tt.want)
		}
	}
	if !strings.HasPrefix(id, "inc-") || len(id) != 20 {
		t.Errorf("id %q: want inc- and 16 characters", id)
	}
}
