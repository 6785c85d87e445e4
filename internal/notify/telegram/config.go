package telegram

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// DefaultAPIURL is the public Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// Settings are the settings of a telegram channel.
type Settings struct {
	// APIURL is the Bot API server; a self-hosted telegram-bot-api or a
	// test server replaces the default, DefaultAPIURL.
	APIURL string `yaml:"api_url"`
	// BotToken is the token BotFather gave ("123456:ABC-..."); set it or
	// BotTokenFile. It travels in the request path, so it is never shown.
	BotToken     secret.Secret `yaml:"bot_token"`
	BotTokenFile string        `yaml:"bot_token_file"`
	// ChatID is a numeric chat id ("-100123") or a public channel's
	// username ("@picket_alerts").
	ChatID string `yaml:"chat_id"`
	// MessageThreadID sends to one topic of a forum supergroup; 0 means
	// the chat itself.
	MessageThreadID int64 `yaml:"message_thread_id"`
	// SilentKinds are the kinds of message delivered without a sound
	// (disable_notification), e.g. [recovery, acknowledged]; by default
	// every message notifies.
	SilentKinds []notify.Kind `yaml:"silent_kinds"`
	// Timeout bounds one request; default notify.DefaultTimeout.
	Timeout time.Duration `yaml:"timeout"`
}

// NewSettings returns settings with their defaults.
func NewSettings() *Settings {
	return &Settings{APIURL: DefaultAPIURL, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// tokenPattern is the shape of a bot token: the bot's numeric id, a colon
// and a random part. Checking it at load catches a token file holding
// something else (a URL, a quoted string) before the first page fails.
var tokenPattern = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]+$`)

// validate checks every setting and returns the problems joined, each a
// *fielderr.Error. It returns the resolved token.
func (s *Settings) validate() (secret.Secret, error) {
	_, apiErr := notify.CheckBaseURL("api_url", s.APIURL)
	errs := []error{apiErr}
	tok, err := notify.RequireSecret("bot_token", s.BotToken, s.BotTokenFile)
	if err == nil && !tokenPattern.MatchString(tok.Reveal()) {
		err = fielderr.Errorf("bot_token", "is not a bot token: want the bot id, a colon and the secret part")
	}
	errs = append(errs, err, checkChatID(s.ChatID))
	if s.MessageThreadID < 0 {
		errs = append(errs, fielderr.Errorf("message_thread_id", "must not be negative"))
	}
	for i, k := range s.SilentKinds {
		if !k.Valid() {
			errs = append(errs, fielderr.Errorf("silent_kinds["+strconv.Itoa(i)+"]", "unknown kind %q", k))
		}
	}
	errs = append(errs, notify.CheckTimeout(s.Timeout))
	return tok, errors.Join(errs...)
}

func checkChatID(id string) error {
	switch {
	case id == "":
		return fielderr.Errorf("chat_id", "required")
	case strings.HasPrefix(id, "@"):
		if len(id) < 2 || strings.ContainsAny(id, " /?#") {
			return fielderr.Errorf("chat_id", "%q is not a channel username", id)
		}
	default:
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return fielderr.Errorf("chat_id", "want a numeric chat id or @channelusername, got %q", id)
		}
	}
	return nil
}
