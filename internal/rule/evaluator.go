package rule

import (
	"context"
	"fmt"
	"sync"

	"github.com/picket-monitor/picket/internal/bus"
)

// Sink receives the changes the evaluator finds, in order per check. The
// evaluator hands a change over again when it is redelivered the result
// behind it after a failure or a crash, so a sink must be idempotent:
// Change.ID is the same each time.
type Sink func(ctx context.Context, c Change) error

// Evaluator runs the state machine of every check over the results a
// durable consumer feeds it. It writes a check's State to the store only
// when something other than State.Checked changed: a steady check costs
// no write per result.
type Evaluator struct {
	store  StateStore
	params func(check string) (Params, bool)
	sink   Sink

	run sync.Mutex // serialises Handle and Forget, so neither undoes the other

	mu     sync.RWMutex // protects the field below
	states map[string]State
}

// NewEvaluator loads the stored states and returns an evaluator that
// continues from them. params returns the parameters of a configured
// check, false for one that is not (its results are skipped); it is called
// from Handle's goroutine. sink receives every change (see Sink).
func NewEvaluator(ctx context.Context, store StateStore, params func(check string) (Params, bool), sink Sink) (*Evaluator, error) {
	states, err := store.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading rule states: %w", err)
	}
	return &Evaluator{store: store, params: params, sink: sink, states: states}, nil
}

// Handle applies a batch of results in order. A result no later than the
// last one applied to its check is skipped, so a redelivered batch changes
// nothing. Handle returns an error when the sink or the store fails; the
// result that failed has then not advanced its check's state, and
// redelivering the batch carries on from it.
func (e *Evaluator) Handle(ctx context.Context, batch []bus.Result) error {
	e.run.Lock()
	defer e.run.Unlock()
	for _, r := range batch {
		if err := e.apply(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// apply runs one result through its check's state machine: the sink
// first, the store next, memory last, so a failure of either leaves the
// state where it was and a crash at worst repeats a change.
func (e *Evaluator) apply(ctx context.Context, r bus.Result) error {
	p, ok := e.params(r.Check)
	if !ok {
		return nil
	}
	e.mu.RLock()
	prev, known := e.states[r.Check]
	e.mu.RUnlock()
	if known && !r.Start.After(prev.Checked) {
		return nil
	}
	next := prev
	changes := next.Apply(p, Result{Check: r.Check, Time: r.Start, Status: r.Status, Reason: r.Reason})
	for _, c := range changes {
		if err := e.sink(ctx, c); err != nil {
			return fmt.Errorf("handing over %s change of %s: %w", c.Kind, c.Check, err)
		}
	}
	if !known || !next.sameAs(prev) {
		if err := e.store.Put(ctx, r.Check, next); err != nil {
			return fmt.Errorf("storing rule state of %s: %w", r.Check, err)
		}
	}
	e.mu.Lock()
	e.states[r.Check] = next
	e.mu.Unlock()
	return nil
}

// sameAs reports whether s and o differ at most in Checked, the one field
// that moves with every result.
func (s State) sameAs(o State) bool {
	return s.Hard == o.Hard && s.HardSince.Equal(o.HardSince) &&
		s.Pending == o.Pending && s.Streak == o.Streak && s.StreakSince.Equal(o.StreakSince) &&
		s.Window == o.Window && s.Flapping == o.Flapping && s.FlapSince.Equal(o.FlapSince)
}

// State returns the state of one check.
func (e *Evaluator) State(check string) (State, bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	s, ok := e.states[check]
	return s, ok
}

// Soft reports whether check is in a soft state: a streak is running that
// has not changed its hard status yet, so it should be re-checked at its
// retry interval.
func (e *Evaluator) Soft(check string) bool {
	s, _ := e.State(check)
	return s.Soft()
}

// Forget drops the state of checks that are no longer configured, keeping
// the ones in keep. The store first: if it fails, the check stays known
// here and the next reload tries again.
func (e *Evaluator) Forget(ctx context.Context, keep func(check string) bool) error {
	e.run.Lock()
	defer e.run.Unlock()
	e.mu.RLock()
	var gone []string
	for id := range e.states {
		if !keep(id) {
			gone = append(gone, id)
		}
	}
	e.mu.RUnlock()
	for _, id := range gone {
		if err := e.store.Delete(ctx, id); err != nil {
			return fmt.Errorf("forgetting rule state of %s: %w", id, err)
		}
		e.mu.Lock()
		delete(e.states, id)
		e.mu.Unlock()
	}
	return nil
}
