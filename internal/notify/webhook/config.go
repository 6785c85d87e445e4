// Package webhook delivers notifications as HTTP requests to a URL the user
// chooses: a documented JSON object by default, or a body rendered from a
// text/template. It is the channel for anything Picket has no package for.
package webhook

import (
	"errors"
	"mime"
	"net/http"
	"strings"
	"text/template"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Settings are the settings of a webhook channel.
type Settings struct {
	// URL receives the request. It is a secret because many receivers put
	// their token in it.
	URL     secret.Secret `yaml:"url"`
	URLFile string        `yaml:"url_file"`
	// Method is POST (the default) or PUT.
	Method string `yaml:"method"`
	// Headers are added to every request; values may be "${ENV}".
	Headers map[string]secret.Secret `yaml:"headers"`
	// BodyTemplate, when set, is a Go text/template executed with the
	// notify.Message; empty means the default JSON body.
	BodyTemplate string `yaml:"body_template"`
	// ContentType defaults to application/json for the default body and
	// to text/plain; charset=utf-8 for a template.
	ContentType        string        `yaml:"content_type"`
	Timeout            time.Duration `yaml:"timeout"`
	InsecureSkipVerify bool          `yaml:"insecure_skip_verify"`
}

// NewSettings returns the defaults: POST, notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{Method: http.MethodPost, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns the webhook notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// reserved are headers that Picket sets itself, with the reason a user may
// not set them in headers.
var reserved = map[string]string{
	"Content-Type":      "set content_type instead",
	"Content-Length":    "is set by Picket",
	"Host":              "is taken from url",
	"Idempotency-Key":   "is set by Picket to the message id",
	"Transfer-Encoding": "is set by Picket",
}

// checkHeaders validates the header names and values and returns them as
// an http.Header. notify.HTTP adds a User-Agent unless one is set here.
func checkHeaders(in map[string]secret.Secret) (http.Header, error) {
	h := make(http.Header, len(in))
	var errs []error
	for name, v := range in {
		canon := http.CanonicalHeaderKey(name)
		switch why, bad := reserved[canon]; {
		case !isToken(name):
			errs = append(errs, fielderr.Errorf("headers", "%q is not a valid header name", name))
		case bad:
			errs = append(errs, fielderr.Errorf("headers."+name, "%s", why))
		case strings.ContainsAny(v.Reveal(), "\r\n\x00"):
			errs = append(errs, fielderr.Errorf("headers."+name, "value must not contain a line break or NUL"))
		default:
			h.Set(canon, v.Reveal())
		}
	}
	return h, errors.Join(errs...)
}

// isToken reports whether s is a token as RFC 9110 defines it.
func isToken(s string) bool {
	for _, c := range s {
		if c > 0x7e || c <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, c) {
			return false
		}
	}
	return s != ""
}

// checkMethod returns the method in upper case when it is POST or PUT.
func checkMethod(m string) (string, error) {
	switch up := strings.ToUpper(strings.TrimSpace(m)); up {
	case "", http.MethodPost:
		return http.MethodPost, nil
	case http.MethodPut:
		return up, nil
	}
	return "", fielderr.Errorf("method", "want POST or PUT, got %q", m)
}

// compile parses the body template and runs it once on a sample message,
// so that a misspelt field fails at load rather than at 3 a.m.
func compile(text string) (*template.Template, error) {
	if text == "" {
		return nil, nil
	}
	t, err := template.New("body_template").Funcs(funcs).Parse(text)
	if err != nil {
		return nil, fielderr.Errorf("body_template", "%w", err)
	}
	if _, err := execute(t, sample()); err != nil {
		return nil, fielderr.Errorf("body_template", "fails on a sample message: %w", err)
	}
	return t, nil
}

// contentType validates ct, or returns the default for the body kind.
func contentType(ct string, templated bool) (string, error) {
	switch {
	case ct != "":
		if _, _, err := mime.ParseMediaType(ct); err != nil {
			return "", fielderr.Errorf("content_type", "%q is not a media type: %w", ct, err)
		}
		return ct, nil
	case templated:
		return "text/plain; charset=utf-8", nil
	}
	return "application/json", nil
}

// sample is a message with every field set, for trying a template at load.
func sample() notify.Message {
	return notify.Message{
		ID: "inc-1/0", GroupKey: "inc-1", Kind: notify.KindProblem, Severity: notify.SeverityCritical,
		Status: "down", Title: "DOWN: sample", Text: "sample text", HTML: "<p>sample</p>",
		URL: "https://picket.invalid/incidents/inc-1", Time: time.Unix(0, 0).UTC(),
		Checks: []notify.Check{{ID: "sample", Name: "Sample", Target: "https://example.invalid", Status: "down", Reason: "sample"}},
		Labels: map[string]string{"env": "sample"},
	}
}
