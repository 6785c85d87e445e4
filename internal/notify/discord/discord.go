// Package discord posts notifications to a Discord channel through a
// webhook, as an embed coloured by status with the title linked to the
// incident. It asks Discord to wait for the message to be saved, so a
// rejected message is an error, not a silent 204.
package discord

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one Discord webhook.
type Notifier struct {
	http     *notify.HTTP
	url      secret.Secret // the webhook with wait=true
	username string
	secrets  []string // what scrub cuts out of errors
}

// New validates s and returns a notifier. Problems are *notify.FieldError
// values naming the setting, joined.
func New(s Settings) (*Notifier, error) {
	target, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{
		http:     notify.NewHTTP(s.Timeout, false),
		url:      target,
		username: s.Username,
		secrets:  echoes(target),
	}, nil
}

// Notify sends m once; see notify.Notifier. Discord answers 200 with the
// saved message; 4xx with {"message": ..., "code": ...} when it refuses
// (404 Unknown Webhook once the webhook is deleted), and 429 with
// retry_after when rate limited.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	p := payload(m)
	p.Username = n.username
	if _, retry, err := n.http.PostJSON(ctx, n.url.Reveal(), nil, p); err != nil {
		return retry, n.scrub(fmt.Errorf("discord webhook: %w", err))
	}
	return false, nil
}

// scrub cuts the webhook out of err's text, in case a server quoted the
// request back (a proxy's "Cannot POST /api/webhooks/…"). Such an error
// loses its chain; any other is returned as it is.
func (n *Notifier) scrub(err error) error {
	msg := err.Error()
	for _, s := range n.secrets {
		msg = strings.ReplaceAll(msg, s, secret.Redacted)
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// echoes are the forms in which a server could quote the webhook back:
// the URL and its path, which holds the token. Short strings are left out.
func echoes(hook secret.Secret) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 8 {
			out = append(out, s)
		}
	}
	add(hook.Reveal())
	if u, err := url.Parse(hook.Reveal()); err == nil {
		add(u.EscapedPath())
		add(u.Path)
	}
	return out
}
