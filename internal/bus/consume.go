package bus

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	// consumeBatch is the most results one handler call gets.
	consumeBatch = 500
	// ackWait is how long a fetched batch may take to handle before
	// JetStream delivers it again. It is also how late a batch comes when
	// its delivery is lost (a fetch that gives up while the process is
	// starved of CPU for over a second).
	ackWait = 30 * time.Second
	// malformedLogEvery: a malformed result is logged once per this many.
	malformedLogEvery = 1000
)

// ConsumeResults feeds every stored result, in batches of up to 500, to
// handle, through the durable consumer named durable: a restart resumes
// after the last batch handled, and each durable (e.g. "ingest", "state")
// sees every result on its own; callers sharing one durable share its
// results between them. A new durable starts at the oldest stored result.
//
// A batch is acknowledged only when handle returns nil; otherwise it is
// delivered again after a delay (5s), before newer results, so handle sees
// each result at least once and must tolerate repeats. A message that is
// not a valid result is acknowledged, counted (see Malformed) and skipped.
//
// ConsumeResults blocks until ctx is done and then returns nil; it returns
// an error when the consumer cannot be created or the connection is gone.
func (b *Bus) ConsumeResults(ctx context.Context, durable string, handle func(ctx context.Context, batch []Result) error, opts ...ConsumeOption) error {
	if err := checkID("consumer name", durable); err != nil {
		return err
	}
	cfg := jetstream.ConsumerConfig{
		Durable:       durable,
		Description:   "picket results consumer " + durable,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       ackWait,
		MaxDeliver:    -1,
		MaxAckPending: 4 * consumeBatch,
	}
	for _, o := range opts {
		o(&cfg)
	}
	if err := b.resumeAtAckFloor(ctx, &cfg); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("resuming results consumer %s: %w", durable, err)
	}
	cons, err := b.js.CreateOrUpdateConsumer(ctx, resultsStream, cfg)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("creating results consumer %s: %w", durable, err)
	}
	for ctx.Err() == nil {
		if err := b.consumeOnce(ctx, cons, durable, handle); err != nil {
			return err
		}
	}
	return nil
}

// consumeOnce fetches one batch and hands it over.
func (b *Bus) consumeOnce(ctx context.Context, cons jetstream.Consumer, durable string, handle func(context.Context, []Result) error) error {
	batch, err := cons.Fetch(consumeBatch, jetstream.FetchMaxWait(b.fetchWait))
	if err != nil {
		return b.failed(ctx, durable, fmt.Errorf("fetching: %w", err))
	}
	msgs, results := b.decodeBatch(batch)
	if len(msgs) > 0 {
		if err := b.handleBatch(ctx, durable, msgs, results, handle); err != nil {
			return b.failed(ctx, durable, err)
		}
	}
	if err := batch.Error(); err != nil {
		return b.failed(ctx, durable, fmt.Errorf("fetching: %w", err))
	}
	return nil
}

// decodeBatch collects a fetched batch, skipping malformed results.
func (b *Bus) decodeBatch(batch jetstream.MessageBatch) ([]jetstream.Msg, []Result) {
	var msgs []jetstream.Msg
	var results []Result
	for msg := range batch.Messages() {
		r, err := decodeResult(msg.Subject(), msg.Data())
		if err != nil {
			b.skipMalformed(msg, err)
			continue
		}
		msgs = append(msgs, msg)
		results = append(results, r)
	}
	return msgs, results
}

func (b *Bus) skipMalformed(msg jetstream.Msg, err error) {
	_ = msg.Ack() // if the ack is lost, the message comes back and is skipped again
	if n := b.malformed.Add(1); n%malformedLogEvery == 1 {
		b.log.Warn("skipping malformed result", "err", err, "malformed_total", n)
	}
}

