package mute

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// Window is one maintenance window as the config file's top-level
// `maintenance:` list declares it. It is either one-off (Start plus
// Duration or End) or recurring (exactly one of Daily, Weekly, Monthly or
// Cron, plus Duration). Times are read in Timezone. Call Validate before
// any other method: it checks the fields and compiles what they say.
type Window struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"` // shown on the status page; default: ID
	// Start is when a one-off window begins: RFC 3339 with its own offset
	// ("2026-03-01T22:00:00+01:00"), or "2006-01-02 15:04" read in Timezone.
	Start string `yaml:"start"`
	// End is when a one-off window ends, in the same formats; or give
	// Duration instead.
	End     string   `yaml:"end"`
	Daily   *Daily   `yaml:"daily"`
	Weekly  *Weekly  `yaml:"weekly"`
	Monthly *Monthly `yaml:"monthly"`
	// Cron is a five-field cron expression (minute hour day-of-month
	// month day-of-week) giving the local start times of the window.
	Cron string `yaml:"cron"`
	// Duration is how long each occurrence lasts, in elapsed time; it is
	// required for a recurring window.
	Duration time.Duration `yaml:"duration"`
	// Timezone is an IANA zone name such as "Europe/Berlin"; default UTC.
	Timezone string `yaml:"timezone"`
	// Match selects the checks the window mutes; empty means all.
	Match Match `yaml:"match"`

	// Set by Validate.
	loc        *time.Location
	start, end time.Time  // one-off
	starts     startsFunc // recurring: local start minutes of one date
}

// Equal reports whether w and o declare the same window, ignoring what
// Validate compiled (go-cmp uses it, so configs holding windows compare).
func (w Window) Equal(o Window) bool {
	return reflect.DeepEqual(w.declared(), o.declared())
}

// declared returns w without what Validate compiled.
func (w Window) declared() Window {
	w.loc, w.start, w.end, w.starts = nil, time.Time{}, time.Time{}, nil
	return w
}

// Daily repeats a window every day at At ("HH:MM", local time).
type Daily struct {
	At string `yaml:"at"`
}

// Weekly repeats a window on the given days ("mon" or "monday", any case)
// at At ("HH:MM", local time).
type Weekly struct {
	Days []string `yaml:"days"`
	At   string   `yaml:"at"`
}

// Monthly repeats a window on the given days of the month at At ("HH:MM",
// local time). A day that a month does not have (31 in April) is skipped
// in that month; LastDay ("last") is always the month's last day.
type Monthly struct {
	Days MonthDays `yaml:"days"`
	At   string    `yaml:"at"`
}

// Match selects checks. Every part given must match: the check id must be
// one of Checks (if any are listed) and every label in Labels must have
// exactly the given value.
type Match struct {
	Checks []string          `yaml:"checks"`
	Labels map[string]string `yaml:"labels"`
}

