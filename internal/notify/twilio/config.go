// Package twilio sends notifications as text messages or voice calls
// through Twilio's REST API, or any service that speaks it, to a list of
// phone numbers. A call reads the message aloud with text to speech.
package twilio

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

// DefaultAPIURL is Twilio's REST API host.
const DefaultAPIURL = "https://api.twilio.com"

// The modes of a channel.
const (
	ModeSMS  = "sms"
	ModeCall = "call"
)

// Defaults of the call mode's text to speech.
const (
	DefaultVoice    = "Polly.Joanna"
	DefaultLanguage = "en-US"
)

// Settings are the fields of a twilio channel.
type Settings struct {
	Mode   string `yaml:"mode"`    // sms (default) or call
	APIURL string `yaml:"api_url"` // default DefaultAPIURL
	// AccountSID names the account (required); with AuthToken (or
	// AuthTokenFile) it is the basic-auth user name.
	AccountSID    string        `yaml:"account_sid"`
	AuthToken     secret.Secret `yaml:"auth_token"`
	AuthTokenFile string        `yaml:"auth_token_file"`
	// From is the sending number in E.164 form; for SMS it may also be an
	// alphanumeric sender id where the destination country allows one.
	From string `yaml:"from"`
	// To are the numbers to reach, in E.164 form (+ and up to 15 digits).
	To []string `yaml:"to"`
	// Voice and Language choose the call mode's text-to-speech voice. SSML
	// is used only with Polly.* and Google.* voices; the basic voices
	// (man, woman, alice) get plain text.
	Voice    string        `yaml:"voice"`
	Language string        `yaml:"language"` // "" leaves it to the voice
	Timeout  time.Duration `yaml:"timeout"`  // default notify.DefaultTimeout
}

// NewSettings returns settings with their defaults: mode sms, api_url
// DefaultAPIURL, voice DefaultVoice, language DefaultLanguage and timeout
// notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{Mode: ModeSMS, APIURL: DefaultAPIURL, Voice: DefaultVoice,
		Language: DefaultLanguage, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

var (
	e164     = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	senderID = regexp.MustCompile(`^[A-Za-z0-9 ]{1,11}$`)
	sidRE    = regexp.MustCompile(`^[A-Za-z0-9-]{1,64}$`)
	voiceRE  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9._-]{0,63}$`)
	langRE   = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

// validate checks every field and returns the base URL and the resolved
// auth token. Problems are joined *fielderr.Error values.
func (s Settings) validate() (base string, token secret.Secret, err error) {
	var errs []error
	add := func(field, format string, args ...any) { errs = append(errs, fielderr.Errorf(field, format, args...)) }
	if s.Mode != ModeSMS && s.Mode != ModeCall {
		add("mode", "%q: want sms or call", s.Mode)
	}
	base, err = notify.CheckBaseURL("api_url", s.APIURL)
	errs = append(errs, err)
	if !sidRE.MatchString(s.AccountSID) {
		add("account_sid", "%q: want the account SID (letters, digits and dashes)", s.AccountSID)
	}
	token, err = notify.RequireSecret("auth_token", s.AuthToken, s.AuthTokenFile)
	errs = append(errs, err)
	errs = append(errs, s.checkNumbers()...)
	if s.Mode == ModeCall && !voiceRE.MatchString(s.Voice) {
		add("voice", "%q: want a voice such as Polly.Joanna, Google.en-US-Standard-C or woman", s.Voice)
	}
	if s.Mode == ModeCall && s.Language != "" && !langRE.MatchString(s.Language) {
		add("language", "%q: want a language tag such as en-US", s.Language)
	}
	errs = append(errs, notify.CheckTimeout(s.Timeout))
	return base, token, errors.Join(errs...)
}

// checkNumbers checks from and to.
func (s Settings) checkNumbers() []error {
	var errs []error
	switch {
	case e164.MatchString(s.From):
	case s.Mode == ModeSMS && senderID.MatchString(s.From) && strings.ContainsAny(strings.ToLower(s.From), "abcdefghijklmnopqrstuvwxyz"):
	default:
		errs = append(errs, fielderr.Errorf("from", "%q: want a number in E.164 form like +14155550100", s.From))
	}
	if len(s.To) == 0 {
		errs = append(errs, fielderr.Errorf("to", "is required: at least one number"))
	}
	seen := map[string]bool{}
	for i, n := range s.To {
		field := "to." + strconv.Itoa(i)
		switch {
		case !e164.MatchString(n):
			errs = append(errs, fielderr.Errorf(field, "%q: want E.164 form like +14155550100 (+, country code, number, no spaces)", n))
		case seen[n]:
			errs = append(errs, fielderr.Errorf(field, "%q is listed twice", n))
		}
		seen[n] = true
	}
	return errs
}