// handleBatch calls handle and acknowledges the batch, or asks for it
// again later when handle fails or ctx ends first.
func (b *Bus) handleBatch(ctx context.Context, durable string, msgs []jetstream.Msg, results []Result, handle func(context.Context, []Result) error) error {
	if ctx.Err() != nil {
		nakAll(msgs, 0)
		return nil
	}
	if err := handle(ctx, results); err != nil {
		nakAll(msgs, b.retryDelay)
		if ctx.Err() == nil {
			b.log.Warn("handling results failed, retrying", "consumer", durable, "results", len(results), "retry_in", b.retryDelay, "err", err)
		}
		sleep(ctx, b.retryDelay) // so the retried batch is fetched before newer results
		return nil
	}
	return ackAll(ctx, msgs)
}

// ackAll acknowledges msgs and waits for the server to confirm the last
// one: acks of one connection are processed in order, so the whole batch
// is then recorded.
func ackAll(ctx context.Context, msgs []jetstream.Msg) error {
	last := len(msgs) - 1
	for _, m := range msgs[:last] {
		if err := m.Ack(); err != nil {
			return fmt.Errorf("acknowledging results: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := msgs[last].DoubleAck(ctx); err != nil {
		return fmt.Errorf("acknowledging results: %w", err)
	}
	return nil
}

// nakAll asks for msgs again after delay. A lost nak only delays them
// until their ack wait runs out.
func nakAll(msgs []jetstream.Msg, delay time.Duration) {
	for _, m := range msgs {
		_ = m.NakWithDelay(delay)
	}
}

// failed decides what a failed fetch or ack means: nothing when ctx ended,
// the end when the connection is gone, a pause otherwise (a server busy
// recovering, a lost heartbeat, a lost ack confirmation).
func (b *Bus) failed(ctx context.Context, durable string, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	if errors.Is(err, nats.ErrConnectionClosed) || errors.Is(err, nats.ErrConnectionDraining) || b.nc.IsClosed() {
		return fmt.Errorf("consuming results as %s: %w", durable, err)
	}
	b.log.Warn("consuming results failed, retrying", "consumer", durable, "err", err)
	sleep(ctx, b.retryDelay)
	return nil
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// resumeAtAckFloor makes a durable that already exists start again right
// after its last acknowledged result. Results a previous process fetched
// but never acknowledged (it was killed mid-batch) would otherwise be held
// back for the acknowledgement wait while newer ones flow past them, and a
// consumer must see a check's results in order: the state machine would
// confirm an outage on a later result, a second time, and the store would
// refuse the late samples as out of order. Deleting and recreating the
// durable at its ack floor hands them out again at once, first.
func (b *Bus) resumeAtAckFloor(ctx context.Context, cfg *jetstream.ConsumerConfig) error {
	cons, err := b.js.Consumer(ctx, resultsStream, cfg.Durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil // new: it starts at the oldest stored result
	}
	if err != nil {
		return err
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return err
	}
	if info.NumAckPending == 0 && info.NumRedelivered == 0 {
		// Nothing in flight: carry on as it is, keeping how it was made
		// to start, which JetStream does not let an update change.
		cfg.DeliverPolicy, cfg.OptStartSeq, cfg.OptStartTime = info.Config.DeliverPolicy, info.Config.OptStartSeq, info.Config.OptStartTime
		return nil
	}
	if err := b.js.DeleteConsumer(ctx, resultsStream, cfg.Durable); err != nil {
		return err
	}
	cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
	cfg.OptStartSeq, cfg.OptStartTime = info.AckFloor.Stream+1, nil
	return nil
}

// ConsumeOption changes how ConsumeResults makes a new durable.
type ConsumeOption func(*jetstream.ConsumerConfig)

// StartNewAt makes a durable that does not exist yet start with the
// results stored from t on, instead of the oldest. A consumer added to a
// server that already has history uses it when old results would mislead
// it: the alerting state machine must not page for last week's outages.
// An existing durable carries on where it was.
func StartNewAt(t time.Time) ConsumeOption {
	return func(c *jetstream.ConsumerConfig) {
		c.DeliverPolicy = jetstream.DeliverByStartTimePolicy
		c.OptStartTime = &t
	}
}