// Matches reports whether the check with id and labels is selected.
func (m Match) Matches(id string, labels map[string]string) bool {
	if len(m.Checks) > 0 && !slices.Contains(m.Checks, id) {
		return false
	}
	for k, v := range m.Labels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// maxRecurring bounds the duration of a recurring window, and so the
// number of days ActiveAt looks back.
const maxRecurring = 366 * 24 * time.Hour

// Validate checks the window and compiles it: it loads the time zone,
// parses times and the cron expression. Problems are *fielderr.Error
// values naming the field ("weekly.days[1]", "cron"), joined with
// errors.Join so that all are reported at once.
func (w *Window) Validate() error {
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	if w.ID == "" {
		add(fielderr.Errorf("id", "required"))
	}
	w.loc = time.UTC
	if w.Timezone != "" {
		loc, err := time.LoadLocation(w.Timezone)
		if err != nil {
			add(fielderr.Errorf("timezone", "unknown time zone %q (want an IANA name like Europe/Berlin)", w.Timezone))
		} else {
			w.loc = loc
		}
	}
	if w.Duration < 0 {
		add(fielderr.Errorf("duration", "must be positive, got %s", w.Duration))
	}
	kinds := w.kinds()
	switch {
	case len(kinds) == 0:
		add(fielderr.Errorf("start", "want one of start (one-off), daily, weekly, monthly or cron"))
	case len(kinds) > 1:
		add(fielderr.Errorf(kinds[1], "%s and %s cannot be combined; give one", kinds[0], kinds[1]))
	case kinds[0] == "start":
		errs = append(errs, w.oneOff()...)
	default:
		errs = append(errs, w.recurring(kinds[0])...)
	}
	errs = append(errs, w.Match.validate()...)
	if len(errs) > 0 {
		*w = w.declared() // an invalid window is never active
	}
	return errors.Join(errs...)
}

// kinds lists the fields that say what kind of window this is.
func (w *Window) kinds() []string {
	var out []string
	for _, k := range []struct {
		name string
		set  bool
	}{{"start", w.Start != ""}, {"daily", w.Daily != nil}, {"weekly", w.Weekly != nil},
		{"monthly", w.Monthly != nil}, {"cron", w.Cron != ""}} {
		if k.set {
			out = append(out, k.name)
		}
	}
	return out
}

// oneOff validates Start with End or Duration.
func (w *Window) oneOff() []error {
	var errs []error
	start, err := parseTime(w.Start, w.loc)
	if err != nil {
		errs = append(errs, &fielderr.Error{Field: "start", Err: err})
	}
	w.start = start
	switch {
	case w.End != "" && w.Duration != 0:
		errs = append(errs, fielderr.Errorf("end", "give end or duration, not both"))
	case w.End != "":
		end, err := parseTime(w.End, w.loc)
		if err != nil {
			errs = append(errs, &fielderr.Error{Field: "end", Err: err})
		} else if start.IsZero() || !end.After(start) {
			errs = append(errs, fielderr.Errorf("end", "must be after start"))
		}
		w.end = end
	case w.Duration > 0:
		w.end = start.Add(w.Duration)
	case w.Duration == 0:
		errs = append(errs, fielderr.Errorf("duration", "required with start (or give end)"))
	}
	return errs
}

// recurring validates the rule of a daily, weekly, monthly or cron window.
func (w *Window) recurring(kind string) []error {
	var errs []error
	if w.End != "" {
		errs = append(errs, fielderr.Errorf("end", "only for a one-off window; a recurring one takes duration"))
	}
	switch {
	case w.Duration == 0:
		errs = append(errs, fielderr.Errorf("duration", "required for a recurring window"))
	case w.Duration > maxRecurring:
		errs = append(errs, fielderr.Errorf("duration", "%s is too long for a recurring window (at most %s)", w.Duration, maxRecurring))
	}
	var err error
	switch kind {
	case "daily":
		w.starts, err = dailyStarts(*w.Daily)
	case "weekly":
		w.starts, err = weeklyStarts(*w.Weekly)
	case "monthly":
		w.starts, err = monthlyStarts(*w.Monthly)
	case "cron":
		var c *cron
		c, err = parseCron(w.Cron)
		if c != nil {
			w.starts = c.starts
		}
	}
	for _, e := range fielderr.Leaves(err) {
		var fe *fielderr.Error
		if errors.As(e, &fe) {
			e = &fielderr.Error{Field: kind + "." + fe.Field, Err: fe.Err}
		} else {
			e = &fielderr.Error{Field: kind, Err: e}
		}
		errs = append(errs, e)
	}
	return errs
}

func (m Match) validate() []error {
	var errs []error
	for i, c := range m.Checks {
		if c == "" {
			errs = append(errs, fielderr.Errorf("match.checks["+strconv.Itoa(i)+"]", "empty check id"))
		}
	}
	for k := range m.Labels {
		if strings.TrimSpace(k) == "" {
			errs = append(errs, fielderr.Errorf("match.labels", "empty label name"))
		}
	}
	return errs
}
