package mute

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

// openSilences opens the silences kept on b.
func openSilences(t *testing.T, b *bus.Bus, clock *schedtest.Clock) *Silences {
	t.Helper()
	store, err := NewKVStore(testCtx(t), b)
	if err != nil {
		t.Fatalf("NewKVStore: %v", err)
	}
	s, err := NewSilences(testCtx(t), store, clock.Now, 0)
	if err != nil {
		t.Fatalf("NewSilences: %v", err)
	}
	return s
}

// TestKVStoreSurvivesRestart adds, expires and prunes silences on a real
// bus, restarting the bus in between: what was stored is what comes back.
func TestKVStoreSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clock := schedtest.NewClock(silT0, nil)
	b := startBus(t, dir)
	s := openSilences(t, b, clock)
	if got := s.List(); len(got) != 0 {
		t.Fatalf("a new bucket has silences: %v", got)
	}
	keep, err := s.Add(testCtx(t), Silence{Matchers: matchers(t, "check=web", "team=~pay.*"),
		EndsAt: silT0.Add(2 * time.Hour), CreatedBy: "ana", Comment: "deploy"})
	if err != nil {
		t.Fatal(err)
	}
	ended, err := s.Add(testCtx(t), Silence{Matchers: matchers(t, "check=db"), EndsAt: silT0.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Expire(testCtx(t), ended.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = startBus(t, dir)
	s = openSilences(t, b, clock)
	if diff := cmp.Diff([]Silence{keep}, s.List()); diff != "" {
		t.Errorf("active after restart (-want +got):\n%s", diff)
	}
	if got := s.Expired(); len(got) != 1 || got[0].ID != ended.ID || !got[0].EndsAt.Equal(silT0) {
		t.Errorf("expired after restart = %+v; want %s ended at %s", got, ended.ID, silT0)
	}
	target := Target{Check: "web", Labels: map[string]string{"team": "payments"}, Time: silT0.Add(time.Hour)}
	if r, muted := s.Muted(target); !muted || r.ID != keep.ID || r.Detail != "deploy" {
		t.Errorf("Muted after restart = %+v, %v; want %s", r, muted, keep.ID)
	}

	clock.Advance(DefaultKeepExpired + time.Minute)
	if err := s.Prune(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b = startBus(t, dir)
	s = openSilences(t, b, clock)
	if got := s.Expired(); len(got) != 1 || got[0].ID != keep.ID {
		t.Errorf("after prune and restart, expired = %v; want only %s (ended less than a day ago)", ids(got), keep.ID)
	}
	if _, ok := s.Get(ended.ID); ok {
		t.Errorf("pruned silence %s came back after restart", ended.ID)
	}
}
