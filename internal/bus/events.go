package bus

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// AppendEvent adds e to the audit log and returns its sequence number,
// once stored. A zero e.Time is set to now; e.Seq is ignored. The same
// event appended again within two minutes is stored once (see eventID).
func (b *Bus) AppendEvent(ctx context.Context, e Event) (uint64, error) {
	if err := checkID("check id", e.Check); err != nil {
		return 0, err
	}
	if e.Time.IsZero() {
		e.Time = b.now()
	}
	e.Seq = 0
	data, err := json.Marshal(e)
	if err != nil {
		return 0, fmt.Errorf("encoding event of %s: %w", e.Check, err)
	}
	ack, err := b.js.Publish(ctx, eventSubject(e.Check), data, jetstream.WithMsgID(eventID(e)))
	if err != nil {
		return 0, fmt.Errorf("appending event of %s: %w", e.Check, err)
	}
	return ack.Sequence, nil
}

// eventID names an event for JetStream's duplicate detection: a check
// cannot change to the same status twice at the same instant, so appending
// an event again (a redelivered batch, a retry after a lost ack) within the
// stream's duplicate window stores nothing and returns the first sequence.
func eventID(e Event) string {
	return fmt.Sprintf("%s/%s/%d/%s", e.Check, e.Kind, e.Time.UnixNano(), e.To)
}

// Events returns the events f selects by their Time, oldest first, each
// with its Seq. Like Results, a read bounded by f.To stops at an event
// stored more than 10 minutes after f.To.
func (b *Bus) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	subject := eventsSubject
	if f.Check != "" {
		if err := checkID("check id", f.Check); err != nil {
			return nil, err
		}
		subject = eventSubject(f.Check)
	}
	w := window{from: f.From, to: f.To, limit: f.Limit}
	var out []Event
	err := b.scan(ctx, eventsStream, subject, w, func(data []byte, seq uint64) bool {
		var e Event
		if json.Unmarshal(data, &e) != nil || !w.contains(e.Time) {
			return true // nothing to show for an event that does not decode
		}
		e.Seq = seq
		out = append(out, e)
		return len(out) < w.max()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
