// Package gotify delivers notifications to a self-hosted Gotify server
// through its message API, authenticated as a Gotify application.
package gotify

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Settings are the settings of a Gotify channel.
type Settings struct {
	// Server is the Gotify base URL (required: there is no public
	// Gotify); it may include a path ("https://example.com/gotify").
	Server string `yaml:"server"`
	// Token is the application token, sent in the X-Gotify-Key header
	// (never in the URL, where proxies would log it).
	Token     secret.Secret `yaml:"token"`
	TokenFile string        `yaml:"token_file"`
	// Priorities map a severity to a Gotify priority, 0 to 10; the entries
	// given replace the defaults one by one.
	Priorities         map[string]int `yaml:"priorities"`
	Timeout            time.Duration  `yaml:"timeout"`
	InsecureSkipVerify bool           `yaml:"insecure_skip_verify"`
}

// defaultPriorities: the Gotify Android app makes 8 and above intrusive,
// 4 to 7 a normal notification and 1 to 3 a quiet one.
func defaultPriorities() map[string]int {
	return map[string]int{string(notify.SeverityCritical): 8, string(notify.SeverityWarning): 5, string(notify.SeverityInfo): 2}
}

// NewSettings returns the defaults: the default priorities and
// notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{Priorities: defaultPriorities(), Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns the Gotify notifier.
func (s *Settings) Notifier() (notify.Notifier, error) {
	n, err := New(*s)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// messageURL returns the URL of the server's message endpoint.
func messageURL(server string) (string, error) {
	if server == "" {
		return "", notify.Fieldf("server", "is required")
	}
	u, err := url.Parse(server)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "", notify.Fieldf("server", "want an http:// or https:// URL, got %q", secret.RedactURL(server))
	case u.User != nil:
		return "", notify.Fieldf("server", "must not hold credentials; set token")
	case u.RawQuery != "" || u.Fragment != "":
		return "", notify.Fieldf("server", "must not have a query or fragment; set token")
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/message"
	u.RawPath = ""
	return u.String(), nil
}

// levels returns the priority of each severity: the defaults, replaced by
// the valid entries of in.
func levels(in map[string]int) (map[notify.Severity]int, error) {
	out := make(map[notify.Severity]int)
	for k, v := range defaultPriorities() {
		out[notify.Severity(k)] = v
	}
	var errs []error
	for k, v := range in {
		switch _, known := out[notify.Severity(k)]; {
		case !known:
			errs = append(errs, notify.Fieldf("priorities", "unknown severity %q (want critical, warning or info)", k))
		case v < 0 || v > 10:
			errs = append(errs, notify.Fieldf("priorities."+k, "want 0 to 10, got %d", v))
		default:
			out[notify.Severity(k)] = v
		}
	}
	return out, errors.Join(errs...)
}

// token resolves the application token, which is required.
func token(s Settings) (secret.Secret, error) {
	v, err := secret.Pick("token", s.Token, s.TokenFile)
	switch {
	case err != nil && s.Token != "" && s.TokenFile != "":
		return "", &notify.FieldError{Field: "token", Err: err}
	case err != nil:
		return "", &notify.FieldError{Field: "token_file", Err: errors.Unwrap(err)}
	case v == "":
		return "", notify.Fieldf("token", "is required (an application token)")
	}
	return v, nil
}

// checkTimeout refuses a timeout that is not positive.
func checkTimeout(d time.Duration) error {
	if d <= 0 {
		return notify.Fieldf("timeout", "must be positive, got %s", d)
	}
	return nil
}
