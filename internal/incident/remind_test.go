package incident

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/mute"
)

// last is the summary of the final reminder of the default schedule.
const last = "it has been down for over 1h (reminder 3 of 3, the last): no more reminders"

func TestReminders(t *testing.T) {
	tests := []struct {
		name   string
		policy Policy
		ticks  []time.Duration // since t0, the opening
		want   []said
	}{{
		name:  "default schedule, ticked when due, then silence",
		ticks: []time.Duration{time.Minute, 10 * time.Minute, 20 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 5 * time.Hour},
		want: []said{
			{Kind: "reminder", Step: "remind-1", Summary: "still down after 10m (reminder 1 of 3)"},
			{Kind: "reminder", Step: "remind-2", Summary: "still down after 30m (reminder 2 of 3)"},
			{Kind: "reminder", Step: "remind-3", Summary: last},
		},
	}, {
		name:  "late ticks say how long it has been down",
		ticks: []time.Duration{11 * time.Minute, 45 * time.Minute, 61 * time.Minute},
		want: []said{
			{Kind: "reminder", Step: "remind-1", Summary: "still down after 11m (reminder 1 of 3)"},
			{Kind: "reminder", Step: "remind-2", Summary: "still down after 45m (reminder 2 of 3)"},
			{Kind: "reminder", Step: "remind-3", Summary: "it has been down for over 1h1m (reminder 3 of 3, the last): no more reminders"},
		},
	}, {
		name:  "reminders due at once after a stop collapse into the latest",
		ticks: []time.Duration{5 * time.Hour, 6 * time.Hour},
		want:  []said{{Kind: "reminder", Step: "remind-3", Summary: "it has been down for over 5h (reminder 3 of 3, the last): no more reminders"}},
	}, {
		name:   "policy of its own",
		policy: Policy{Reminders: []time.Duration{5 * time.Minute}},
		ticks:  []time.Duration{5 * time.Minute, 10 * time.Minute, time.Hour},
		want:   []said{{Kind: "reminder", Step: "remind-1", Summary: "it has been down for over 5m (reminder 1 of 1, the last): no more reminders"}},
	}, {
		name:   "no reminders",
		policy: Policy{Reminders: []time.Duration{}},
		ticks:  []time.Duration{time.Hour, 5 * time.Hour},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Options{Policy: func(string) Policy { return tt.policy }})
			r.observe(t, fails("api", 0))
			r.sink.take()
			for _, d := range tt.ticks {
				r.tick(t, d)
			}
			if diff := cmp.Diff(tt.want, sayings(r.sink.take())); diff != "" {
				t.Errorf("reminders (-want +got):\n%s", diff)
			}
			if got := r.m.NextDue(); !got.IsZero() {
				t.Errorf("NextDue after the schedule = %v, want zero", got)
			}
		})
	}
}

// Sleeping until NextDue each time, as the lead's loop does, gives every
// reminder exactly once, the last one saying so.
func TestRemindersNextDue(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, fails("api", 0))
	r.sink.take()
	var dues []time.Duration
	for range 10 {
		next := r.m.NextDue()
		if next.IsZero() {
			break
		}
		dues = append(dues, next.Sub(t0))
		r.tick(t, next.Sub(t0))
	}
	if diff := cmp.Diff([]time.Duration{10 * time.Minute, 30 * time.Minute, time.Hour}, dues); diff != "" {
		t.Errorf("NextDue (-want +got):\n%s", diff)
	}
	r.tick(t, 5*time.Hour)
	ns := r.sink.take()
	if len(ns) != 3 || !ns[2].Last || ns[2].Downtime != time.Hour || ns[1].Last {
		t.Errorf("reminders: %+v, want 3, only the third Last, after 1h", sayings(ns))
	}
}

func TestRemindersStop(t *testing.T) {
	tests := []struct {
		name   string
		at     time.Duration // when the action happens
		action func(t *testing.T, r *rig, id string)
		want   []said
	}{{
		name: "acknowledged",
		at:   15 * time.Minute,
		action: func(t *testing.T, r *rig, id string) {
			if _, err := r.m.Ack(t.Context(), id, "alice", "on it"); err != nil {
				t.Fatalf("Ack: %v", err)
			}
		},
		want: []said{
			{Kind: "reminder", Step: "remind-1", Summary: "still down after 10m (reminder 1 of 3)"},
			{Kind: "acknowledged", Step: "ack", Summary: "acknowledged by alice after 15m: on it"},
		},
	}, {
		name: "resolved by hand",
		at:   15 * time.Minute,
		action: func(t *testing.T, r *rig, id string) {
			if _, err := r.m.Resolve(t.Context(), id, "bob", ""); err != nil {
				t.Fatalf("Resolve: %v", err)
			}
		},
		want: []said{
			{Kind: "reminder", Step: "remind-1", Summary: "still down after 10m (reminder 1 of 3)"},
			{Kind: "recovery", Step: "resolve", Summary: "resolved by bob after 15m"},
		},
	}, {
		name:   "recovered",
		at:     15 * time.Minute,
		action: func(t *testing.T, r *rig, _ string) { r.observe(t, recovers("api", 15*time.Minute)) },
		want: []said{
			{Kind: "reminder", Step: "remind-1", Summary: "still down after 10m (reminder 1 of 3)"},
			{Kind: "recovery", Step: "resolve", Summary: "back up after 15m"},
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, Options{})
			r.observe(t, fails("api", 0))
			r.sink.take()
			r.tick(t, 10*time.Minute)
			r.clock.Set(t0.Add(tt.at))
			tt.action(t, r, only(t, r.m, "api").ID)
			for _, d := range []time.Duration{30 * time.Minute, time.Hour, 5 * time.Hour} {
				r.tick(t, d)
			}
			if diff := cmp.Diff(tt.want, sayings(r.sink.take())); diff != "" {
				t.Errorf("notices (-want +got):\n%s", diff)
			}
			if got := r.m.NextDue(); !got.IsZero() {
				t.Errorf("NextDue = %v, want zero", got)
			}
		})
	}
}

