package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// PutState stores s as the current state of s.Check, replacing the one
// before.
func (b *Bus) PutState(ctx context.Context, s State) error {
	if err := checkID("check id", s.Check); err != nil {
		return err
	}
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding state of %s: %w", s.Check, err)
	}
	if _, err := b.kv.Put(ctx, s.Check, data); err != nil {
		return fmt.Errorf("storing state of %s: %w", s.Check, err)
	}
	return nil
}

// GetState returns the current state of check; false means none is stored.
func (b *Bus) GetState(ctx context.Context, check string) (State, bool, error) {
	if err := checkID("check id", check); err != nil {
		return State{}, false, err
	}
	e, err := b.kv.Get(ctx, check)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, fmt.Errorf("reading state of %s: %w", check, err)
	}
	var s State
	if err := json.Unmarshal(e.Value(), &s); err != nil {
		return State{}, false, fmt.Errorf("decoding state of %s: %w", check, err)
	}
	return s, true, nil
}

// States returns the current state of every check that has one, by check
// id, read in one pass over the bucket.
func (b *Bus) States(ctx context.Context) (map[string]State, error) {
	w, err := b.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("reading states: %w", err)
	}
	defer w.Stop()
	out := make(map[string]State)
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return nil, fmt.Errorf("reading states: watcher closed")
			}
			if e == nil { // nil marks the end of the stored values
				return out, nil
			}
			var s State
			if err := json.Unmarshal(e.Value(), &s); err != nil {
				return nil, fmt.Errorf("decoding state of %s: %w", e.Key(), err)
			}
			out[e.Key()] = s
		case <-ctx.Done():
			return nil, fmt.Errorf("reading states: %w", ctx.Err())
		}
	}
}

// DeleteState forgets the state of check (a check removed from config).
// Deleting a state that does not exist is not an error.
func (b *Bus) DeleteState(ctx context.Context, check string) error {
	if err := checkID("check id", check); err != nil {
		return err
	}
	if err := b.kv.Delete(ctx, check); err != nil {
		return fmt.Errorf("deleting state of %s: %w", check, err)
	}
	return nil
}
