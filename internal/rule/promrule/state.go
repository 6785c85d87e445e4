package promrule

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"sync"
)

// StateStore keeps the alert instances that are pending or firing, by
// instance id, across restarts.
type StateStore interface {
	// Load returns every stored instance.
	Load(ctx context.Context) (map[string]Instance, error)
	// Put stores in under id.
	Put(ctx context.Context, id string, in Instance) error
	// Delete forgets id; deleting none is not an error.
	Delete(ctx context.Context, id string) error
}

// KV is a key-value bucket of bytes, such as the bus's rule state bucket
// type (*bus.RuleStates has these methods).
type KV interface {
	Load(ctx context.Context) (map[string][]byte, error)
	Put(ctx context.Context, key string, value []byte) error
	Delete(ctx context.Context, key string) error
}

// KVStates is a StateStore keeping one JSON value per instance in a KV.
// Give it a bucket of its own: the keys are instance ids.
type KVStates struct{ kv KV }

// NewKVStates returns a StateStore in kv.
func NewKVStates(kv KV) *KVStates { return &KVStates{kv: kv} }

// Load implements StateStore.
func (s *KVStates) Load(ctx context.Context) (map[string]Instance, error) {
	raw, err := s.kv.Load(ctx)
	if err != nil {
		return nil, fmt.Errorf("loading alert instances: %w", err)
	}
	out := make(map[string]Instance, len(raw))
	for id, data := range raw {
		var in Instance
		if err := json.Unmarshal(data, &in); err != nil {
			return nil, fmt.Errorf("decoding alert instance %s: %w", id, err)
		}
		out[id] = in
	}
	return out, nil
}

// Put implements StateStore.
func (s *KVStates) Put(ctx context.Context, id string, in Instance) error {
	data, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encoding alert instance %s: %w", id, err)
	}
	if err := s.kv.Put(ctx, id, data); err != nil {
		return fmt.Errorf("storing alert instance %s: %w", id, err)
	}
	return nil
}

// Delete implements StateStore.
func (s *KVStates) Delete(ctx context.Context, id string) error {
	if err := s.kv.Delete(ctx, id); err != nil {
		return fmt.Errorf("deleting alert instance %s: %w", id, err)
	}
	return nil
}

// MemoryStates is a StateStore in memory: state survives a new Engine in
// the same process, not a restart. The zero value is ready to use.
type MemoryStates struct {
	mu sync.Mutex // protects the field below
	m  map[string]Instance
}

// Load implements StateStore.
func (s *MemoryStates) Load(context.Context) (map[string]Instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.m), nil
}

// Put implements StateStore.
func (s *MemoryStates) Put(_ context.Context, id string, in Instance) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]Instance{}
	}
	in.Labels = maps.Clone(in.Labels)
	s.m[id] = in
	return nil
}

// Delete implements StateStore.
func (s *MemoryStates) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
