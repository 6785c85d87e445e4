package webhook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one webhook.
type Notifier struct {
	http        *notify.HTTP
	url         string
	method      string
	header      http.Header
	tmpl        *template.Template // nil: the default JSON body
	contentType string
	secrets     []string // scrubbed from error texts, longest first
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
	raw, err := pick("url", s.URL, s.URLFile)
	add(err)
	if err == nil {
		_, err = checkURL(strings.TrimSpace(raw.Reveal()))
		add(err)
	}
	method, err := checkMethod(s.Method)
	add(err)
	header, err := checkHeaders(s.Headers)
	add(err)
	tmpl, err := compile(s.BodyTemplate)
	add(err)
	ct, err := contentType(s.ContentType, s.BodyTemplate != "")
	add(err)
	add(checkTimeout(s.Timeout))
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	u := strings.TrimSpace(raw.Reveal())
	return &Notifier{
		http: notify.NewHTTP(s.Timeout, s.InsecureSkipVerify), url: u, method: method,
		header: header, tmpl: tmpl, contentType: ct, secrets: secretsOf(u, s.Headers),
	}, nil
}

// Notify sends m once. Any 2xx reply is success. A body template that
// fails on m is an error that retrying cannot fix.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	body, err := n.body(m)
	if err != nil {
		return false, fmt.Errorf("rendering the webhook body: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, n.method, n.url, bytes.NewReader(body))
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
		return retry, n.scrub(fmt.Errorf("calling the webhook: %w", err))
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

// secretsOf lists what must never appear in an error, longest first so
// that a longer secret is replaced before a shorter one inside it: the
// URL, its path, query and password, the header values, and the path
// segments and query values long enough to be tokens.
func secretsOf(u string, headers map[string]secret.Secret) []string {
	whole := []string{u}
	var parts []string
	if pu, err := url.Parse(u); err == nil {
		whole = append(whole, pu.RequestURI(), pu.EscapedPath(), pu.RawQuery)
		if pw, ok := pu.User.Password(); ok {
			whole = append(whole, pw)
		}
		parts = strings.Split(pu.EscapedPath(), "/")
		for _, vs := range pu.Query() {
			parts = append(parts, vs...)
		}
	}
	for _, v := range headers {
		whole = append(whole, v.Reveal())
	}
	var out []string
	for _, s := range whole {
		if len(s) >= 4 {
			out = append(out, s)
		}
	}
	for _, s := range parts {
		if len(s) >= 8 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b)) })
	return slices.Compact(out)
}

// scrub replaces every secret in err's text by secret.Redacted; an error
// without one is returned as it is. Receivers that echo the request (a
// debugging endpoint, a proxy's error page) must not leak it.
func (n *Notifier) scrub(err error) error {
	text := err.Error()
	for _, s := range n.secrets {
		text = strings.ReplaceAll(text, s, secret.Redacted)
	}
	if text == err.Error() {
		return err
	}
	return errors.New(text)
}
