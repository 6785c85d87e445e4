package rule

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
)

// recorder is a sink that keeps the changes it accepted and refuses them
// while fail is set.
type recorder struct {
	mu      sync.Mutex // protects the fields below
	changes []Change
	fail    bool
}

func (r *recorder) sink(_ context.Context, c Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return errors.New("incident store unavailable")
	}
	r.changes = append(r.changes, c)
	return nil
}

func (r *recorder) setFail(fail bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = fail
}

// of returns the changes accepted for check.
func (r *recorder) of(check string) []Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Change
	for _, c := range r.changes {
		if c.Check == check {
			out = append(out, c)
		}
	}
	return out
}

// countingStore is a real store that counts its writes.
type countingStore struct {
	StateStore
	puts int
}

func (c *countingStore) Put(ctx context.Context, check string, s State) error {
	c.puts++
	return c.StateStore.Put(ctx, check, s)
}

func busStore(t *testing.T, b *bus.Bus) *BusStore {
	t.Helper()
	s, err := NewBusStore(testCtx(t), b)
	if err != nil {
		t.Fatalf("NewBusStore: %v", err)
	}
	return s
}

// newEvaluator returns an evaluator with the default params for every
// check but "unconfigured".
func newEvaluator(t *testing.T, store StateStore, rec *recorder) *Evaluator {
	t.Helper()
	params := func(check string) (Params, bool) { return DefaultParams(), check != "unconfigured" }
	e, err := NewEvaluator(testCtx(t), store, params, rec.sink)
	if err != nil {
		t.Fatalf("NewEvaluator: %v", err)
	}
	return e
}

func evaluate(t *testing.T, e *Evaluator, batch ...bus.Result) {
	t.Helper()
	if err := e.Handle(testCtx(t), batch); err != nil {
		t.Fatalf("Handle: %v", err)
	}
}

// loaded returns the states in store.
func loaded(t *testing.T, store StateStore) map[string]State {
	t.Helper()
	m, err := store.Load(testCtx(t))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return m
}

// hardOf is the hard change of check at result i, of a streak begun at
// result since, with the reasons of the up and down helpers.
func hardOf(check string, i, since int, from, to probe.Status) Change {
	reason := "connection refused"
	if to == probe.StatusUp {
		reason = "HTTP 200"
	}
	return Change{Check: check, Kind: KindHard, From: from, To: to, Time: at(i), Since: at(since), Reason: reason}
}

func TestEvaluatorChanges(t *testing.T) {
	b := startBus(t, t.TempDir())
	store := busStore(t, b)
	rec := &recorder{}
	e := newEvaluator(t, store, rec)
	tests := []struct {
		name    string
		batches [][]bus.Result
		want    []Change
		soft    bool
	}{{
		name:    "confirmed",
		batches: [][]bus.Result{{up("confirmed", 0), down("confirmed", 1)}, {down("confirmed", 2)}},
		want: []Change{hardOf("confirmed", 0, 0, unknownSt, upSt),
			hardOf("confirmed", 2, 1, upSt, downSt)},
	}, {
		name:    "soft",
		batches: [][]bus.Result{{up("soft", 0), down("soft", 1)}},
		want:    []Change{hardOf("soft", 0, 0, unknownSt, upSt)},
		soft:    true,
	}, {
		// Applied twice, down 1 would confirm the failure on its own.
		name: "redelivered",
		batches: [][]bus.Result{{up("redelivered", 0), down("redelivered", 1)},
			{up("redelivered", 0), down("redelivered", 1)}, {down("redelivered", 2)}},
		want: []Change{hardOf("redelivered", 0, 0, unknownSt, upSt),
			hardOf("redelivered", 2, 1, upSt, downSt)},
	}, {
		name:    "late",
		batches: [][]bus.Result{{up("late", 0), down("late", 2)}, {down("late", 1)}},
		want:    []Change{hardOf("late", 0, 0, unknownSt, upSt)},
		soft:    true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, batch := range tt.batches {
				evaluate(t, e, batch...)
			}
			if diff := cmp.Diff(tt.want, rec.of(tt.name)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			if e.Soft(tt.name) != tt.soft {
				t.Errorf("Soft = %v, want %v", !tt.soft, tt.soft)
			}
			got, _ := e.State(tt.name)
			if diff := cmp.Diff(got, loaded(t, store)[tt.name]); diff != "" {
				t.Errorf("stored state differs from the evaluator's (-evaluator +stored):\n%s", diff)
			}
		})
	}
	t.Run("unconfigured", func(t *testing.T) {
		evaluate(t, e, down("unconfigured", 0), down("unconfigured", 1))
		if _, ok := e.State("unconfigured"); ok || len(rec.of("unconfigured")) > 0 {
			t.Error("a check without params got a state or changes")
		}
	})
}

