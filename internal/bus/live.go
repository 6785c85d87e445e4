package bus

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// Live kinds: what a message passed to Live's fn is.
const (
	LiveResult = "result"
	LiveEvent  = "event"
)

// liveBuffer is how many messages Live holds for a slow fn before it
// drops new ones.
const liveBuffer = 4096

// Live calls fn with every result and event published from now on, kind
// LiveResult or LiveEvent and data the message's JSON (an event without
// its Seq). It returns once subscribed; fn then runs on one goroutine, one
// message at a time, until ctx ends or the bus closes. Live is for
// watching, not for processing: when fn falls more than liveBuffer
// messages behind, messages are dropped (and the drop logged).
func (b *Bus) Live(ctx context.Context, fn func(kind string, data []byte)) error {
	ch := make(chan *nats.Msg, liveBuffer)
	unsubscribe, err := b.subscribeLive(ctx, ch)
	if err != nil {
		return err
	}
	go func() {
		defer unsubscribe()
		for {
			select {
			case m := <-ch:
				fn(liveKind(m.Subject), m.Data)
			case <-ctx.Done():
				return
			case <-b.closed:
				return
			}
		}
	}()
	return nil
}

// subscribeLive feeds results and events into ch, and makes sure the
// server has the subscriptions, so nothing published after it returns is
// missed.
func (b *Bus) subscribeLive(ctx context.Context, ch chan *nats.Msg) (unsubscribe func(), err error) {
	var subs []*nats.Subscription
	unsubscribe = func() {
		for _, s := range subs {
			_ = s.Unsubscribe() // fails only when the connection is already gone
		}
	}
	for _, subject := range []string{resultsSubject, eventsSubject} {
		s, err := b.nc.ChanSubscribe(subject, ch)
		if err != nil {
			unsubscribe()
			return nil, fmt.Errorf("subscribing to %s: %w", subject, err)
		}
		subs = append(subs, s)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := b.nc.FlushWithContext(ctx); err != nil {
		unsubscribe()
		return nil, fmt.Errorf("subscribing to live updates: %w", err)
	}
	return unsubscribe, nil
}

func liveKind(subject string) string {
	if strings.HasPrefix(subject, eventsPrefix) {
		return LiveEvent
	}
	return LiveResult
}
