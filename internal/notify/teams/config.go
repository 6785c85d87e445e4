package teams

import (
	"errors"
	"net/url"
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
func (s *Settings) Notifier() (notify.Notifier, error) { return New(*s) }

// validate checks every setting and returns the problems joined, each a
// *notify.FieldError, and the resolved webhook URL.
func (s *Settings) validate() (secret.Secret, error) {
	var errs []error
	hook, err := secret.Pick("webhook_url", s.WebhookURL, s.WebhookURLFile)
	switch {
	case err != nil:
		errs = append(errs, &notify.FieldError{Field: "webhook_url", Err: err})
	case hook == "":
		errs = append(errs, notify.Fieldf("webhook_url", "required (or webhook_url_file)"))
	default:
		errs = append(errs, checkWebhook(hook))
	}
	if s.Timeout <= 0 {
		errs = append(errs, notify.Fieldf("timeout", "must be positive"))
	}
	return hook, errors.Join(errs...)
}

// checkWebhook checks the webhook URL without quoting it or the parser's
// error, both of which would print the signature.
func checkWebhook(hook secret.Secret) error {
	u, err := url.Parse(hook.Reveal())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return notify.Fieldf("webhook_url", "want an http:// or https:// URL")
	}
	return nil
}

// echoes are the forms in which a server could quote the webhook back: the
// URL, its query and each long query value (the signature among them).
// Short strings are left out: cutting out "1.0" would garble errors.
func echoes(hook secret.Secret) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 8 {
			out = append(out, s)
		}
	}
	add(hook.Reveal())
	u, err := url.Parse(hook.Reveal())
	if err != nil {
		return out
	}
	add(u.RawQuery)
	for _, vs := range u.Query() {
		for _, v := range vs {
			add(v)
			add(url.QueryEscape(v))
		}
	}
	return out
}
