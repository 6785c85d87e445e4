package rule

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/picket-monitor/picket/internal/bus"
)

// StateStore keeps each check's State across restarts.
type StateStore interface {
	// Load returns every stored state by check id.
	Load(ctx context.Context) (map[string]State, error)
	// Put stores s as the state of check.
	Put(ctx context.Context, check string, s State) error
	// Delete forgets the state of check; deleting none is not an error.
	Delete(ctx context.Context, check string) error
}

// BusStore is a StateStore in the bus's rule state bucket, one JSON value
// per check.
type BusStore struct {
	states *bus.RuleStates
}

// NewBusStore declares the bucket on b and returns a store in it.
func NewBusStore(ctx context.Context, b *bus.Bus) (*BusStore, error) {
	rs, err := b.RuleStates(ctx)
	if err != nil {
		return nil, err
	}
	return &BusStore{states: rs}, nil
}

// Load implements StateStore.
func (s *BusStore) Load(ctx context.Context) (map[string]State, error) {
	raw, err := s.states.Load(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]State, len(raw))
	for check, data := range raw {
		var st State
		if err := json.Unmarshal(data, &st); err != nil {
			return nil, fmt.Errorf("decoding rule state of %s: %w", check, err)
		}
		out[check] = st
	}
	return out, nil
}

// Put implements StateStore.
func (s *BusStore) Put(ctx context.Context, check string, st State) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("encoding rule state of %s: %w", check, err)
	}
	return s.states.Put(ctx, check, data)
}

// Delete implements StateStore.
func (s *BusStore) Delete(ctx context.Context, check string) error {
	return s.states.Delete(ctx, check)
}
