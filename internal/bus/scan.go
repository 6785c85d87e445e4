package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// scanBatch is how many messages one history fetch asks for.
const scanBatch = 1000

// window selects messages for a history read by their own time (a
// result's Start, an event's Time).
type window struct {
	from, to time.Time // zero means unbounded
	limit    int       // <= 0 means DefaultLimit
}

func (w window) max() int {
	if w.limit <= 0 {
		return DefaultLimit
	}
	return w.limit
}

// contains reports whether a message's own time t is in the window.
func (w window) contains(t time.Time) bool {
	return !t.Before(w.from) && (w.to.IsZero() || !t.After(w.to))
}

// past reports whether a message stored at t comes so late that it and
// every later one are past the window: messages are stored at most
// lateness after their own time.
func (w window) past(stored time.Time) bool {
	return !w.to.IsZero() && stored.After(w.to.Add(lateness))
}

// scan calls visit for the messages on subject in stream, oldest first,
// starting with the first one stored at or after w.from (a message is
// never stored before its own time, so none in the window is skipped).
// It stops at the end of the stream, at a message past w, or when visit
// returns false.
func (b *Bus) scan(ctx context.Context, stream, subject string, w window, visit func(data []byte, seq uint64) bool) error {
	cfg := jetstream.OrderedConsumerConfig{
		FilterSubjects:    []string{subject},
		DeliverPolicy:     jetstream.DeliverAllPolicy,
		InactiveThreshold: 30 * time.Second,
		MaxResetAttempts:  3, // the default retries forever, hanging a read on a broken stream
	}
	if !w.from.IsZero() {
		from := w.from
		cfg.DeliverPolicy, cfg.OptStartTime = jetstream.DeliverByStartTimePolicy, &from
	}
	cons, err := b.js.OrderedConsumer(ctx, stream, cfg)
	if err != nil {
		return fmt.Errorf("reading %s: %w", subject, err)
	}
	defer b.dropConsumer(ctx, stream, cons)
	for ctx.Err() == nil {
		n, more, err := scanBatchOf(cons, w, visit)
		if err != nil {
			return fmt.Errorf("reading %s: %w", subject, err)
		}
		if n < scanBatch || !more { // a short batch: the stream has no more now
			return nil
		}
	}
	return ctx.Err()
}

// scanBatchOf fetches what is available now, up to scanBatch messages, and
// visits them. It returns how many came and whether to go on.
func scanBatchOf(cons jetstream.Consumer, w window, visit func([]byte, uint64) bool) (int, bool, error) {
	batch, err := cons.FetchNoWait(scanBatch)
	if err != nil {
		return 0, false, err
	}
	n := 0
	for msg := range batch.Messages() {
		n++
		meta, err := msg.Metadata()
		if err != nil {
			return n, false, err
		}
		if w.past(meta.Timestamp) || !visit(msg.Data(), meta.Sequence.Stream) {
			return n, false, nil
		}
	}
	return n, true, batch.Error()
}

// dropConsumer deletes the server side of a finished ordered consumer
// rather than leaving it to expire. Failure is harmless: it expires after
// its InactiveThreshold anyway.
func (b *Bus) dropConsumer(ctx context.Context, stream string, cons jetstream.Consumer) {
	info := cons.CachedInfo()
	if info == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = b.js.DeleteConsumer(ctx, stream, info.Name)
}
