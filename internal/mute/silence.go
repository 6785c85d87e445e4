package mute

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// Silence mutes the targets all its matchers select from StartsAt
// (inclusive) to EndsAt (exclusive). Silences are made at run time through
// the API, not in the config file, and kept in a SilenceStore.
type Silence struct {
	ID        string    `json:"id"`
	Matchers  []Matcher `json:"matchers"` // in JSON: ["check=web", "team=~pay.*"]
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	Comment   string    `json:"comment,omitempty"`
}

// Silence states, as State returns them.
const (
	StatePending = "pending"
	StateActive  = "active"
	StateExpired = "expired"
)

// State says whether the silence is pending, active or expired at now.
func (s Silence) State(now time.Time) string {
	switch {
	case now.Before(s.StartsAt):
		return StatePending
	case now.Before(s.EndsAt):
		return StateActive
	}
	return StateExpired
}

// Matches reports whether every matcher selects t. A silence without
// matchers matches nothing.
func (s Silence) Matches(t Target) bool {
	for _, m := range s.Matchers {
		if !m.Matches(t) {
			return false
		}
	}
	return len(s.Matchers) > 0
}

// ErrInvalid is wrapped by the error Silences.Add returns for a silence
// it refuses; the field problems are *fielderr.Error values inside it.
var ErrInvalid = errors.New("invalid silence")

// ErrNotFound is returned (wrapped) for an unknown silence id.
var ErrNotFound = errors.New("no such silence")

// ErrExpired is returned (wrapped) when expiring a silence that already
// has.
var ErrExpired = errors.New("silence already expired")

// normalize checks a new silence at now and fills in its defaults: a
// missing or past StartsAt is now, and regexps are compiled.
func normalize(s Silence, now time.Time) (Silence, error) {
	var errs []error
	if len(s.Matchers) == 0 {
		errs = append(errs, fielderr.Errorf("matchers", "at least one matcher is required, like check=web"))
	}
	ms := make([]Matcher, len(s.Matchers))
	for i, m := range s.Matchers {
		var err error
		if ms[i], err = NewMatcher(m.Name, m.Op, m.Value); err != nil {
			errs = append(errs, &fielderr.Error{Field: "matchers[" + strconv.Itoa(i) + "]", Err: err})
		}
	}
	s.Matchers = ms
	if s.StartsAt.IsZero() || s.StartsAt.Before(now) {
		s.StartsAt = now
	}
	switch {
	case s.EndsAt.IsZero():
		errs = append(errs, fielderr.Errorf("ends_at", "required"))
	case !s.EndsAt.After(now):
		errs = append(errs, fielderr.Errorf("ends_at", "%s is not in the future: the silence would already be expired", s.EndsAt.Format(time.RFC3339)))
	case !s.EndsAt.After(s.StartsAt):
		errs = append(errs, fielderr.Errorf("ends_at", "must be after starts_at"))
	}
	if len(errs) > 0 {
		return Silence{}, fmt.Errorf("%w: %w", ErrInvalid, errors.Join(errs...))
	}
	return s, nil
}

// SilenceStore keeps silences across restarts. KVStore is the one on the
// bus; tests may use a map.
type SilenceStore interface {
	// Load returns every stored silence.
	Load(ctx context.Context) ([]Silence, error)
	// Put stores s under s.ID, replacing any silence with that id.
	Put(ctx context.Context, s Silence) error
	// Delete forgets the silence id; deleting one that is not stored is
	// not an error.
	Delete(ctx context.Context, id string) error
}
