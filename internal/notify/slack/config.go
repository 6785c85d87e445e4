package slack

import (
	"errors"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
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
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// credentials are the resolved secrets; exactly one is set.
type credentials struct {
	webhook, token secret.Secret
}

// validate checks every setting and returns the problems joined, each a
// *fielderr.Error.
func (s *Settings) validate() (credentials, error) {
	var c credentials
	var err error
	hook, hookErr := notify.PickSecret("webhook_url", s.WebhookURL, s.WebhookURLFile)
	tok, tokErr := notify.PickSecret("bot_token", s.BotToken, s.BotTokenFile)
	switch {
	case hookErr != nil || tokErr != nil:
		err = errors.Join(hookErr, tokErr)
	case hook != "" && tok != "":
		err = fielderr.Errorf("webhook_url", "set webhook_url or bot_token, not both")
	case hook != "":
		c.webhook, err = hook, notify.CheckSecretURL("webhook_url", hook)
		err = errors.Join(err, s.checkWebhookOnly())
	case tok != "":
		c.token = tok
		_, err = notify.CheckBaseURL("api_url", s.APIURL)
		if s.Channel == "" {
			err = errors.Join(err, fielderr.Errorf("channel", "required with bot_token"))
		}
	default:
		err = fielderr.Errorf("webhook_url", "set webhook_url (an incoming webhook) or bot_token and channel")
	}
	return c, errors.Join(err, notify.CheckTimeout(s.Timeout))
}

// checkWebhookOnly rejects bot settings next to a webhook, where they
// would be silently ignored.
func (s *Settings) checkWebhookOnly() error {
	switch {
	case s.Channel != "":
		return fielderr.Errorf("channel", "only used with bot_token; an incoming webhook posts to the channel it was made for")
	case s.APIURL != DefaultAPIURL:
		return fielderr.Errorf("api_url", "only used with bot_token; a webhook is a whole URL")
	}
	return nil
}
