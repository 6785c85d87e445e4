// Package opsgenie sends notifications to Opsgenie's Alert API. All
// notifications of one Picket incident use one alert alias, so a problem
// creates (or deduplicates into) one alert, an acknowledgement
// acknowledges it and a recovery closes it.
package opsgenie

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
func (s *Settings) Notifier() (notify.Notifier, error) {
	n, err := New(*s)
	if err != nil {
		return nil, err
	}
	return n, nil
}

// validate checks every field and returns the base URL and the resolved
// API key. Problems are joined *notify.FieldError values.
func (s Settings) validate() (base string, key secret.Secret, err error) {
	var errs []error
	base, err = baseURL("api_url", s.APIURL)
	errs = append(errs, err)
	key, err = secret.Pick("api_key", s.APIKey, s.APIKeyFile)
	switch {
	case err != nil:
		errs = append(errs, &notify.FieldError{Field: "api_key", Err: err})
	case key == "":
		errs = append(errs, notify.Fieldf("api_key", "is required (or api_key_file)"))
	case strings.ContainsAny(key.Reveal(), " \t\r\n"):
		errs = append(errs, notify.Fieldf("api_key", "must not contain spaces"))
	}
	errs = append(errs, checkTags(s.Tags)...)
	if s.Timeout < 0 {
		errs = append(errs, notify.Fieldf("timeout", "must not be negative"))
	}
	return base, key, errors.Join(errs...)
}

func checkTags(tags []string) []error {
	if len(tags) > maxTags {
		return []error{notify.Fieldf("tags", "%d tags: Opsgenie takes at most %d", len(tags), maxTags)}
	}
	var errs []error
	for i, t := range tags {
		if t == "" || utf8.RuneCountInString(t) > maxTagLen {
			errs = append(errs, notify.Fieldf("tags."+strconv.Itoa(i), "%q: want 1 to %d characters", t, maxTagLen))
		}
	}
	return errs
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
