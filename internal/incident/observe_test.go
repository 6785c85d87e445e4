package incident

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
)

const (
	up       = probe.StatusUp
	down     = probe.StatusDown
	degraded = probe.StatusDegraded
	unknown  = probe.StatusUnknown
)

func TestObserve(t *testing.T) {
	maint := &mute.Reason{Kind: "maintenance", ID: "patching", Until: t0.Add(2 * time.Hour)}
	tests := []struct {
		name    string
		mute    *mute.Reason // mutes check "api" throughout
		changes []rule.Change
		want    []said
		// what the check's one incident looks like at the end
		status   probe.Status
		severity notify.Severity
		resolved time.Duration // since t0; -1 means open
	}{{
		name:    "hard down opens an incident",
		changes: []rule.Change{fails("api", 0)},
		want:    []said{{Kind: "problem", Step: "open", Summary: "down: connection refused"}},
		status:  down, severity: notify.SeverityCritical, resolved: -1,
	}, {
		name:    "from unknown too",
		changes: []rule.Change{hard("api", 0, unknown, degraded, "slow: 900ms")},
		want:    []said{{Kind: "problem", Step: "open", Summary: "degraded: slow: 900ms"}},
		status:  degraded, severity: notify.SeverityWarning, resolved: -1,
	}, {
		name:    "no second incident while one is open",
		changes: []rule.Change{fails("api", 0), fails("api", time.Minute), hard("api", 2*time.Minute, unknown, down, "timeout")},
		want:    []said{{Kind: "problem", Step: "open", Summary: "down: connection refused"}},
		status:  down, severity: notify.SeverityCritical, resolved: -1,
	}, {
		name: "the same change twice is applied once",
		changes: []rule.Change{fails("api", 0), fails("api", 0), recovers("api", time.Hour),
			recovers("api", time.Hour), fails("api", 0)},
		want: []said{{Kind: "problem", Step: "open", Summary: "down: connection refused"},
			{Kind: "recovery", Step: "resolve", Summary: "back up after 1h"}},
		status: down, severity: notify.SeverityCritical, resolved: time.Hour,
	}, {
		name: "worse severity notifies, better only records",
		changes: []rule.Change{hard("api", 0, up, degraded, "slow"), hard("api", time.Minute, degraded, down, "refused"),
			hard("api", 2*time.Minute, down, degraded, "slow again")},
		want: []said{{Kind: "problem", Step: "open", Summary: "degraded: slow"},
			{Kind: "problem", Step: "severity-1", Summary: "down: refused"}},
		status: degraded, severity: notify.SeverityWarning, resolved: -1,
	}, {
		name:    "hard up resolves with the downtime",
		changes: []rule.Change{fails("api", 0), recovers("api", time.Hour+12*time.Minute+30*time.Second)},
		want: []said{{Kind: "problem", Step: "open", Summary: "down: connection refused"},
			{Kind: "recovery", Step: "resolve", Summary: "back up after 1h12m"}},
		status: down, severity: notify.SeverityCritical, resolved: time.Hour + 12*time.Minute + 30*time.Second,
	}, {
		name: "downtime counts from the first failure of the streak",
		changes: []rule.Change{withSince(fails("api", time.Minute), 0),
			recovers("api", time.Hour)},
		want: []said{{Kind: "problem", Step: "open", Summary: "down: connection refused"},
			{Kind: "recovery", Step: "resolve", Summary: "back up after 1h"}},
		status: down, severity: notify.SeverityCritical, resolved: time.Hour,
	}, {
		name:    "a change made while flapping does not page",
		changes: []rule.Change{flapping(fails("api", 0)), flapping(recovers("api", time.Hour))},
		want: []said{{Kind: "problem", Step: "open", Summary: "down: connection refused", Muted: MuteFlapping},
			{Kind: "recovery", Step: "resolve", Summary: "back up after 1h", Muted: MuteFlapping}},
		status: down, severity: notify.SeverityCritical, resolved: time.Hour,
	}, {
		name:    "muted incident is recorded, its notices muted",
		mute:    maint,
		changes: []rule.Change{fails("api", 0), recovers("api", time.Hour)},
		want: []said{{Kind: "problem", Step: "open", Summary: "down: connection refused", Muted: "maintenance"},
			{Kind: "recovery", Step: "resolve", Summary: "back up after 1h", Muted: "maintenance"}},
		status: down, severity: notify.SeverityCritical, resolved: time.Hour,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Options{})
			r.muter.set("api", tt.mute)
			for _, c := range tt.changes {
				r.observe(t, c)
			}
			if diff := cmp.Diff(tt.want, sayings(r.sink.take())); diff != "" {
				t.Errorf("notices (-want +got):\n%s", diff)
			}
			inc := only(t, r.m, "api")
			if inc.Status != tt.status || inc.Severity != tt.severity {
				t.Errorf("incident is %s/%s, want %s/%s", inc.Status, inc.Severity, tt.status, tt.severity)
			}
			if want := resolvedAt(tt.resolved); !inc.Resolved.Equal(want) {
				t.Errorf("Resolved = %v, want %v", inc.Resolved, want)
			}
			if tt.mute != nil && (inc.Muted == nil || inc.Muted.ID != tt.mute.ID || inc.Notified) {
				t.Errorf("Muted = %+v, Notified = %v; want the maintenance recorded, not notified", inc.Muted, inc.Notified)
			}
		})
	}
}

