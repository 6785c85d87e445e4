package gotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/picket-monitor/picket/internal/notify"
)

// Notifier posts messages to one Gotify application.
type Notifier struct {
	http   *notify.HTTP
	url    string // the server's /message endpoint
	header http.Header
	prio   notify.Levels
}

// New validates s and returns a notifier. Every problem is reported, as a
// *fielderr.Error naming the setting, joined with errors.Join.
func New(s Settings) (*Notifier, error) {
	base, urlErr := notify.CheckBaseURL("server", s.Server)
	tok, tokErr := notify.RequireSecret("token", s.Token, s.TokenFile)
	prio, prioErr := notify.ParseLevels("priorities", defaultPriorities(), s.Priorities, notify.Between(0, 10))
	if err := errors.Join(urlErr, tokErr, prioErr, notify.CheckTimeout(s.Timeout)); err != nil {
		return nil, err
	}
	return &Notifier{
		http: notify.NewHTTP(s.Timeout, s.InsecureSkipVerify).Hiding(tok.Reveal()),
		url:  base + "/message", header: http.Header{"X-Gotify-Key": {tok.Reveal()}}, prio: prio,
	}, nil
}

// Message is the JSON body of POST /message.
type Message struct {
	Title    string         `json:"title"`
	Message  string         `json:"message"`
	Priority int            `json:"priority"`
	Extras   map[string]any `json:"extras"`
}

// Notify posts m once. Success is a 2xx reply holding the stored message
// with its "id".
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	body, retry, err := n.http.PostJSON(ctx, n.url, n.header, n.message(m))
	if err != nil {
		return retry, fmt.Errorf("posting to gotify: %w", err)
	}
	var reply struct {
		ID uint64 `json:"id"`
	}
	if err := json.Unmarshal(body, &reply); err != nil || reply.ID == 0 {
		return false, n.http.Scrub(fmt.Errorf("posting to gotify: unexpected reply: %s", notify.Excerpt(body)))
	}
	return false, nil
}

// message formats m: plain text (Gotify would otherwise fetch images that
// Markdown names), and the incident link opened by a tap on the
// notification.
func (n *Notifier) message(m notify.Message) Message {
	text := m.TextOrTitle()
	extras := map[string]any{"client::display": map[string]any{"contentType": "text/plain"}}
	if m.URL != "" {
		extras["client::notification"] = map[string]any{"click": map[string]any{"url": m.URL}}
	}
	return Message{Title: m.Title, Message: text, Priority: n.prio.Of(m.Severity), Extras: extras}
}
