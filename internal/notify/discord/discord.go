// Package discord posts notifications to a Discord channel through a
// webhook, as an embed coloured by status with the title linked to the
// incident. It asks Discord to wait for the message to be saved, so a
// rejected message is an error, not a silent 204.
package discord

import (
	"context"
	"fmt"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one Discord webhook.
type Notifier struct {
	http     *notify.HTTP
	url      secret.Secret // the webhook with wait=true
	username string
}

// New validates s and returns a notifier. Problems are *fielderr.Error
// values naming the setting, joined.
func New(s Settings) (*Notifier, error) {
	hook, target, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{
		http:     notify.NewHTTP(s.Timeout, false).Hiding(hook.Reveal(), target.Reveal()),
		url:      target,
		username: s.Username,
	}, nil
}

// Notify sends m once; see notify.Notifier. Discord answers 200 with the
// saved message; 4xx with {"message": ..., "code": ...} when it refuses
// (404 Unknown Webhook once the webhook is deleted), and 429 with
// retry_after when rate limited. Errors never quote the webhook, even when
// a proxy echoes it ("Cannot POST /api/webhooks/…").
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	p := payload(m)
	p.Username = n.username
	if _, retry, err := n.http.PostJSON(ctx, n.url.Reveal(), nil, p); err != nil {
		return retry, fmt.Errorf("discord webhook: %w", err)
	}
	return false, nil
}
