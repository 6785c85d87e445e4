// Package pushover delivers notifications through Pushover's message API,
// including emergency-priority alerts that repeat until acknowledged and
// are cancelled when the incident is acknowledged in Picket or resolves.
package pushover

import (
	"cmp"
	"errors"
	"net/url"
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// DefaultAPIURL is Pushover's message endpoint.
const DefaultAPIURL = "https://api.pushover.net/1/messages.json"

// Pushover's limits on emergency alerts and on the URL title.
const (
	minRetry    = 30 * time.Second
	maxExpire   = 3 * time.Hour
	maxURLTitle = 100
)

// Settings are the settings of a Pushover channel.
type Settings struct {
	// APIURL is the message endpoint; the receipts endpoint used to cancel
	// emergency alerts is found next to it.
	APIURL string `yaml:"api_url"`
	// Token is the application's API token (required).
	Token     secret.Secret `yaml:"token"`
	TokenFile string        `yaml:"token_file"`
	// User is the user or group key (required).
	User     secret.Secret `yaml:"user"`
	UserFile string        `yaml:"user_file"`
	// Device limits delivery to these devices (comma-separated); empty
	// means all of the user's devices.
	Device string `yaml:"device"`
	// Sound overrides the user's default sound; empty keeps it.
	Sound string `yaml:"sound"`
	// Priorities map a severity to a Pushover priority, -2 to 1; the
	// entries given replace the defaults one by one.
	Priorities map[string]int `yaml:"priorities"`
	// Emergency sends critical problems and reminders at priority 2: they
	// repeat every EmergencyRetry until acknowledged in the Pushover app
	// or EmergencyExpire passes.
	Emergency       bool          `yaml:"emergency"`
	EmergencyRetry  time.Duration `yaml:"emergency_retry"`
	EmergencyExpire time.Duration `yaml:"emergency_expire"`
	// HTML sends the text with html=1, escaped, so that its links are
	// clickable and nothing in it is read as markup.
	HTML bool `yaml:"html"`
	// URLTitle labels the incident link; empty shows the bare URL.
	URLTitle string        `yaml:"url_title"`
	Timeout  time.Duration `yaml:"timeout"`
}

// defaultPriorities: critical is high (1, through quiet hours), warning
// normal (0), info quiet (-1: no sound, so a recovery at night does not
// wake anyone).
func defaultPriorities() map[string]int {
	return map[string]int{string(notify.SeverityCritical): 1, string(notify.SeverityWarning): 0, string(notify.SeverityInfo): -1}
}

// NewSettings returns the defaults: DefaultAPIURL, the default priorities,
// emergency off with a 1m retry and 1h expiry, url_title "Open incident"
// and notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{
		APIURL: DefaultAPIURL, Priorities: defaultPriorities(),
		EmergencyRetry: time.Minute, EmergencyExpire: time.Hour,
		URLTitle: "Open incident", Timeout: notify.DefaultTimeout,
	}
}

// Notifier validates the settings and returns the Pushover notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// checkAPIURL checks the message endpoint; empty means DefaultAPIURL.
func checkAPIURL(raw string) (*url.URL, error) {
	endpoint, err := notify.CheckBaseURL("api_url", cmp.Or(raw, DefaultAPIURL))
	if err != nil {
		return nil, err
	}
	return url.Parse(endpoint)
}

var (
	keyChars = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	devices  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,25}(,[A-Za-z0-9_-]{1,25})*$`)
	sound    = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
)

// key resolves a required token or key; Pushover's are letters and
// digits, which catches an e-mail address given as the user key. The
// value is never quoted.
func key(field string, v secret.Secret, file string) (secret.Secret, error) {
	k, err := notify.RequireSecret(field, v, file)
	if err == nil && !keyChars.MatchString(k.Reveal()) {
		return "", fielderr.Errorf(field, "want letters and digits only, as Pushover shows it")
	}
	return k, err
}

// checkLevel accepts the priorities -2 to 1; 2, emergency, is only for
// the emergency setting, which also sets its retry and expiry.
func checkLevel(v int) error {
	if v == 2 {
		return errors.New("priority 2 needs retry and expiry: set emergency: true")
	}
	return notify.Between(-2, 1)(v)
}

// checkOptions validates the settings that need no resolving.
func checkOptions(s Settings) error {
	var errs []error
	if s.Device != "" && !devices.MatchString(s.Device) {
		errs = append(errs, fielderr.Errorf("device", "want device names of up to 25 letters, digits, '_' or '-', comma-separated, got %q", s.Device))
	}
	if s.Sound != "" && !sound.MatchString(s.Sound) {
		errs = append(errs, fielderr.Errorf("sound", "want a sound name, got %q", s.Sound))
	}
	if s.EmergencyRetry < minRetry {
		errs = append(errs, fielderr.Errorf("emergency_retry", "must be at least %s (Pushover's minimum), got %s", minRetry, s.EmergencyRetry))
	}
	if s.EmergencyExpire < s.EmergencyRetry || s.EmergencyExpire > maxExpire {
		errs = append(errs, fielderr.Errorf("emergency_expire", "must be from emergency_retry to %s (Pushover's maximum), got %s", maxExpire, s.EmergencyExpire))
	}
	if utf8.RuneCountInString(s.URLTitle) > maxURLTitle {
		errs = append(errs, fielderr.Errorf("url_title", "must be at most %d characters", maxURLTitle))
	}
	errs = append(errs, notify.CheckTimeout(s.Timeout))
	return errors.Join(errs...)
}
