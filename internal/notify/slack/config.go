package slack

import (
	"errors"
	"net/url"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// DefaultAPIURL is the base of Slack's Web API.
const DefaultAPIURL = "https://slack.com/api"

// Settings are the settings of a slack channel. Exactly one of two modes
// is used: an incoming webhook (WebhookURL), or a bot token with a channel
// (BotToken and Channel) posting through chat.postMessage.
type Settings struct {
	// WebhookURL is an incoming webhook ("https://hooks.slack.com/services/
	// ..."); the URL is the credential, so it is a secret. Set it or
	// WebhookURLFile.
	WebhookURL     secret.Secret `yaml:"webhook_url"`
	WebhookURLFile string        `yaml:"webhook_url_file"`
	// BotToken is a bot token ("xoxb-...") with the chat:write scope; set
	// it or BotTokenFile, together with Channel.
	BotToken     secret.Secret `yaml:"bot_token"`
	BotTokenFile string        `yaml:"bot_token_file"`
	// Channel is the conversation the bot posts to: an id ("C0123ABC") or
	// a name ("#ops"). Only with BotToken; a webhook posts to its own.
	Channel string `yaml:"channel"`
	// APIURL is the Web API base; default DefaultAPIURL. Only with BotToken.
	APIURL string `yaml:"api_url"`
	// Timeout bounds one request; default notify.DefaultTimeout.
	Timeout time.Duration `yaml:"timeout"`
}

// NewSettings returns settings with their defaults.
func NewSettings() *Settings {
	return &Settings{APIURL: DefaultAPIURL, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return New(*s) }

// credentials are the resolved secrets; exactly one is set.
type credentials struct {
	webhook, token secret.Secret
}

// echoes are the forms in which a server could quote a credential back in
// an error: the token, and the webhook URL and its path, which is what
// makes it secret. Short strings are left out: cutting out every "/"
// would garble errors and protect nothing.
func (c credentials) echoes() []string {
	var out []string
	add := func(s string) {
		if len(s) >= 8 {
			out = append(out, s)
		}
	}
	add(c.token.Reveal())
	add(c.webhook.Reveal())
	if u, err := url.Parse(c.webhook.Reveal()); err == nil && c.webhook != "" {
		add(u.EscapedPath())
		add(u.Path)
	}
	return out
}

// validate checks every setting and returns the problems joined, each a
// *notify.FieldError.
func (s *Settings) validate() (credentials, error) {
	var c credentials
	var errs []error
	hook, hookErr := secret.Pick("webhook_url", s.WebhookURL, s.WebhookURLFile)
	tok, tokErr := secret.Pick("bot_token", s.BotToken, s.BotTokenFile)
	switch {
	case hookErr != nil || tokErr != nil:
		if hookErr != nil {
			errs = append(errs, &notify.FieldError{Field: "webhook_url", Err: hookErr})
		}
		if tokErr != nil {
			errs = append(errs, &notify.FieldError{Field: "bot_token", Err: tokErr})
		}
	case hook != "" && tok != "":
		errs = append(errs, notify.Fieldf("webhook_url", "set webhook_url or bot_token, not both"))
	case hook != "":
		c.webhook = hook
		errs = append(errs, checkWebhook(hook), s.checkWebhookOnly())
	case tok != "":
		c.token = tok
		errs = append(errs, checkAPIURL(s.APIURL))
		if s.Channel == "" {
			errs = append(errs, notify.Fieldf("channel", "required with bot_token"))
		}
	default:
		errs = append(errs, notify.Fieldf("webhook_url", "set webhook_url (an incoming webhook) or bot_token and channel"))
	}
	if s.Timeout <= 0 {
		errs = append(errs, notify.Fieldf("timeout", "must be positive"))
	}
	return c, errors.Join(errs...)
}

// checkWebhookOnly rejects bot settings next to a webhook, where they
// would be silently ignored.
func (s *Settings) checkWebhookOnly() error {
	switch {
	case s.Channel != "":
		return notify.Fieldf("channel", "only used with bot_token; an incoming webhook posts to the channel it was made for")
	case s.APIURL != DefaultAPIURL:
		return notify.Fieldf("api_url", "only used with bot_token; a webhook is a whole URL")
	}
	return nil
}

// checkWebhook checks the webhook URL without quoting it or the parser's
// error, both of which would print the credential.
func checkWebhook(hook secret.Secret) error {
	u, err := url.Parse(hook.Reveal())
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return notify.Fieldf("webhook_url", "want an http:// or https:// URL")
	}
	return nil
}

func checkAPIURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return &notify.FieldError{Field: "api_url", Err: err}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return notify.Fieldf("api_url", "want an http:// or https:// URL, got %q", raw)
	}
	return nil
}