func TestEvaluatorWritesOnlyChanges(t *testing.T) {
	b := startBus(t, t.TempDir())
	store := &countingStore{StateStore: busStore(t, b)}
	e := newEvaluator(t, store, &recorder{})
	var batch []bus.Result
	for i := range 30 {
		batch = append(batch, up("web", i))
	}
	evaluate(t, e, batch...)
	// Each of the first 21 results grows the flap window; after that
	// nothing but Checked moves.
	if store.puts != 21 {
		t.Errorf("%d writes, want 21", store.puts)
	}
	if got := loaded(t, store)["web"].Checked; !got.Equal(at(20)) {
		t.Errorf("stored Checked %v, want %v", got, at(20))
	}
	if got, _ := e.State("web"); !got.Checked.Equal(at(29)) {
		t.Errorf("Checked %v, want %v", got.Checked, at(29))
	}
}

func TestEvaluatorRestart(t *testing.T) {
	dir := t.TempDir()
	b := startBus(t, dir)
	rec := &recorder{}
	e := newEvaluator(t, busStore(t, b), rec)
	evaluate(t, e, up("web", 0), down("web", 1))
	if !e.Soft("web") {
		t.Fatal("one failure with confirm 2 is not soft")
	}
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	b = startBus(t, dir)
	e = newEvaluator(t, busStore(t, b), rec)
	if !e.Soft("web") {
		t.Error("the soft state did not survive the restart")
	}
	evaluate(t, e, down("web", 1), down("web", 2)) // 1 is redelivered
	want := []Change{hardOf("web", 0, 0, unknownSt, upSt), hardOf("web", 2, 1, upSt, downSt)}
	if diff := cmp.Diff(want, rec.of("web")); diff != "" {
		t.Errorf("changes across the restart (-want +got):\n%s", diff)
	}
}

func TestEvaluatorSinkError(t *testing.T) {
	b := startBus(t, t.TempDir())
	store := busStore(t, b)
	rec := &recorder{}
	e := newEvaluator(t, store, rec)
	evaluate(t, e, up("web", 0))

	rec.setFail(true)
	batch := []bus.Result{down("web", 1), down("web", 2), down("web", 3)}
	if err := e.Handle(testCtx(t), batch); err == nil {
		t.Fatal("Handle succeeded although the sink refused the change")
	}
	// down 1 was applied; down 2, whose change was refused, was not.
	want := State{Hard: upSt, HardSince: at(0), Pending: downSt, Streak: 1, StreakSince: at(1),
		Window: "ud", Checked: at(1)}
	got, _ := e.State("web")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state after the refusal (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, loaded(t, store)["web"]); diff != "" {
		t.Errorf("stored state after the refusal (-want +got):\n%s", diff)
	}

	rec.setFail(false)
	evaluate(t, e, batch...) // the consumer delivers the batch again
	wantChanges := []Change{hardOf("web", 0, 0, unknownSt, upSt), hardOf("web", 2, 1, upSt, downSt)}
	if diff := cmp.Diff(wantChanges, rec.of("web")); diff != "" {
		t.Errorf("changes after redelivery (-want +got):\n%s", diff)
	}
}

func TestEvaluatorForget(t *testing.T) {
	b := startBus(t, t.TempDir())
	store := busStore(t, b)
	e := newEvaluator(t, store, &recorder{})
	evaluate(t, e, up("web", 0), up("db", 0), down("gone", 0))
	keep := func(check string) bool { return check != "gone" }
	for range 2 { // forgetting again finds nothing more to delete
		if err := e.Forget(testCtx(t), keep); err != nil {
			t.Fatalf("Forget: %v", err)
		}
	}
	if _, ok := e.State("gone"); ok {
		t.Error("the evaluator still has the state of a removed check")
	}
	if diff := cmp.Diff([]string{"db", "web"}, slices.Sorted(maps.Keys(loaded(t, store)))); diff != "" {
		t.Errorf("stored states after Forget (-want +got):\n%s", diff)
	}
}

// TestEvaluatorConsumesResults runs the evaluator as the lead wires it: a
// durable consumer of the results stream.
func TestEvaluatorConsumesResults(t *testing.T) {
	b := startBus(t, t.TempDir())
	got := make(chan Change, 10)
	sink := func(_ context.Context, c Change) error {
		got <- c
		return nil
	}
	params := func(string) (Params, bool) { return Params{Confirm: 2}, true }
	e, err := NewEvaluator(testCtx(t), busStore(t, b), params, sink)
	if err != nil {
		t.Fatalf("NewEvaluator: %v", err)
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	done := make(chan error, 1)
	go func() { done <- b.ConsumeResults(ctx, "rule-test", e.Handle) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ConsumeResults: %v", err)
		}
	}()

	for _, r := range []bus.Result{up("web", 0), down("web", 1), down("web", 2)} {
		if err := b.PublishResult(testCtx(t), r); err != nil {
			t.Fatalf("PublishResult: %v", err)
		}
	}
	want := []Change{hardOf("web", 0, 0, unknownSt, upSt), hardOf("web", 2, 1, upSt, downSt)}
	for _, w := range want {
		select {
		case c := <-got:
			if diff := cmp.Diff(w, c); diff != "" {
				t.Errorf("change (-want +got):\n%s", diff)
			}
		case <-time.After(waitFor):
			t.Fatalf("no change %s within %s", w.ID(), waitFor)
		}
	}
}
