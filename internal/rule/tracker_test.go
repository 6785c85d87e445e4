package rule

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
)

var ignoreSeq = cmpopts.IgnoreFields(bus.Event{}, "Seq")

func TestTrackerTransitions(t *testing.T) {
	b := startBus(t, t.TempDir())
	const (
		unknown  = probe.StatusUnknown
		upSt     = probe.StatusUp
		downSt   = probe.StatusDown
		degraded = probe.StatusDegraded
	)
	tests := []struct {
		name    string
		batches [][]bus.Result
		want    bus.State   // the tracker's state afterwards
		stored  bus.State   // the state in the bucket, written on changes only
		events  []bus.Event // oldest first
	}{{
		name:    "first",
		batches: [][]bus.Result{{up("first", 0)}},
		want:    state("first", upSt, "HTTP 200", 0, 0),
		stored:  state("first", upSt, "HTTP 200", 0, 0),
		events:  []bus.Event{change("first", 0, unknown, upSt, "HTTP 200")},
	}, {
		name:    "same",
		batches: [][]bus.Result{{up("same", 0), up("same", 1)}, {up("same", 2)}},
		want:    state("same", upSt, "HTTP 200", 0, 2),
		stored:  state("same", upSt, "HTTP 200", 0, 0),
		events:  []bus.Event{change("same", 0, unknown, upSt, "HTTP 200")},
	}, {
		name:    "failing",
		batches: [][]bus.Result{{up("failing", 0), up("failing", 1), down("failing", 2)}},
		want:    state("failing", downSt, "connection refused", 2, 2),
		stored:  state("failing", downSt, "connection refused", 2, 2),
		events: []bus.Event{
			change("failing", 0, unknown, upSt, "HTTP 200"),
			change("failing", 2, upSt, downSt, "connection refused"),
		},
	}, {
		name:    "late",
		batches: [][]bus.Result{{up("late", 0), down("late", 2)}, {up("late", 1)}},
		want:    state("late", downSt, "connection refused", 2, 2),
		stored:  state("late", downSt, "connection refused", 2, 2),
		events: []bus.Event{
			change("late", 0, unknown, upSt, "HTTP 200"),
			change("late", 2, upSt, downSt, "connection refused"),
		},
	}, {
		name:    "redelivered",
		batches: [][]bus.Result{{up("redelivered", 0), down("redelivered", 1)}, {up("redelivered", 0), down("redelivered", 1)}},
		want:    state("redelivered", downSt, "connection refused", 1, 1),
		stored:  state("redelivered", downSt, "connection refused", 1, 1),
		events: []bus.Event{
			change("redelivered", 0, unknown, upSt, "HTTP 200"),
			change("redelivered", 1, upSt, downSt, "connection refused"),
		},
	}, {
		name: "degraded",
		batches: [][]bus.Result{{
			down("degraded", 0),
			res("degraded", 1, degraded, "HTTP 503"),
			res("degraded", 2, degraded, "HTTP 500"),
			up("degraded", 3),
		}},
		want:   state("degraded", upSt, "HTTP 200", 3, 3),
		stored: state("degraded", upSt, "HTTP 200", 3, 3),
		events: []bus.Event{
			change("degraded", 0, unknown, downSt, "connection refused"),
			change("degraded", 1, downSt, degraded, "HTTP 503"),
			change("degraded", 3, degraded, upSt, "HTTP 200"),
		},
	}}
	tr := newTracker(t, b)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, batch := range tt.batches {
				handle(t, tr, batch...)
			}
			got, ok := tr.State(tt.name)
			if diff := cmp.Diff(tt.want, got); !ok || diff != "" {
				t.Errorf("State (known %v) (-want +got):\n%s", ok, diff)
			}
			if diff := cmp.Diff(tt.want, tr.States()[tt.name]); diff != "" {
				t.Errorf("States()[%s] (-want +got):\n%s", tt.name, diff)
			}
			st, ok := stored(t, b, tt.name)
			if diff := cmp.Diff(tt.stored, st); !ok || diff != "" {
				t.Errorf("stored state (found %v) (-want +got):\n%s", ok, diff)
			}
			if diff := cmp.Diff(tt.events, events(t, b, tt.name), ignoreSeq); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrackerRestart(t *testing.T) {
	dir := t.TempDir()
	b := startBus(t, dir)
	tr := newTracker(t, b)
	handle(t, tr, up("web", 0), down("web", 1), down("web", 2), up("db", 0))
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	b = startBus(t, dir)
	tr = newTracker(t, b)
	want := map[string]bus.State{
		"web": state("web", probe.StatusDown, "connection refused", 1, 1),
		"db":  state("db", probe.StatusUp, "HTTP 200", 0, 0),
	}
	if diff := cmp.Diff(want, tr.States()); diff != "" {
		t.Fatalf("States after restart (-want +got):\n%s", diff)
	}
	handle(t, tr, down("web", 3), up("web", 4), up("db", 4))
	got, _ := tr.State("web")
	if diff := cmp.Diff(state("web", probe.StatusUp, "HTTP 200", 4, 4), got); diff != "" {
		t.Errorf("State(web) (-want +got):\n%s", diff)
	}
	wantEvents := []bus.Event{
		change("web", 0, probe.StatusUnknown, probe.StatusUp, "HTTP 200"),
		change("web", 1, probe.StatusUp, probe.StatusDown, "connection refused"),
		change("web", 4, probe.StatusDown, probe.StatusUp, "HTTP 200"),
	}
	if diff := cmp.Diff(wantEvents, events(t, b, "web"), ignoreSeq); diff != "" {
		t.Errorf("web events across the restart (-want +got):\n%s", diff)
	}
	if n := len(events(t, b, "db")); n != 1 {
		t.Errorf("db has %d events, want 1: its status never changed", n)
	}
}

func TestForget(t *testing.T) {
	b := startBus(t, t.TempDir())
	tr := newTracker(t, b)
	handle(t, tr, up("web", 0), up("db", 0), down("gone", 0))
	keep := func(check string) bool { return check != "gone" }
	for range 2 { // forgetting again finds nothing more to delete
		if err := tr.Forget(testCtx(t), keep); err != nil {
			t.Fatalf("Forget: %v", err)
		}
	}
	if _, ok := tr.State("gone"); ok {
		t.Error("the tracker still has the state of a removed check")
	}
	if _, ok := stored(t, b, "gone"); ok {
		t.Error("the bucket still has the state of a removed check")
	}
	again := newTracker(t, b)
	if diff := cmp.Diff([]string{"db", "web"}, slices.Sorted(maps.Keys(again.States()))); diff != "" {
		t.Errorf("checks with a state after Forget (-want +got):\n%s", diff)
	}
}

// failingBackend is the real bus whose AppendEvent fails while fail is set.
type failingBackend struct {
	*bus.Bus
	fail bool
}

func (f *failingBackend) AppendEvent(ctx context.Context, e bus.Event) (uint64, error) {
	if f.fail {
		return 0, errors.New("nats: timeout")
	}
	return f.Bus.AppendEvent(ctx, e)
}

func TestHandleRefusedWrite(t *testing.T) {
	b := startBus(t, t.TempDir())
	fb := &failingBackend{Bus: b, fail: true}
	tr := newTracker(t, fb)
	batch := []bus.Result{up("web", 0), down("web", 1)}
	if err := tr.Handle(testCtx(t), batch); err == nil {
		t.Fatal("Handle succeeded although the bus refused the event")
	}
	if _, ok := tr.State("web"); ok {
		t.Error("a state whose event was refused was kept; redelivery would not record it")
	}
	fb.fail = false
	handle(t, tr, batch...) // the consumer delivers the batch again
	if n := len(events(t, b, "web")); n != 2 {
		t.Errorf("%d events after redelivery, want 2", n)
	}
}

// stateFailingBackend is the real bus whose PutState fails while fail is
// set: the event of a change is stored, its state is not.
type stateFailingBackend struct {
	*bus.Bus
	fail bool
}

func (f *stateFailingBackend) PutState(ctx context.Context, s bus.State) error {
	if f.fail {
		return errors.New("nats: timeout")
	}
	return f.Bus.PutState(ctx, s)
}

// TestHandleRefusedStateKeepsOneEvent: when the event of a change is
// stored but its state is not, the redelivered batch must not log the
// change twice.
func TestHandleRefusedStateKeepsOneEvent(t *testing.T) {
	b := startBus(t, t.TempDir())
	fb := &stateFailingBackend{Bus: b, fail: true}
	tr := newTracker(t, fb)
	batch := []bus.Result{up("web", 0)}
	if err := tr.Handle(testCtx(t), batch); err == nil {
		t.Fatal("Handle succeeded although the bus refused the state")
	}
	fb.fail = false
	handle(t, tr, batch...)
	if n := len(events(t, b, "web")); n != 1 {
		t.Errorf("%d events after redelivery, want 1", n)
	}
	if got, ok := stored(t, b, "web"); !ok || got.Status != probe.StatusUp {
		t.Errorf("stored state = %+v, %v; want up", got, ok)
	}
}
