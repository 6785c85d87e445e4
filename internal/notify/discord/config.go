package discord

import (
	"errors"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/fielderr"
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
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// validate checks every setting and returns the problems joined, each a
// *fielderr.Error, and the URL to post to: the webhook with wait=true,
// so that Discord confirms the message was saved or says why not.
func (s *Settings) validate() (hook, target secret.Secret, err error) {
	hook, err = notify.RequireSecret("webhook_url", s.WebhookURL, s.WebhookURLFile)
	if err == nil {
		err = notify.CheckSecretURL("webhook_url", hook)
	}
	if err == nil {
		target = waitURL(hook)
	}
	return hook, target, errors.Join(err, checkUsername(s.Username), notify.CheckTimeout(s.Timeout))
}

// waitURL is the checked webhook URL with wait=true added.
func waitURL(hook secret.Secret) secret.Secret {
	u, _ := url.Parse(hook.Reveal()) // checked by CheckSecretURL
	q := u.Query()
	q.Set("wait", "true")
	u.RawQuery = q.Encode()
	return secret.Secret(u.String())
}

// checkUsername applies Discord's rules for a webhook's name, which
// would otherwise reject every message with a 400.
func checkUsername(name string) error {
	lower := strings.ToLower(name)
	switch {
	case utf8.RuneCountInString(name) > 80:
		return fielderr.Errorf("username", "longer than Discord's 80 characters")
	case strings.Contains(lower, "discord"), strings.Contains(lower, "clyde"):
		return fielderr.Errorf("username", "Discord refuses names containing \"discord\" or \"clyde\"")
	}
	return nil
}
