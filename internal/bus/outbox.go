package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The outbox: notifications wait on a work-queue stream, one subject per
// channel, until a worker has delivered them or given up; a key-value
// bucket remembers which entries are done, so that a redelivery after a
// crash does not send again.
const (
	outboxStream  = "PICKET_OUTBOX"
	outboxPrefix  = "picket.outbox."
	outboxSubject = outboxPrefix + ">"
	doneBucket    = "picket_outbox_done"

	// outboxDuplicates is how long JetStream drops an entry enqueued again
	// with the same id; the done bucket covers what is older.
	outboxDuplicates = 2 * time.Hour
	// doneTTL is how long a delivered entry's id is remembered.
	doneTTL = 7 * 24 * time.Hour
	// outboxAckWait must exceed the longest delivery attempt (see
	// MaxAttempt); after it an entry whose worker died (kill -9) is
	// delivered again.
	outboxAckWait = 30 * time.Second
	// MaxAttempt bounds one delivery attempt, whatever a channel's own
	// timeout says, so that an attempt ends before JetStream gives its
	// entry to another worker.
	MaxAttempt = 25 * time.Second
)

func outboxConfig() jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        outboxStream,
		Description: "Picket notifications waiting to be delivered, one subject per channel",
		Subjects:    []string{outboxSubject},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  outboxDuplicates,
		Replicas:    1,
	}
}

func doneConfig() jetstream.KeyValueConfig {
	return jetstream.KeyValueConfig{
		Bucket:      doneBucket,
		Description: "Picket outbox entries delivered or given up, by entry id",
		History:     1,
		TTL:         doneTTL,
		Storage:     jetstream.FileStorage,
		Replicas:    1,
	}
}

func declareOutbox(ctx context.Context, js jetstream.JetStream) (jetstream.KeyValue, error) {
	if _, err := js.CreateOrUpdateStream(ctx, outboxConfig()); err != nil {
		return nil, fmt.Errorf("declaring stream %s: %w", outboxStream, err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, doneConfig())
	if err != nil {
		return nil, fmt.Errorf("declaring bucket %s: %w", doneBucket, err)
	}
	return kv, nil
}

// OutboxEntry is one notification for one channel.
type OutboxEntry struct {
	// ID identifies the notification for this channel (incident id, step
	// and channel); enqueuing the same ID again does nothing.
	ID      string          `json:"id"`
	Channel string          `json:"channel"`
	Payload json.RawMessage `json:"payload"`
	Created time.Time       `json:"created"`
}

// Delivery is an entry handed to a worker, with its attempt number (1 for
// the first).
type Delivery struct {
	Entry   OutboxEntry
	Attempt int
}

// Enqueue stores e for delivery and returns true when e.ID was enqueued or
// delivered before, in which case nothing new is stored.
func (b *Bus) Enqueue(ctx context.Context, e OutboxEntry) (duplicate bool, err error) {
	if err := checkID("channel id", e.Channel); err != nil {
		return false, err
	}
	if _, err := b.done.Get(ctx, doneKey(e.ID)); err == nil {
		return true, nil
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return false, fmt.Errorf("looking up outbox entry: %w", err)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return false, fmt.Errorf("encoding outbox entry: %w", err)
	}
	ack, err := b.js.Publish(ctx, outboxPrefix+e.Channel, data, jetstream.WithMsgID(e.ID))
	if err != nil {
		return false, fmt.Errorf("enqueuing notification for %s: %w", e.Channel, err)
	}
	return ack.Duplicate, nil
}

// doneKey turns an entry id into a valid KV key: ids hold '/', which keys
// allow only as '.'-free tokens, so the id is hex-encoded.
func doneKey(id string) string { return fmt.Sprintf("%x", id) }