func withSince(c rule.Change, d time.Duration) rule.Change {
	c.Since = t0.Add(d)
	return c
}

func flapping(c rule.Change) rule.Change {
	c.Flapping = true
	return c
}

func resolvedAt(d time.Duration) time.Time {
	if d < 0 {
		return time.Time{}
	}
	return t0.Add(d)
}

func TestObserveTimeline(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, hard("api", 0, up, degraded, "slow"))
	r.observe(t, hard("api", time.Minute, degraded, down, "refused"))
	r.observe(t, recovers("api", 3*time.Minute))
	inc := only(t, r.m, "api")
	want := []Entry{
		{Time: t0, Kind: EntryOpened, Text: "degraded: slow", From: up, To: degraded},
		{Time: t0.Add(time.Minute), Kind: EntryChanged, Text: "down (critical): refused", From: degraded, To: down},
		{Time: t0.Add(3 * time.Minute), Kind: EntryRecovered, Text: "back up after 3m", From: down, To: up},
	}
	if diff := cmp.Diff(want, inc.Timeline); diff != "" {
		t.Errorf("timeline (-want +got):\n%s", diff)
	}
	if got := Downtime(inc, t0.Add(time.Hour)); got != 3*time.Minute {
		t.Errorf("Downtime = %s, want 3m", got)
	}
}

func TestObserveFlapping(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, flap("api", 0, rule.KindFlapStart))
	r.observe(t, flap("api", 0, rule.KindFlapStart)) // redelivered
	for i := range 3 {
		r.observe(t, fails("api", time.Duration(2*i+1)*time.Minute))
		r.observe(t, recovers("api", time.Duration(2*i+2)*time.Minute))
	}
	r.observe(t, fails("api", 10*time.Minute))
	r.observe(t, flap("api", 12*time.Minute, rule.KindFlapStop))
	r.observe(t, flap("api", 12*time.Minute, rule.KindFlapStop)) // redelivered
	all := r.sink.take()
	want := []said{
		{Kind: "flapping", Step: "flap-start", Summary: "flapping: notifications paused until it is stable"},
		{Kind: "stable", Step: "flap-stop", Summary: "stable again, but down for 2m: connection refused"},
	}
	if diff := cmp.Diff(want, sayings(sent(all))); diff != "" {
		t.Errorf("notices sent (-want +got):\n%s", diff)
	}
	if got := len(all) - len(sent(all)); got != 7 {
		t.Errorf("muted notices: got %d, want 7 (4 problems, 3 recoveries)", got)
	}
	for _, n := range all {
		if n.Muted != nil && n.Muted.Kind != MuteFlapping {
			t.Errorf("notice %s muted by %q, want %q", n.Key(), n.Muted.Kind, MuteFlapping)
		}
	}
	if l := r.m.List(Filter{Check: "api"}); len(l) != 4 {
		t.Errorf("incidents recorded while flapping: got %d, want 4", len(l))
	}
	open := r.m.List(Filter{Open: true})
	if len(open) != 1 || !open[0].Notified {
		t.Fatalf("open incidents: %+v, want one, notified by the stable notice", open)
	}
	// After flapping, changes notify again.
	r.observe(t, recovers("api", 20*time.Minute))
	if diff := cmp.Diff([]said{{Kind: "recovery", Step: "resolve", Summary: "back up after 10m"}}, sayings(r.sink.take())); diff != "" {
		t.Errorf("after flapping (-want +got):\n%s", diff)
	}
}

