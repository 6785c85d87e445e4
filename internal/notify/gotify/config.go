// Package gotify delivers notifications to a self-hosted Gotify server
// through its message API, authenticated as a Gotify application.
package gotify

import (
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Settings are the settings of a Gotify channel.
type Settings struct {
	// Server is the Gotify base URL (required: there is no public
	// Gotify); it may include a path ("https://example.com/gotify").
	Server string `yaml:"server"`
	// Token is the application token, sent in the X-Gotify-Key header
	// (never in the URL, where proxies would log it).
	Token     secret.Secret `yaml:"token"`
	TokenFile string        `yaml:"token_file"`
	// Priorities map a severity to a Gotify priority, 0 to 10; the entries
	// given replace the defaults one by one.
	Priorities         map[string]int `yaml:"priorities"`
	Timeout            time.Duration  `yaml:"timeout"`
	InsecureSkipVerify bool           `yaml:"insecure_skip_verify"`
}

// defaultPriorities: the Gotify Android app makes 8 and above intrusive,
// 4 to 7 a normal notification and 1 to 3 a quiet one.
func defaultPriorities() map[string]int {
	return map[string]int{string(notify.SeverityCritical): 8, string(notify.SeverityWarning): 5, string(notify.SeverityInfo): 2}
}

// NewSettings returns the defaults: the default priorities and
// notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{Priorities: defaultPriorities(), Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns the Gotify notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }
