package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// OutboxHandler delivers one entry. It returns done when the entry needs
// no more attempts (delivered, or given up), and otherwise how long to
// wait before the next attempt.
type OutboxHandler func(ctx context.Context, d Delivery) (done bool, retryIn time.Duration)

// ConsumeOutbox delivers the entries of one channel, oldest first and one
// at a time, so that a channel's messages keep their order and a failing
// channel holds back only its own. An entry marked done before a crash is
// acknowledged without calling handle again. It blocks until ctx ends.
//
// The channel's consumer is made afresh at each start. An entry handed to
// a worker that died (kill -9) or that was stopping as it arrived stays
// locked until the acknowledgement wait runs out; on a work-queue stream,
// deleting the consumer frees such entries at once, and the entries
// themselves stay until acknowledged. One node consumes each channel; the
// cluster work must revisit this when several may.
func (b *Bus) ConsumeOutbox(ctx context.Context, channel string, handle OutboxHandler) error {
	if err := checkID("channel id", channel); err != nil {
		return err
	}
	name := "outbox-" + channel
	if err := b.js.DeleteConsumer(ctx, outboxStream, name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("resetting outbox consumer for %s: %w", channel, err)
	}
	cons, err := b.js.CreateOrUpdateConsumer(ctx, outboxStream, jetstream.ConsumerConfig{
		Durable:       name,
		Description:   "picket notifications for channel " + channel,
		FilterSubject: outboxPrefix + channel,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       outboxAckWait,
		MaxDeliver:    -1,
		MaxAckPending: 1,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("creating outbox consumer for %s: %w", channel, err)
	}
	for ctx.Err() == nil {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(b.fetchWait))
		if err != nil {
			if err := b.failed(ctx, "outbox-"+channel, fmt.Errorf("fetching: %w", err)); err != nil {
				return err
			}
			continue
		}
		for msg := range batch.Messages() {
			if err := b.deliver(ctx, msg, handle); err != nil && ctx.Err() == nil {
				b.log.Warn("outbox", "channel", channel, "err", err)
			}
		}
	}
	return nil
}

func (b *Bus) deliver(ctx context.Context, msg jetstream.Msg, handle OutboxHandler) error {
	var e OutboxEntry
	if err := json.Unmarshal(msg.Data(), &e); err != nil || e.ID == "" {
		b.malformed.Add(1)
		return errors.Join(fmt.Errorf("malformed outbox entry dropped"), msg.Term())
	}
	if ctx.Err() != nil {
		// Stopping: hand the entry back now rather than leave it locked
		// for the acknowledgement wait after the next start.
		return msg.Nak()
	}
	switch _, err := b.done.Get(ctx, doneKey(e.ID)); {
	case err == nil:
		return msg.Ack() // delivered before a crash took the acknowledgement
	case !errors.Is(err, jetstream.ErrKeyNotFound):
		return errors.Join(fmt.Errorf("looking up %s: %w", e.ID, err), msg.NakWithDelay(time.Second))
	}
	attempt := 1
	if md, err := msg.Metadata(); err == nil {
		attempt = int(md.NumDelivered)
	}
	done, retryIn := handle(ctx, Delivery{Entry: e, Attempt: attempt})
	if !done {
		return msg.NakWithDelay(retryIn)
	}
	// A sent notification must be recorded as done even when the stop
	// came during the send, or the next start sends it again.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finishTimeout)
	defer cancel()
	// Done first, then the acknowledgement: a crash in between leaves an
	// entry that the next delivery recognises and acknowledges.
	if _, err := b.done.Put(fctx, doneKey(e.ID), []byte(time.Now().UTC().Format(time.RFC3339Nano))); err != nil {
		return fmt.Errorf("marking %s done: %w", e.ID, err)
	}
	return msg.DoubleAck(fctx)
}

// finishTimeout bounds recording a finished delivery during a stop.
const finishTimeout = 5 * time.Second
