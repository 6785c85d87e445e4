package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"text/template"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// minHidden is the shortest header value that errors never show.
const minHidden = 4

// Notifier sends messages to one webhook.
type Notifier struct {
	http        *notify.HTTP
	url         secret.Secret
	method      string
	header      http.Header
	tmpl        *template.Template // nil: the default JSON body
	contentType string
}

// New validates s and returns a notifier. Every problem is reported, as a
// *fielderr.Error naming the setting, joined with errors.Join.
func New(s Settings) (*Notifier, error) {
	u, urlErr := notify.RequireSecret("url", s.URL, s.URLFile)
	if urlErr == nil {
		urlErr = notify.CheckSecretURL("url", u)
	}
	method, methodErr := checkMethod(s.Method)
	header, headerErr := checkHeaders(s.Headers)
	tmpl, tmplErr := compile(s.BodyTemplate)
	ct, ctErr := contentType(s.ContentType, s.BodyTemplate != "")
	if err := errors.Join(urlErr, methodErr, headerErr, tmplErr, ctErr, notify.CheckTimeout(s.Timeout)); err != nil {
		return nil, err
	}
	// Header values are hidden too, but not the very short ones ("1",
	// "yes"), which are no credentials and would garble "HTTP 401".
	hide := []string{u.Reveal()}
	for _, v := range s.Headers {
		if len(v.Reveal()) >= minHidden {
			hide = append(hide, v.Reveal())
		}
	}
	return &Notifier{
		http: notify.NewHTTP(s.Timeout, s.InsecureSkipVerify).Hiding(hide...), url: u, method: method,
		header: header, tmpl: tmpl, contentType: ct,
	}, nil
}

// Notify sends m once. Any 2xx reply is success. A body template that
// fails on m is an error that retrying cannot fix.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	body, err := n.body(m)
	if err != nil {
		return false, fmt.Errorf("rendering the webhook body: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, n.method, n.url.Reveal(), bytes.NewReader(body))
	if err != nil {
		// The URL was checked at load; its text may hold a token, so the
		// cause (which quotes it) is left out.
		return false, errors.New("building the webhook request failed")
	}
	req.Header = n.header.Clone()
	req.Header.Set("Content-Type", n.contentType)
	if m.ID != "" {
		req.Header.Set("Idempotency-Key", m.ID)
	}
	_, retry, err = n.http.Do(ctx, req)
	if err != nil {
		return retry, fmt.Errorf("calling the webhook: %w", err)
	}
	return false, nil
}

// body renders the request body for m.
func (n *Notifier) body(m notify.Message) ([]byte, error) {
	if n.tmpl != nil {
		return execute(n.tmpl, m)
	}
	return json.Marshal(newPayload(m))
}

// Payload is the default JSON body, one object per message. Its field
// names are part of Picket's documented interface (docs/channels).
type Payload struct {
	ID       string            `json:"id"`
	GroupKey string            `json:"group_key"`
	Kind     notify.Kind       `json:"kind"`
	Severity notify.Severity   `json:"severity"`
	Status   string            `json:"status"`
	Title    string            `json:"title"`
	Text     string            `json:"text"`
	URL      string            `json:"url"`
	Time     string            `json:"time"` // RFC 3339, UTC
	Checks   []Check           `json:"checks"`
	Labels   map[string]string `json:"labels"`
}

// Check is one check in Payload.
type Check struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Target string `json:"target"` // a password in a URL is redacted
	Status string `json:"status"`
	Reason string `json:"reason"`
}

// newPayload converts m; checks and labels are never null.
func newPayload(m notify.Message) Payload {
	p := Payload{
		ID: m.ID, GroupKey: m.GroupKey, Kind: m.Kind, Severity: m.Severity, Status: m.Status,
		Title: m.Title, Text: m.Text, URL: m.URL, Time: m.Time.UTC().Format(time.RFC3339),
		Checks: make([]Check, 0, len(m.Checks)), Labels: m.Labels,
	}
	for _, c := range m.Checks {
		p.Checks = append(p.Checks, Check{ID: c.ID, Name: c.Name, Target: secret.RedactURL(c.Target), Status: c.Status, Reason: c.Reason})
	}
	if p.Labels == nil {
		p.Labels = map[string]string{}
	}
	return p
}

// funcs are the functions a body template may call besides the built-ins:
// json writes its argument as JSON, so that {"text": {{json .Text}}} is
// valid whatever the text holds.
var funcs = template.FuncMap{
	"json": func(v any) (string, error) {
		b, err := json.Marshal(v)
		return string(b), err
	},
}

// execute runs t on m.
func execute(t *template.Template, m notify.Message) ([]byte, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
