package notify

import (
	"errors"
	"fmt"
	"slices"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// Valid reports whether s is one of the severities.
func (s Severity) Valid() bool {
	switch s {
	case SeverityCritical, SeverityWarning, SeverityInfo:
		return true
	}
	return false
}

// Levels maps each severity to a service's own level: an ntfy, Gotify or
// Pushover priority.
type Levels map[Severity]int

// Of returns the level of s; a severity Picket does not know gets
// warning's.
func (l Levels) Of(s Severity) int {
	if v, ok := l[s]; ok {
		return v
	}
	return l[SeverityWarning]
}

// ParseLevels returns the levels of a priorities setting: defaults, each
// replaced by the entry of in for its severity. check says whether the
// service takes a level, and why not. Every problem is a *fielderr.Error, for
// field when a severity is unknown and for field.<severity> when check
// refuses its level; they are joined, in the order of the severities.
func ParseLevels(field string, defaults, in map[string]int, check func(level int) error) (Levels, error) {
	out := make(Levels, len(defaults))
	for k, v := range defaults {
		out[Severity(k)] = v
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs []error
	for _, k := range keys {
		if !Severity(k).Valid() {
			errs = append(errs, fielderr.Errorf(field, "unknown severity %q (want critical, warning or info)", k))
			continue
		}
		if err := check(in[k]); err != nil {
			errs = append(errs, &fielderr.Error{Field: field + "." + k, Err: err})
			continue
		}
		out[Severity(k)] = in[k]
	}
	return out, errors.Join(errs...)
}

// Between returns a check for ParseLevels that takes the levels from min
// to max.
func Between(min, max int) func(level int) error {
	return func(v int) error {
		if v < min || v > max {
			return fmt.Errorf("want %d to %d, got %d", min, max, v)
		}
		return nil
	}
}
