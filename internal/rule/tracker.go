// Package rule turns probe results into check states. Tracker keeps each
// check's latest outcome for the UI and appends every change of outcome to
// the audit log. State.Apply is the alerting state machine: soft and hard
// states with confirm and recover, the three outcomes, and flap detection
// with hysteresis. Evaluator runs it over the results stream, persists
// each State and hands the resulting Changes to the incident manager.
package rule

import (
	"context"
	"fmt"
	"sync"

	"github.com/picket-monitor/picket/internal/bus"
)

// Backend is what the tracker needs from the bus: durable state and the
// audit log.
type Backend interface {
	States(ctx context.Context) (map[string]bus.State, error)
	PutState(ctx context.Context, s bus.State) error
	DeleteState(ctx context.Context, check string) error
	AppendEvent(ctx context.Context, e bus.Event) (uint64, error)
}

// Update is what subscribers hear after each result: the check's new state
// and, when the outcome changed, the event that recorded it.
type Update struct {
	State bus.State
	Event *bus.Event
}

// Tracker keeps the current state of every check. It is fed batches of
// results by a durable consumer and writes a state to the bus only when the
// outcome changes, so the KV bucket sees one write per change rather than
// one per result.
type Tracker struct {
	backend Backend

	mu     sync.RWMutex // protects the fields below
	states map[string]bus.State
	subs   map[chan Update]struct{}
}

// NewTracker loads the stored states and returns a tracker that continues
// from them, so a restart keeps each check's status and since-when.
func NewTracker(ctx context.Context, b Backend) (*Tracker, error) {
	states, err := b.States(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading check states: %w", err)
	}
	return &Tracker{backend: b, states: states, subs: make(map[chan Update]struct{})}, nil
}

// Handle applies a batch of results in order. It returns an error only when
// the bus refused a write, so that the batch is delivered again; applying a
// result twice is harmless because an unchanged outcome writes nothing.
func (t *Tracker) Handle(ctx context.Context, batch []bus.Result) error {
	for _, r := range batch {
		if err := t.apply(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (t *Tracker) apply(ctx context.Context, r bus.Result) error {
	t.mu.RLock()
	prev, known := t.states[r.Check]
	t.mu.RUnlock()
	if known && r.Start.Before(prev.LastCheck) {
		return nil // a redelivered or late result must not roll the state back
	}
	next := bus.State{
		Check: r.Check, Status: r.Status, Reason: r.Reason,
		Since: prev.Since, LastCheck: r.Start, Latency: r.Duration,
	}
	var ev *bus.Event
	if !known || prev.Status != r.Status {
		next.Since = r.Start
		ev = &bus.Event{Time: r.Start, Check: r.Check, Kind: "state", From: prev.Status, To: r.Status, Reason: r.Reason}
		seq, err := t.backend.AppendEvent(ctx, *ev)
		if err != nil {
			return fmt.Errorf("recording state change of %s: %w", r.Check, err)
		}
		ev.Seq = seq
		if err := t.backend.PutState(ctx, next); err != nil {
			return fmt.Errorf("storing state of %s: %w", r.Check, err)
		}
	}
	t.mu.Lock()
	t.states[r.Check] = next
	t.publishLocked(Update{State: next, Event: ev})
	t.mu.Unlock()
	return nil
}

// State returns the current state of one check.
func (t *Tracker) State(check string) (bus.State, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	s, ok := t.states[check]
	return s, ok
}

// States returns a copy of every check's current state.
func (t *Tracker) States() map[string]bus.State {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m := make(map[string]bus.State, len(t.states))
	for id, s := range t.states {
		m[id] = s
	}
	return m
}

// Forget drops the state of checks that are no longer configured, keeping
// the ones in keep.
func (t *Tracker) Forget(ctx context.Context, keep func(check string) bool) error {
	t.mu.RLock()
	var gone []string
	for id := range t.states {
		if !keep(id) {
			gone = append(gone, id)
		}
	}
	t.mu.RUnlock()
	// The bus first: if it fails, the check stays known here and the
	// next reload tries again.
	for _, id := range gone {
		if err := t.backend.DeleteState(ctx, id); err != nil {
			return fmt.Errorf("forgetting state of %s: %w", id, err)
		}
		t.mu.Lock()
		delete(t.states, id)
		t.mu.Unlock()
	}
	return nil
}

// subBuffer is how many updates a slow subscriber may fall behind before
// updates to it are dropped; a browser tab must never slow the tracker.
const subBuffer = 1024

// Subscribe returns a channel of updates that is closed when ctx ends.
func (t *Tracker) Subscribe(ctx context.Context) <-chan Update {
	ch := make(chan Update, subBuffer)
	t.mu.Lock()
	t.subs[ch] = struct{}{}
	t.mu.Unlock()
	go func() {
		<-ctx.Done()
		t.mu.Lock()
		delete(t.subs, ch)
		close(ch)
		t.mu.Unlock()
	}()
	return ch
}

func (t *Tracker) publishLocked(u Update) {
	for ch := range t.subs {
		select {
		case ch <- u:
		default: // the subscriber is behind; it will catch up from the next update
		}
	}
}
