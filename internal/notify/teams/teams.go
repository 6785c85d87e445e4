// Package teams posts notifications to a Microsoft Teams channel or chat
// through a Workflows (Power Automate) webhook, as an Adaptive Card: the
// title coloured by status, the text, the checks as facts and a button to
// the incident.
package teams

import (
	"context"
	"fmt"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one Teams Workflows webhook.
type Notifier struct {
	http *notify.HTTP
	url  secret.Secret
}

// New validates s and returns a notifier. Problems are *fielderr.Error
// values naming the setting, joined.
func New(s Settings) (*Notifier, error) {
	hook, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{http: notify.NewHTTP(s.Timeout, false).Hiding(hook.Reveal()), url: hook}, nil
}

// Notify sends m once; see notify.Notifier. A Workflows webhook answers
// 202 Accepted when the flow has taken the card; that is all Picket can
// know, since the flow posts it later. A refused request (bad signature,
// deleted or disabled flow, a card the flow cannot read) is a 4xx, and
// throttling is a 429. Errors never quote the webhook or its signature,
// even when a server echoes them.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	if _, retry, err := n.http.PostJSON(ctx, n.url.Reveal(), nil, envelope(m)); err != nil {
		return retry, fmt.Errorf("teams webhook: %w", err)
	}
	return false, nil
}
