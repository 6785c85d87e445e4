package bus

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// ruleStateBucket keeps the alerting state machine of each check (soft and
// hard status, flap window), apart from stateBucket, which keeps the
// latest outcome the UI shows.
const ruleStateBucket = "picket_rule_state"

// RuleStates is the bucket of the check state machines, by check id. The
// values are opaque here: package rule owns their encoding. Its methods
// are safe for concurrent use.
type RuleStates struct {
	kv jetstream.KeyValue
}

// RuleStates creates the bucket, or updates it when it exists with
// another configuration, and returns it.
func (b *Bus) RuleStates(ctx context.Context) (*RuleStates, error) {
	return b.opaqueBucket(ctx, ruleStateBucket, "Picket check state machines (soft/hard, flapping), by check id")
}

// alertStateBucket keeps the pending and firing instances of PromQL
// alerting rules, so that a restart neither fires them again nor forgets
// them.
const alertStateBucket = "picket_alert_state"

// AlertStates is RuleStates for the PromQL alerting rules' instances.
func (b *Bus) AlertStates(ctx context.Context) (*RuleStates, error) {
	return b.opaqueBucket(ctx, alertStateBucket, "Picket PromQL alert instances (pending, firing), by instance id")
}

func (b *Bus) opaqueBucket(ctx context.Context, name, desc string) (*RuleStates, error) {
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      name,
		Description: desc,
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    1,
	})
	if err != nil {
		return nil, fmt.Errorf("declaring bucket %s: %w", name, err)
	}
	return &RuleStates{kv: kv}, nil
}

// Load returns every stored value by check id, read in one pass.
func (r *RuleStates) Load(ctx context.Context) (map[string][]byte, error) {
	w, err := r.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return nil, fmt.Errorf("reading rule states: %w", err)
	}
	defer w.Stop()
	out := make(map[string][]byte)
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return nil, fmt.Errorf("reading rule states: watcher closed")
			}
			if e == nil { // the end of the stored values
				return out, nil
			}
			out[e.Key()] = e.Value()
		case <-ctx.Done():
			return nil, fmt.Errorf("reading rule states: %w", ctx.Err())
		}
	}
}

// Put stores value as the state of check, replacing the one before.
func (r *RuleStates) Put(ctx context.Context, check string, value []byte) error {
	if err := checkID("check id", check); err != nil {
		return err
	}
	if _, err := r.kv.Put(ctx, check, value); err != nil {
		return fmt.Errorf("storing rule state of %s: %w", check, err)
	}
	return nil
}

// Delete forgets the state of check; deleting none is not an error.
func (r *RuleStates) Delete(ctx context.Context, check string) error {
	if err := checkID("check id", check); err != nil {
		return err
	}
	if err := r.kv.Delete(ctx, check); err != nil {
		return fmt.Errorf("deleting rule state of %s: %w", check, err)
	}
	return nil
}
