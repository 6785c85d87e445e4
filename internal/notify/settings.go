package notify

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/secret"
)

// This file has the checks every channel's settings share. Each returns a
// *fielderr.Error naming the YAML field, and none quotes a secret.

// NotifierOf returns n as a Notifier, or nil and err when err is set. A
// channel's Settings.Notifier is NotifierOf(New(*s)), so that a failed New
// never yields a non-nil Notifier holding a nil pointer.
func NotifierOf[N Notifier](n N, err error) (Notifier, error) {
	if err != nil {
		return nil, err
	}
	return n, nil
}

// PickSecret resolves the secret setting field and its field_file sibling
// with secret.Pick. Setting both is an error for field; a file that cannot
// be read is an error for field_file, so config points at that line. An
// empty result means neither is set.
func PickSecret(field string, value secret.Secret, file string) (secret.Secret, error) {
	s, err := secret.Pick(field, value, file)
	switch {
	case err == nil:
		return s, nil
	case value != "" && file != "":
		return "", &fielderr.Error{Field: field, Err: err}
	}
	if cause := errors.Unwrap(err); cause != nil {
		err = cause // drop Pick's "field_file: " prefix, which Field repeats
	}
	return "", &fielderr.Error{Field: field + "_file", Err: err}
}

// RequireSecret is PickSecret for a secret that must be set.
func RequireSecret(field string, value secret.Secret, file string) (secret.Secret, error) {
	s, err := PickSecret(field, value, file)
	if err == nil && s == "" {
		return "", fielderr.Errorf(field, "is required (or %s_file)", field)
	}
	return s, err
}

// CheckBaseURL checks the setting field, the base URL of a service's API
// or server: required, http or https with a host, without credentials (a
// channel has its own settings for those), query or fragment. It returns
// raw without trailing slashes, ready for a path to be appended. Errors
// quote the URL with any user information hidden.
func CheckBaseURL(field, raw string) (string, error) {
	if raw == "" {
		return "", fielderr.Errorf(field, "is required")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "", fielderr.Errorf(field, "want an http:// or https:// URL; this one does not parse")
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "", fielderr.Errorf(field, "want an http:// or https:// URL, got %q", shownURL(u))
	case u.User != nil:
		return "", fielderr.Errorf(field, "must not hold credentials (user:password@); use the channel's own credential settings")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return "", fielderr.Errorf(field, "want a base URL without query or fragment, got %q", shownURL(u))
	}
	return strings.TrimRight(raw, "/"), nil
}

// shownURL is u for an error message, its user information hidden.
func shownURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User(secret.Redacted)
	}
	return c.String()
}

// CheckSecretURL checks the setting field, a URL that is itself a
// credential (a webhook): http or https with a host, and no space in it
// (a stray newline from a copy, which would be sent as part of the URL).
// Errors never quote the URL or the parser's error, which would.
func CheckSecretURL(field string, s secret.Secret) error {
	raw := s.Reveal()
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(raw, " \t\r\n") {
		return fielderr.Errorf(field, "want an http:// or https:// URL")
	}
	return nil
}

// CheckTimeout refuses a timeout setting that is not positive.
func CheckTimeout(d time.Duration) error {
	if d <= 0 {
		return fielderr.Errorf("timeout", "must be positive, got %s", d)
	}
	return nil
}
