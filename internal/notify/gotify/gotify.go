package gotify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier posts messages to one Gotify application.
type Notifier struct {
	http   *notify.HTTP
	url    string // the server's /message endpoint
	header http.Header
	token  string // scrubbed from error texts
	prio   map[notify.Severity]int
}

// New validates s and returns a notifier. Every problem is reported, as a
// *notify.FieldError naming the setting, joined with errors.Join.
func New(s Settings) (*Notifier, error) {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	u, err := messageURL(s.Server)
	add(err)
	tok, err := token(s)
	add(err)
	prio, err := levels(s.Priorities)
	add(err)
	add(checkTimeout(s.Timeout))
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	h := http.Header{"User-Agent": {"picket"}, "X-Gotify-Key": {tok.Reveal()}}
	return &Notifier{http: notify.NewHTTP(s.Timeout, s.InsecureSkipVerify), url: u, header: h, token: tok.Reveal(), prio: prio}, nil
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
		return retry, n.scrub(fmt.Errorf("posting to gotify: %w", err))
	}
	var reply struct {
		ID uint64 `json:"id"`
	}
	if err := json.Unmarshal(body, &reply); err != nil || reply.ID == 0 {
		return false, n.scrub(fmt.Errorf("posting to gotify: unexpected reply: %s", notify.Excerpt(body)))
	}
	return false, nil
}

// message formats m: plain text (Gotify would otherwise fetch images that
// Markdown names), and the incident link opened by a tap on the
// notification.
func (n *Notifier) message(m notify.Message) Message {
	text := m.Text
	if text == "" {
		text = m.Title
	}
	extras := map[string]any{"client::display": map[string]any{"contentType": "text/plain"}}
	if m.URL != "" {
		extras["client::notification"] = map[string]any{"click": map[string]any{"url": m.URL}}
	}
	return Message{Title: m.Title, Message: text, Priority: n.priority(m.Severity), Extras: extras}
}

// priority maps a severity; one Picket does not know gets warning's.
func (n *Notifier) priority(s notify.Severity) int {
	if p, ok := n.prio[s]; ok {
		return p
	}
	return n.prio[notify.SeverityWarning]
}

// scrub replaces the token in err's text by secret.Redacted, in case a
// server or a proxy in front of it echoes the request.
func (n *Notifier) scrub(err error) error {
	if len(n.token) < 4 || !strings.Contains(err.Error(), n.token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), n.token, secret.Redacted))
}
