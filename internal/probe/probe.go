// Package probe runs one check against one target and judges the answer:
// up (a right answer), degraded (an answer, but a wrong or slow one) or down
// (no answer). Each protocol lives in its own file; registry.go is the one
// list of probe types, and config validation is derived from it.
package probe

import (
	"context"
	"errors"
	"fmt"
)

// Status is the outcome of a probe. The zero value is StatusUnknown: a check
// that has not run yet.
type Status uint8

// The outcomes, in increasing order of health.
const (
	StatusUnknown Status = iota
	StatusDown
	StatusDegraded
	StatusUp
)

var statusNames = [...]string{"unknown", "down", "degraded", "up"}

// String returns "unknown", "down", "degraded" or "up".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", s)
}

// Value is the status as stored in the picket_probe_status series:
// 0 down, 1 degraded, 2 up, and -1 unknown.
func (s Status) Value() float64 {
	return float64(s) - 1
}

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status name.
func (s *Status) UnmarshalText(b []byte) error {
	st, err := ParseStatus(string(b))
	*s = st
	return err
}

// ParseStatus returns the status with the given name.
func ParseStatus(name string) (Status, error) {
	for i, n := range statusNames {
		if n == name {
			return Status(i), nil
		}
	}
	return StatusUnknown, fmt.Errorf("unknown status %q (want up, degraded, down or unknown)", name)
}

// A Prober checks one target with settings fixed when it was built. It
// returns nil when the answer was right, an error made by Degraded when the
// target answered badly, and any other error when there was no answer. The
// error text is the reason shown to the user. Probers pass ctx to every dial
// and read; the harness (Run) sets the deadline.
type Prober interface {
	Probe(ctx context.Context, rep *Report) error
}

// Settings are the type-specific fields of one check, decoded strictly from
// the check's YAML. New settings carry their defaults.
type Settings interface {
	// Prober validates the settings for target, compiling whatever can be
	// compiled (regexps, conditions), and returns a ready prober. A problem
	// with one field is returned as a *fielderr.Error naming it.
	Prober(target string) (Prober, error)
}

// Report collects what a probe measured besides its outcome.
type Report struct {
	// Metrics are probe-specific samples, stored as picket_probe_<name>.
	Metrics []Metric
	// Detail says what a right answer looked like ("HTTP 200"); it becomes
	// the reason of an up result.
	Detail string
}

// Metric is one probe-specific sample.
type Metric struct {
	Name  string  `json:"name"` // without the picket_probe_ prefix, e.g. "http_status_code"
	Value float64 `json:"value"`
}

// Set records a probe-specific sample, replacing one of the same name.
func (r *Report) Set(name string, v float64) {
	for i := range r.Metrics {
		if r.Metrics[i].Name == name {
			r.Metrics[i].Value = v
			return
		}
	}
	r.Metrics = append(r.Metrics, Metric{Name: name, Value: v})
}

// degradedError marks an error as "answered, but badly".
type degradedError struct{ err error }

func (e *degradedError) Error() string { return e.err.Error() }
func (e *degradedError) Unwrap() error { return e.err }

// Degraded marks err as a wrong answer rather than no answer. It returns nil
// for a nil err.
func Degraded(err error) error {
	if err == nil {
		return nil
	}
	return &degradedError{err: err}
}

// Degradedf is Degraded(fmt.Errorf(format, args...)).
func Degradedf(format string, args ...any) error {
	return Degraded(fmt.Errorf(format, args...))
}

// StatusOf maps a probe's error to its outcome: nil is up, an error made by
// Degraded is degraded, anything else is down.
func StatusOf(err error) Status {
	var d *degradedError
	switch {
	case err == nil:
		return StatusUp
	case errors.As(err, &d):
		return StatusDegraded
	default:
		return StatusDown
	}
}
