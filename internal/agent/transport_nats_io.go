package agent

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go"
)

// Request implements transport.
func (t *natsTransport) Request(ctx context.Context, subject string, data []byte) ([]byte, error) {
	nc := t.nc.Load()
	if nc == nil || !nc.IsConnected() {
		return nil, errNotConnected
	}
	if max := nc.MaxPayload(); int64(len(data)) > max {
		return nil, fmt.Errorf("%d bytes on %s, the server takes %d: %w", len(data), subject, max, errTooLarge)
	}
	msg, err := nc.RequestWithContext(ctx, subject, data)
	switch {
	case errors.Is(err, nats.ErrMaxPayload):
		return nil, fmt.Errorf("request on %s: %w", subject, errTooLarge)
	case errors.Is(err, nats.ErrReconnectBufExceeded), errors.Is(err, nats.ErrConnectionClosed),
		errors.Is(err, nats.ErrConnectionReconnecting):
		return nil, errNotConnected
	case err != nil:
		return nil, fmt.Errorf("request on %s: %w", subject, err)
	}
	return msg.Data, nil
}

// Handle implements transport. Requests are answered concurrently, a few
// at a time, so that a long action does not hold up live mode.
func (t *natsTransport) Handle(ctx context.Context, subject string, h handler) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := handled{ctx: ctx, subject: subject, h: h}
	t.subs = append(t.subs, s)
	if nc := t.nc.Load(); nc != nil {
		return t.subscribeLocked(nc, s)
	}
	return nil
}

func (t *natsTransport) subscribeLocked(nc *nats.Conn, s handled) error {
	_, err := nc.Subscribe(s.subject, func(m *nats.Msg) {
		if m.Reply == "" || s.ctx.Err() != nil {
			return
		}
		t.sem <- struct{}{}
		t.handlers.Add(1)
		go func() {
			defer func() { <-t.sem; t.handlers.Done() }()
			if err := m.Respond(s.h(s.ctx, m.Data)); err != nil {
				t.errs.warn("answering a command", err)
			}
		}()
	})
	if err != nil {
		err = fmt.Errorf("subscribing to %s: %w", s.subject, err)
		t.errs.warn("server connection", err)
	}
	return err
}
