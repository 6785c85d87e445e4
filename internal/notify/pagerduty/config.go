// Package pagerduty sends notifications to PagerDuty's Events API v2. All
// notifications of one Picket incident share one dedup key, so a problem
// triggers a PagerDuty alert, an acknowledgement acknowledges it and a
// recovery resolves it.
package pagerduty

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// DefaultAPIURL is PagerDuty's events endpoint host.
const DefaultAPIURL = "https://events.pagerduty.com"

// Settings are the fields of a pagerduty channel.
type Settings struct {
	// APIURL is the Events API base URL; events go to APIURL/v2/enqueue.
	APIURL string `yaml:"api_url"`
	// RoutingKey (or RoutingKeyFile) is the integration key of an Events
	// API v2 integration on a PagerDuty service (required).
	RoutingKey     secret.Secret `yaml:"routing_key"`
	RoutingKeyFile string        `yaml:"routing_key_file"`
	Timeout        time.Duration `yaml:"timeout"` // default notify.DefaultTimeout
}

// NewSettings returns settings with their defaults: api_url DefaultAPIURL
// and timeout notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{APIURL: DefaultAPIURL, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) {
	n, err := New(*s)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// validate checks every field and returns the enqueue URL and the
// resolved routing key. Problems are joined *notify.FieldError values.
func (s Settings) validate() (enqueue string, key secret.Secret, err error) {
	var errs []error
	base, err := baseURL("api_url", s.APIURL)
	errs = append(errs, err)
	key, err = secret.Pick("routing_key", s.RoutingKey, s.RoutingKeyFile)
	switch {
	case err != nil:
		errs = append(errs, &notify.FieldError{Field: "routing_key", Err: err})
	case key == "":
		errs = append(errs, notify.Fieldf("routing_key", "is required (or routing_key_file)"))
	case strings.ContainsAny(key.Reveal(), " \t\r\n"):
		errs = append(errs, notify.Fieldf("routing_key", "must not contain spaces"))
	}
	if s.Timeout < 0 {
		errs = append(errs, notify.Fieldf("timeout", "must not be negative"))
	}
	return base + "/v2/enqueue", key, errors.Join(errs...)
}

// baseURL checks that raw is an http or https URL without query or
// fragment and returns it without a trailing slash.
func baseURL(field, raw string) (string, error) {
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		return "", notify.Fieldf(field, "is required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return "", notify.Fieldf(field, "%q: want an http or https URL", secret.RedactURL(raw))
	case u.RawQuery != "" || u.Fragment != "":
		return "", notify.Fieldf(field, "%q: want a base URL without query or fragment", secret.RedactURL(raw))
	}
	return strings.TrimRight(raw, "/"), nil
}
