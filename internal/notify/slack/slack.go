// Package slack posts notifications to Slack, either through an incoming
// webhook or as a bot through the Web API's chat.postMessage, as a
// coloured attachment with the title, the text and a link button. A send
// counts only when Slack confirms it: "ok" from a webhook, "ok": true from
// the Web API.
package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one Slack channel.
type Notifier struct {
	http    *notify.HTTP
	webhook secret.Secret // incoming webhook mode when set
	token   secret.Secret // Web API mode when set
	apiURL  string
	channel string
}

// New validates s and returns a notifier. Problems are *fielderr.Error
// values naming the setting, joined.
func New(s Settings) (*Notifier, error) {
	c, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{
		http:    notify.NewHTTP(s.Timeout, false).Hiding(c.webhook.Reveal(), c.token.Reveal()),
		webhook: c.webhook,
		token:   c.token,
		apiURL:  strings.TrimRight(s.APIURL, "/"),
		channel: s.Channel,
	}, nil
}

// Notify sends m once; see notify.Notifier. Errors never quote the webhook
// or the token, even when a proxy echoes the request ("Cannot POST
// /services/…").
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	p := payload(m)
	if n.webhook != "" {
		retry, err = n.postWebhook(ctx, p)
	} else {
		p.Channel = n.channel
		retry, err = n.postMessage(ctx, p)
	}
	return retry, n.http.Scrub(err)
}

// postWebhook posts to the incoming webhook, which answers 200 with the
// plain text "ok", or a 4xx with an error name such as "invalid_payload"
// or "no_service" (the webhook was removed).
func (n *Notifier) postWebhook(ctx context.Context, p message) (bool, error) {
	body, retry, err := n.http.PostJSON(ctx, n.webhook.Reveal(), nil, p)
	if err != nil {
		return retry, fmt.Errorf("slack webhook: %w", err)
	}
	if strings.TrimSpace(string(body)) != "ok" {
		return false, fmt.Errorf("slack webhook: unexpected reply: %s", notify.Excerpt(body))
	}
	return false, nil
}

// apiReply is the part of a Web API reply Picket reads.
type apiReply struct {
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Needed string `json:"needed"` // the missing scope, with missing_scope
}

// postMessage calls chat.postMessage with the bot token.
func (n *Notifier) postMessage(ctx context.Context, p message) (bool, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return false, fmt.Errorf("slack chat.postMessage: encoding: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.apiURL+"/chat.postMessage", bytes.NewReader(b))
	if err != nil {
		return false, fmt.Errorf("slack chat.postMessage: %w", err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+n.token.Reveal())
	body, retry, err := n.http.Do(ctx, req)
	if err != nil {
		return retry, fmt.Errorf("slack chat.postMessage: %w", err)
	}
	var r apiReply
	if err := json.Unmarshal(body, &r); err != nil {
		return false, fmt.Errorf("slack chat.postMessage: not a Web API reply: %s", notify.Excerpt(body))
	}
	if !r.OK {
		return retryable(r.Error), fmt.Errorf("slack chat.postMessage: %s", r.describe())
	}
	return false, nil
}

func (r apiReply) describe() string {
	switch {
	case r.Error == "":
		return `"ok" is false`
	case r.Needed != "":
		return r.Error + " (needs scope " + r.Needed + ")"
	}
	return r.Error
}

// retryable reports whether a Web API error is transient: rate limits and
// Slack's own failures. Everything else (channel_not_found, invalid_auth,
// not_in_channel, is_archived, ...) needs a person to fix the config.
func retryable(apiError string) bool {
	switch apiError {
	case "ratelimited", "rate_limited", "internal_error", "fatal_error",
		"service_unavailable", "request_timeout", "team_added_to_org":
		return true
	}
	return false
}
