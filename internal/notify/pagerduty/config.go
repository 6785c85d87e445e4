// Package pagerduty sends notifications to PagerDuty's Events API v2. All
// notifications of one Picket incident share one dedup key, so a problem
// triggers a PagerDuty alert, an acknowledgement acknowledges it and a
// recovery resolves it.
package pagerduty

import (
	"errors"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
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
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// validate checks every field and returns the enqueue URL and the
// resolved routing key. Problems are joined *fielderr.Error values.
func (s Settings) validate() (enqueue string, key secret.Secret, err error) {
	var errs []error
	base, err := notify.CheckBaseURL("api_url", s.APIURL)
	errs = append(errs, err)
	key, err = notify.RequireSecret("routing_key", s.RoutingKey, s.RoutingKeyFile)
	if err == nil && strings.ContainsAny(key.Reveal(), " \t\r\n") {
		err = fielderr.Errorf("routing_key", "must not contain spaces")
	}
	errs = append(errs, err, notify.CheckTimeout(s.Timeout))
	return base + "/v2/enqueue", key, errors.Join(errs...)
}