func TestObserveFlapKeys(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, fails("api", 0))
	for i := range 2 {
		r.observe(t, flap("api", time.Duration(2*i+1)*time.Minute, rule.KindFlapStart))
		r.observe(t, flap("api", time.Duration(2*i+2)*time.Minute, rule.KindFlapStop))
	}
	r.observe(t, flap("web", 0, rule.KindFlapStart))
	seen := map[string]bool{}
	for _, n := range r.sink.take() {
		if seen[n.Key()] {
			t.Errorf("key %s repeated", n.Key())
		}
		seen[n.Key()] = true
	}
	if len(seen) != 6 {
		t.Errorf("got %d notices, want 6: %v", len(seen), seen)
	}
}

// With mute.Dependencies as the Muter, a parent's problem lists its
// unreachable children, whose own notices are muted; when the parent
// recovers and a child still fails, the child is told of late.
func TestObserveChildren(t *testing.T) {
	deps := mute.NewDependencies(map[string][]string{"api": {"router"}, "web": {"router"}, "db": {"router"}})
	r := newRig(t, Options{Muter: deps, Children: deps.Children})
	// The lead tells the dependencies about hard changes before Observe.
	for _, c := range []string{"api", "web", "router"} {
		deps.SetHard(c, down)
	}
	deps.SetHard("db", up)
	r.observe(t, fails("router", 0))
	r.observe(t, fails("api", time.Second))
	r.observe(t, fails("web", time.Second))
	ns := r.sink.take()
	if len(ns) != 3 {
		t.Fatalf("got %d notices, want 3", len(ns))
	}
	if diff := cmp.Diff([]string{"api", "web"}, ns[0].Children); diff != "" {
		t.Errorf("children of router (-want +got):\n%s", diff)
	}
	for _, n := range ns[1:] {
		if n.Muted == nil || n.Muted.Kind != mute.KindUnreachable || n.Muted.ID != "router" {
			t.Errorf("child's notice: Muted = %+v, want unreachable because of router", n.Muted)
		}
	}
	deps.SetHard("router", up)
	r.observe(t, recovers("router", time.Minute))
	r.observe(t, recovers("web", time.Minute))
	r.tick(t, 2*time.Minute)
	want := []said{
		{Kind: "recovery", Step: "resolve", Summary: "back up after 1m"},
		{Kind: "recovery", Step: "resolve", Summary: "back up after 59s", Muted: mute.KindUnreachable},
		{Kind: "problem", Step: "unmuted", Summary: "still down after 1m59s, now that its parent router is no longer down: connection refused"},
	}
	if diff := cmp.Diff(want, sayings(r.sink.take())); diff != "" {
		t.Errorf("after the parent recovered (-want +got):\n%s", diff)
	}
}

func TestObserveBadChange(t *testing.T) {
	r := newRig(t, Options{})
	for _, c := range []rule.Change{{Kind: rule.KindHard}, {Check: "api", Kind: "sideways"}} {
		if err := r.m.Observe(t.Context(), c); !errors.Is(err, ErrInvalid) {
			t.Errorf("Observe(%+v) = %v, want ErrInvalid", c, err)
		}
	}
}

// A failed write keeps nothing, and the redelivered change then produces
// the same notice again, under the same key.
func TestObserveRetry(t *testing.T) {
	for _, name := range []string{"sink", "store"} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, Options{})
			if name == "sink" {
				r.sink.fail = errBoom
			} else {
				r.store.fail = errBoom
			}
			if err := r.m.Observe(t.Context(), fails("api", 0)); !errors.Is(err, errBoom) {
				t.Fatalf("Observe = %v, want %v", err, errBoom)
			}
			first := r.sink.take()
			if l := r.m.List(Filter{}); len(l) != 0 {
				t.Fatalf("incidents after a failed write: %+v", l)
			}
			r.sink.fail, r.store.fail = nil, nil
			r.observe(t, fails("api", 0))
			again := r.sink.take()
			if len(again) != 1 || (len(first) == 1 && first[0].Key() != again[0].Key()) {
				t.Errorf("notices: first %v, then %v; want the same one", sayings(first), sayings(again))
			}
		})
	}
}
