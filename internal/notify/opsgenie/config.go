// Package opsgenie sends notifications to Opsgenie's Alert API. All
// notifications of one Picket incident use one alert alias, so a problem
// creates (or deduplicates into) one alert, an acknowledgement
// acknowledges it and a recovery closes it.
package opsgenie

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// DefaultAPIURL is Opsgenie's API host; accounts in the EU region use
// https://api.eu.opsgenie.com.
const DefaultAPIURL = "https://api.opsgenie.com"

// Opsgenie's limits on alert tags.
const (
	maxTags   = 20
	maxTagLen = 50
)

// Settings are the fields of an opsgenie channel.
type Settings struct {
	// APIURL is the API base URL (DefaultAPIURL, or the EU host).
	APIURL string `yaml:"api_url"`
	// APIKey (or APIKeyFile) is the key of an API integration (required).
	APIKey     secret.Secret `yaml:"api_key"`
	APIKeyFile string        `yaml:"api_key_file"`
	// Tags are added to every alert created (at most 20, 50 characters each).
	Tags    []string      `yaml:"tags"`
	Timeout time.Duration `yaml:"timeout"` // default notify.DefaultTimeout
}

// NewSettings returns settings with their defaults: api_url DefaultAPIURL
// and timeout notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{APIURL: DefaultAPIURL, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// validate checks every field and returns the base URL and the resolved
// API key. Problems are joined *fielderr.Error values.
func (s Settings) validate() (base string, key secret.Secret, err error) {
	var errs []error
	base, err = notify.CheckBaseURL("api_url", s.APIURL)
	errs = append(errs, err)
	key, err = notify.RequireSecret("api_key", s.APIKey, s.APIKeyFile)
	if err == nil && strings.ContainsAny(key.Reveal(), " \t\r\n") {
		err = fielderr.Errorf("api_key", "must not contain spaces")
	}
	errs = append(errs, err)
	errs = append(errs, checkTags(s.Tags)...)
	errs = append(errs, notify.CheckTimeout(s.Timeout))
	return base, key, errors.Join(errs...)
}

func checkTags(tags []string) []error {
	if len(tags) > maxTags {
		return []error{fielderr.Errorf("tags", "%d tags: Opsgenie takes at most %d", len(tags), maxTags)}
	}
	var errs []error
	for i, t := range tags {
		if t == "" || utf8.RuneCountInString(t) > maxTagLen {
			errs = append(errs, fielderr.Errorf("tags."+strconv.Itoa(i), "%q: want 1 to %d characters", t, maxTagLen))
		}
	}
	return errs
}
