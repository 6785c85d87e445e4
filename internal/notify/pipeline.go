package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
)

// Outbox is the durable queue the pipeline writes to and its workers read
// from, and the audit log they record outcomes in.
type Outbox interface {
	Enqueue(ctx context.Context, e bus.OutboxEntry) (duplicate bool, err error)
	ConsumeOutbox(ctx context.Context, channel string, handle bus.OutboxHandler) error
	AppendEvent(ctx context.Context, e bus.Event) (uint64, error)
}

// Backoff is the retry policy: the wait after attempt n is First doubled
// n-1 times, at most Max; an entry older than GiveUpAfter is given up.
type Backoff struct {
	First, Max, GiveUpAfter time.Duration
}

// DefaultBackoff retries after 1s, 2s, 4s ... up to every 5 minutes, for a
// day: long enough to ride out a chat service's outage, short enough that
// a page about last week is not delivered.
var DefaultBackoff = Backoff{First: time.Second, Max: 5 * time.Minute, GiveUpAfter: 24 * time.Hour}

func (b Backoff) after(attempt int) time.Duration {
	d := b.First
	for i := 1; i < attempt && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// EventKind is the kind of the audit-log events the pipeline writes.
const EventKind = "notify"

// Pipeline queues messages durably and delivers them through the
// configured channels, one worker per channel.
type Pipeline struct {
	out     Outbox
	backoff Backoff
	now     func() time.Time
	log     *slog.Logger

	mu        sync.RWMutex // protects notifiers
	notifiers map[string]Notifier
}

// NewPipeline returns a pipeline over out. now and log may be nil.
func NewPipeline(out Outbox, backoff Backoff, now func() time.Time, log *slog.Logger) *Pipeline {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Pipeline{out: out, backoff: backoff, now: now, log: log, notifiers: map[string]Notifier{}}
}

// SetNotifiers replaces the channels, by channel id (on reload).
func (p *Pipeline) SetNotifiers(n map[string]Notifier) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notifiers = n
}

func (p *Pipeline) notifier(channel string) (Notifier, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	n, ok := p.notifiers[channel]
	return n, ok
}

// Send queues m for channel. It returns once the message is stored, so a
// crash after Send returns cannot lose it; sending the same m.ID to the
// same channel again does nothing.
func (p *Pipeline) Send(ctx context.Context, channel string, m Message) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encoding message %s: %w", m.ID, err)
	}
	_, err = p.out.Enqueue(ctx, bus.OutboxEntry{ID: m.ID + "/" + channel, Channel: channel, Payload: payload, Created: p.now()})
	return err
}

// Run delivers queued messages for each of channels until ctx ends.
func (p *Pipeline) Run(ctx context.Context, channels []string) error {
	var wg sync.WaitGroup
	errs := make([]error, len(channels))
	for i, ch := range channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.out.ConsumeOutbox(ctx, ch, func(ctx context.Context, d bus.Delivery) (bool, time.Duration) {
				return p.deliver(ctx, ch, d)
			})
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}
