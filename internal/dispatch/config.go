package dispatch

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// DefaultGroupWindow is how long problem notices of one group are collected
// into one message after the first of them was sent.
const DefaultGroupWindow = 10 * time.Second

// MaxGroupWindow bounds GroupWindow: a held notice waits at most this long,
// and is lost if the process dies meanwhile.
const MaxGroupWindow = 5 * time.Minute

// Config is the alerting section that dispatch reads. The config package
// decodes it starting from DefaultConfig, so a key left out keeps its
// default and `group_window: 0s` turns grouping off.
type Config struct {
	// URL is the base URL of Picket's web UI; messages link to URL +
	// "/incidents/" + id. Empty means messages carry no link.
	URL string `yaml:"url"`
	// GroupWindow is how long, after the first problem notice of a group
	// was sent at once, further ones of the group are held and then sent
	// as one message. Zero turns grouping off.
	GroupWindow time.Duration `yaml:"group_window"`
	// GroupBy are the labels whose values make a group of checks that have
	// no parent; empty means checks are grouped only by parent.
	GroupBy []string `yaml:"group_by"`
	// Routes are tried in order; the first that matches wins unless it
	// says Continue.
	Routes []Route `yaml:"routes"`
	// DefaultRoute catches checks that no route matches; nil drops them.
	DefaultRoute *Route `yaml:"default_route"`
	// Templates override the default message templates.
	Templates Templates `yaml:"templates"`
}

// DefaultConfig returns the configuration before the user's file applies:
// grouping on with DefaultGroupWindow, no routes.
func DefaultConfig() Config {
	return Config{GroupWindow: DefaultGroupWindow}
}

// Route sends incidents of the checks it matches to its channels, under
// its reminder policy.
type Route struct {
	Match    Match    `yaml:"match"`
	Channels []string `yaml:"channels"`
	// Policy is the id of the alerting policy (reminder schedule) of the
	// matched checks; empty leaves it to the check or the default.
	Policy string `yaml:"policy"`
	// Continue lets the routes after this one match too.
	Continue bool `yaml:"continue"`
}

// Match selects checks. An empty Match selects every check.
type Match struct {
	// Checks selects any of these check ids; empty means any check.
	Checks []string `yaml:"checks"`
	// Labels selects checks that have all these labels with these values.
	Labels map[string]string `yaml:"labels"`
}

// Templates are Go templates for the parts of a message, executed with a
// Data; empty means the default. Title and Text use text/template, HTML
// uses html/template.
type Templates struct {
	Title string `yaml:"title"`
	Text  string `yaml:"text"`
	HTML  string `yaml:"html"`
}

// Validate checks c and compiles its templates, returning every problem as
// a *fielderr.Error naming the field ("routes[1].channels[0]"), joined.
// channel and check report whether an id is configured; nil skips that
// check.
func (c Config) Validate(channel, check func(id string) bool) error {
	var errs []error
	if c.URL != "" {
		if u, err := url.Parse(c.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fielderr.Errorf("url", "want an absolute http or https URL, got %q", c.URL))
		}
	}
	if c.GroupWindow < 0 || c.GroupWindow > MaxGroupWindow {
		errs = append(errs, fielderr.Errorf("group_window", "want 0 (off) up to %s, got %s", MaxGroupWindow, c.GroupWindow))
	}
	errs = append(errs, validIDs("group_by", c.GroupBy, "label", nil)...)
	for i, r := range c.Routes {
		errs = append(errs, r.validate(fmt.Sprintf("routes[%d]", i), channel, check)...)
	}
	if c.DefaultRoute != nil {
		if len(c.DefaultRoute.Match.Checks) > 0 || len(c.DefaultRoute.Match.Labels) > 0 {
			errs = append(errs, fielderr.Errorf("default_route.match", "the default route matches every check; remove match"))
		}
		errs = append(errs, c.DefaultRoute.validate("default_route", channel, check)...)
	}
	if _, err := compile(c.Templates); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func (r Route) validate(path string, channel, check func(string) bool) []error {
	var errs []error
	if len(r.Channels) == 0 {
		errs = append(errs, fielderr.Errorf(path+".channels", "want at least one channel"))
	}
	errs = append(errs, validIDs(path+".channels", r.Channels, "channel", channel)...)
	errs = append(errs, validIDs(path+".match.checks", r.Match.Checks, "check", check)...)
	for k := range r.Match.Labels {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, fielderr.Errorf(path+".match.labels", "empty label name"))
		}
	}
	return errs
}

// validIDs checks a list of ids: none empty, none twice, each known (when
// known is not nil).
func validIDs(path string, ids []string, what string, known func(string) bool) []error {
	var errs []error
	for i, id := range ids {
		field := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case strings.TrimSpace(id) == "":
			errs = append(errs, fielderr.Errorf(field, "empty %s", what))
		case slices.Index(ids, id) < i:
			errs = append(errs, fielderr.Errorf(field, "%s %q listed twice", what, id))
		case known != nil && !known(id):
			errs = append(errs, fielderr.Errorf(field, "unknown %s %q", what, id))
		}
	}
	return errs
}
