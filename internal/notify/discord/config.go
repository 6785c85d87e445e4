package discord

import (
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Settings are the settings of a discord channel.
type Settings struct {
	// WebhookURL is the channel's webhook ("https://discord.com/api/
	// webhooks/<id>/<token>"); the URL is the credential, so it is a
	// secret. Set it or WebhookURLFile. A thread_id query parameter in it
	// is kept and posts into that thread.
	WebhookURL     secret.Secret `yaml:"webhook_url"`
	WebhookURLFile string        `yaml:"webhook_url_file"`
	// Username replaces the webhook's own name on each message; empty
	// keeps it.
	Username string `yaml:"username"`
	// Timeout bounds one request; default notify.DefaultTimeout.
	Timeout time.Duration `yaml:"timeout"`
}

// NewSettings returns settings with their defaults.
func NewSettings() *Settings {
	return &Settings{Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return New(*s) }

// validate checks every setting and returns the problems joined, each a
// *notify.FieldError, and the URL to post to: the webhook with wait=true,
// so that Discord confirms the message was saved or says why not.
func (s *Settings) validate() (secret.Secret, error) {
	var errs []error
	var target secret.Secret
	hook, err := secret.Pick("webhook_url", s.WebhookURL, s.WebhookURLFile)
	switch {
	case err != nil:
		errs = append(errs, &notify.FieldError{Field: "webhook_url", Err: err})
	case hook == "":
		errs = append(errs, notify.Fieldf("webhook_url", "required (or webhook_url_file)"))
	default:
		target, err = waitURL(hook)
		errs = append(errs, err)
	}
	if err := checkUsername(s.Username); err != nil {
		errs = append(errs, err)
	}
	if s.Timeout <= 0 {
		errs = append(errs, notify.Fieldf("timeout", "must be positive"))
	}
	return target, errors.Join(errs...)
}

// waitURL checks the webhook URL, without quoting it or the parser's error
// (both would print the credential), and adds wait=true.
func waitURL(hook secret.Secret) (secret.Secret, error) {
	u, err := url.Parse(hook.Reveal())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", notify.Fieldf("webhook_url", "want an http:// or https:// URL")
	}
	q := u.Query()
	q.Set("wait", "true")
	u.RawQuery = q.Encode()
	return secret.Secret(u.String()), nil
}

// checkUsername applies Discord's rules for a webhook's name, which
// would otherwise reject every message with a 400.
func checkUsername(name string) error {
	lower := strings.ToLower(name)
	switch {
	case utf8.RuneCountInString(name) > 80:
		return notify.Fieldf("username", "longer than Discord's 80 characters")
	case strings.Contains(lower, "discord"), strings.Contains(lower, "clyde"):
		return notify.Fieldf("username", "Discord refuses names containing \"discord\" or \"clyde\"")
	}
	return nil
}
