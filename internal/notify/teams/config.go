package teams

import (
	"errors"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Settings are the settings of a teams channel.
type Settings struct {
	// WebhookURL is the URL of a Teams "Workflows" webhook (a Power
	// Automate flow triggered by "When a Teams webhook request is
	// received"); its sig parameter signs it, so it is a secret. Set it or
	// WebhookURLFile.
	WebhookURL     secret.Secret `yaml:"webhook_url"`
	WebhookURLFile string        `yaml:"webhook_url_file"`
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
// *fielderr.Error, and the resolved webhook URL.
func (s *Settings) validate() (secret.Secret, error) {
	hook, err := notify.RequireSecret("webhook_url", s.WebhookURL, s.WebhookURLFile)
	if err == nil {
		err = notify.CheckSecretURL("webhook_url", hook)
	}
	return hook, errors.Join(err, notify.CheckTimeout(s.Timeout))
}
