package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
)

// deliver makes one attempt and decides what happens next: done when sent
// or given up, else the wait before the next attempt. Every outcome is
// recorded in the audit log.
func (p *Pipeline) deliver(ctx context.Context, channel string, d bus.Delivery) (bool, time.Duration) {
	var m Message
	if err := json.Unmarshal(d.Entry.Payload, &m); err != nil {
		p.record(ctx, m, channel, fmt.Sprintf("gave up on %s: unreadable message: %v", d.Entry.ID, err))
		return true, 0
	}
	n, ok := p.notifier(channel)
	if !ok {
		p.record(ctx, m, channel, fmt.Sprintf("gave up: channel %s is no longer configured", channel))
		return true, 0
	}
	actx, cancel := context.WithTimeout(ctx, bus.MaxAttempt)
	retry, err := n.Notify(actx, m)
	cancel()
	switch {
	case err == nil:
		p.record(ctx, m, channel, fmt.Sprintf("sent %s via %s (attempt %d)", m.Kind, channel, d.Attempt))
		return true, 0
	case ctx.Err() != nil:
		return false, 0 // stopping: the entry goes back to the queue untouched
	case !retry:
		p.record(ctx, m, channel, fmt.Sprintf("gave up on %s via %s after attempt %d: %v", m.Kind, channel, d.Attempt, err))
		return true, 0
	case p.now().Sub(d.Entry.Created) > p.backoff.GiveUpAfter:
		p.record(ctx, m, channel, fmt.Sprintf("gave up on %s via %s after %d attempts over %s: %v",
			m.Kind, channel, d.Attempt, p.backoff.GiveUpAfter, err))
		return true, 0
	}
	wait := p.backoff.after(d.Attempt)
	p.record(ctx, m, channel, fmt.Sprintf("attempt %d of %s via %s failed, retrying in %s: %v", d.Attempt, m.Kind, channel, wait, err))
	return false, wait
}

// record appends an outcome to the audit log of the message's first check
// (a message with no check, such as a test, is only logged).
func (p *Pipeline) record(ctx context.Context, m Message, channel, text string) {
	p.log.Info("notification", "channel", channel, "id", m.ID, "outcome", text)
	if len(m.Checks) == 0 {
		return
	}
	e := bus.Event{Time: p.now(), Check: m.Checks[0].ID, Kind: EventKind, From: probe.StatusUnknown, To: probe.StatusUnknown, Reason: text}
	// The outcome of an attempt is recorded even when a stop came during it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := p.out.AppendEvent(ctx, e); err != nil {
		p.log.Warn("recording a notification outcome", "channel", channel, "id", m.ID, "err", err)
	}
}