// Reminders while muted are handed on muted; when the mute ends and the
// check still fails, one late problem notice goes out, then the schedule
// goes on.
func TestRemindersMuted(t *testing.T) {
	r := newRig(t, Options{})
	maint := &mute.Reason{Kind: "maintenance", ID: "patching", Until: t0.Add(20 * time.Minute)}
	r.muter.set("api", maint)
	r.observe(t, fails("api", 0))
	// While muted, the mute is asked about every minute (it may end
	// early: a silence expired by hand), so that comes before the first
	// reminder and before the window's end.
	if got := r.m.NextDue(); !got.Equal(t0.Add(time.Minute)) {
		t.Errorf("NextDue = %v, want a recheck a minute after opening", got)
	}
	r.tick(t, 10*time.Minute)
	r.clock.Set(t0.Add(10*time.Minute + 30*time.Second))
	if got := r.m.NextDue(); !got.Equal(t0.Add(11 * time.Minute)) {
		t.Errorf("NextDue = %v, want a recheck a minute after the last tick", got)
	}
	r.clock.Set(t0.Add(19*time.Minute + 30*time.Second))
	r.tick(t, 19*time.Minute+30*time.Second)
	if got := r.m.NextDue(); !got.Equal(maint.Until) {
		t.Errorf("NextDue = %v, want the end of the maintenance %v, sooner than a recheck", got, maint.Until)
	}
	r.muter.set("api", nil)
	r.tick(t, 20*time.Minute)
	r.tick(t, 30*time.Minute)
	want := []said{
		{Kind: "problem", Step: "open", Summary: "down: connection refused", Muted: "maintenance"},
		{Kind: "reminder", Step: "remind-1", Summary: "still down after 10m (reminder 1 of 3)", Muted: "maintenance"},
		{Kind: "problem", Step: "unmuted", Summary: "still down after 20m, now that the maintenance ended: connection refused"},
		{Kind: "reminder", Step: "remind-2", Summary: "still down after 30m (reminder 2 of 3)"},
	}
	if diff := cmp.Diff(want, sayings(r.sink.take())); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

// An unreachable child whose parent recovered while it still fails is told
// of late; NextDue polls for it since the mute's end is unknown.
func TestRemindersUnreachableEnds(t *testing.T) {
	r := newRig(t, Options{Policy: func(string) Policy { return Policy{Reminders: []time.Duration{}} }})
	r.muter.set("api", &mute.Reason{Kind: "unreachable", ID: "router"})
	r.observe(t, fails("api", 0))
	if got, want := r.m.NextDue(), t0.Add(time.Minute); !got.Equal(want) {
		t.Errorf("NextDue = %v, want %v", got, want)
	}
	r.tick(t, time.Minute)
	r.muter.set("api", nil)
	r.tick(t, 2*time.Minute)
	r.tick(t, 3*time.Minute)
	got := sayings(sent(r.sink.take()))
	want := []said{{Kind: "problem", Step: "unmuted", Summary: "still down after 2m, now that its parent router is no longer down: connection refused"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notices sent (-want +got):\n%s", diff)
	}
}

// TestLateNoticeDrivenByNextDue drives the Manager as the app does, ticking
// only once NextDue has passed, and sees the late notice within a minute of
// the parent's recovery. A NextDue computed from the current time would
// stay ahead of the clock forever and never tick.
func TestLateNoticeDrivenByNextDue(t *testing.T) {
	r := newRig(t, Options{Policy: func(string) Policy { return Policy{Reminders: []time.Duration{}} }})
	r.muter.set("api", &mute.Reason{Kind: "unreachable", ID: "router"})
	r.observe(t, fails("api", 0))
	recovered := 5 * time.Minute
	for d := time.Duration(0); d <= 10*time.Minute; d += time.Second {
		if d == recovered {
			r.muter.set("api", nil)
		}
		r.clock.Set(t0.Add(d))
		if due := r.m.NextDue(); !due.IsZero() && !t0.Add(d).Before(due) {
			r.tick(t, d)
		}
		if got := sent(r.sink.take()); len(got) > 0 {
			if late := d - recovered; late < 0 || late > time.Minute {
				t.Errorf("late notice %s after the parent recovered, want within a minute", late)
			}
			return
		}
	}
	t.Error("no late notice within 5 minutes of the parent's recovery")
}
