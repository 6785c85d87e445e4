// Package ntfy delivers notifications to an ntfy server, the public
// ntfy.sh or a self-hosted one, by publishing a JSON message to the
// server's root URL.
package ntfy

import (
	"regexp"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// DefaultServer is the public ntfy service.
const DefaultServer = "https://ntfy.sh"

// Settings are the settings of an ntfy channel.
type Settings struct {
	// Server is the ntfy base URL; a self-hosted server may live under a
	// path ("https://example.com/ntfy").
	Server string `yaml:"server"`
	// Topic is required. On a public server the topic name is all that
	// protects it: pick one nobody can guess, or use access control.
	Topic string `yaml:"topic"`
	// Token is an access token sent as "Authorization: Bearer"; or
	// Username and Password for Basic authentication; or neither.
	Token        secret.Secret `yaml:"token"`
	TokenFile    string        `yaml:"token_file"`
	Username     string        `yaml:"username"`
	Password     secret.Secret `yaml:"password"`
	PasswordFile string        `yaml:"password_file"`
	// Priorities map a severity to an ntfy priority, 1 (min) to 5 (max);
	// the entries given replace the defaults one by one.
	Priorities map[string]int `yaml:"priorities"`
	// Tags are added to every message, after the emoji tag of its kind.
	Tags               []string      `yaml:"tags"`
	Timeout            time.Duration `yaml:"timeout"`
	InsecureSkipVerify bool          `yaml:"insecure_skip_verify"`
}

// defaultPriorities: critical is urgent (5), warning high (4), info the
// default (3), so that a recovery arrives like any other message.
func defaultPriorities() map[string]int {
	return map[string]int{string(notify.SeverityCritical): 5, string(notify.SeverityWarning): 4, string(notify.SeverityInfo): 3}
}

// NewSettings returns the defaults: DefaultServer, the default priorities
// and notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{Server: DefaultServer, Priorities: defaultPriorities(), Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns the ntfy notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// topicName is what ntfy accepts as a topic name.
var topicName = regexp.MustCompile(`^[-_A-Za-z0-9]{1,64}$`)

func checkTopic(t string) error {
	switch {
	case t == "":
		return fielderr.Errorf("topic", "is required")
	case !topicName.MatchString(t):
		return fielderr.Errorf("topic", "want 1 to 64 letters, digits, '-' or '_', got %q", t)
	}
	return nil
}

func checkTags(tags []string) error {
	for _, t := range tags {
		if strings.TrimSpace(t) == "" || strings.Contains(t, ",") {
			return fielderr.Errorf("tags", "want non-empty tags without commas, got %q", t)
		}
	}
	return nil
}
