package mute

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/picket-monitor/picket/internal/bus"
)

// SilenceBucket is the JetStream key-value bucket KVStore keeps silences
// in, one key per silence id.
const SilenceBucket = "picket_silences"

// KVStore is a SilenceStore on the bus's JetStream, so that silences
// survive restarts (and, in a cluster, are shared by the nodes).
type KVStore struct {
	kv jetstream.KeyValue
}

// NewKVStore creates the bucket, or updates it when it exists with
// another configuration.
func NewKVStore(ctx context.Context, b *bus.Bus) (*KVStore, error) {
	js, err := jetstream.New(b.Conn())
	if err != nil {
		return nil, fmt.Errorf("opening jetstream: %w", err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      SilenceBucket,
		Description: "Picket silences, by silence id",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    1,
	})
	if err != nil {
		return nil, fmt.Errorf("declaring bucket %s: %w", SilenceBucket, err)
	}
	return &KVStore{kv: kv}, nil
}

// Load returns every stored silence, read in one pass over the bucket.
func (k *KVStore) Load(ctx context.Context) ([]Silence, error) {
	w, err := k.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("reading silences: %w", err)
	}
	defer w.Stop()
	var out []Silence
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return nil, errors.New("reading silences: watcher closed")
			}
			if e == nil { // nil marks the end of the stored values
				return out, nil
			}
			var s Silence
			if err := json.Unmarshal(e.Value(), &s); err != nil {
				return nil, fmt.Errorf("decoding silence %s: %w", e.Key(), err)
			}
			out = append(out, s)
		case <-ctx.Done():
			return nil, fmt.Errorf("reading silences: %w", ctx.Err())
		}
	}
}

// Put stores s under its id.
func (k *KVStore) Put(ctx context.Context, s Silence) error {
	data, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding silence %s: %w", s.ID, err)
	}
	if _, err := k.kv.Put(ctx, s.ID, data); err != nil {
		return fmt.Errorf("storing silence %s: %w", s.ID, err)
	}
	return nil
}

// Delete forgets the silence id.
func (k *KVStore) Delete(ctx context.Context, id string) error {
	if err := k.kv.Purge(ctx, id); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("deleting silence %s: %w", id, err)
	}
	return nil
}
