package rule

import (
	"time"

	"github.com/picket-monitor/picket/internal/probe"
)

// Result is what the state machine needs of one check result.
type Result struct {
	Check  string
	Time   time.Time // when the probe started; the machine's only clock
	Status probe.Status
	Reason string
}

// ChangeKind says what a Change is about.
type ChangeKind string

// The kinds of change.
const (
	// KindHard: the hard status moved From one status To another. Between
	// two failing outcomes (degraded and down) it is a change of severity.
	KindHard ChangeKind = "hard"
	// KindFlapStart: the check started flapping; From and To are both its
	// hard status after the result.
	KindFlapStart ChangeKind = "flap_start"
	// KindFlapStop: the check is stable again; From and To are both its
	// hard status after the result.
	KindFlapStop ChangeKind = "flap_stop"
)

// Change is what Apply reports: something the incident manager acts on.
type Change struct {
	Check string       `json:"check"`
	Kind  ChangeKind   `json:"kind"`
	From  probe.Status `json:"from"`
	To    probe.Status `json:"to"`
	// Time is the start of the result that caused the change.
	Time time.Time `json:"time"`
	// Since is when the new condition began: for a hard change the first
	// result of the streak that confirmed it (so "down since" counts the
	// unconfirmed failures too), for flap_start Time, for flap_stop when
	// the flapping began.
	Since time.Time `json:"since"`
	// Reason is the reason of the result that caused the change.
	Reason string `json:"reason,omitempty"`
	// Flapping is whether the check is flapping after this result. A hard
	// change while flapping is still reported, so incidents stay right,
	// but it should not page on its own.
	Flapping bool `json:"flapping,omitempty"`
	// Percent is the weighted percent state change of the window, for
	// flap changes.
	Percent float64 `json:"percent,omitempty"`
}

// ID identifies a change for deduplication: the same result applied to
// the same state always yields changes with the same IDs.
func (c Change) ID() string {
	return c.Check + "/" + string(c.Kind) + "/" + c.Time.UTC().Format(time.RFC3339Nano)
}

// State is the state machine of one check; the zero value is a check
// whose hard status is unknown. It is small and JSON-encoded, and the
// evaluator stores it so a restart keeps soft and hard states and the
// flap window.
//
// The rules, applied by Apply to one result at a time:
//   - The first up result of a check with unknown hard status makes it
//     hard up at once; a failing first result needs Confirm results like
//     any failure, so a restart does not page on one blip.
//   - While hard up (or unknown), non-up results, down and degraded mixed,
//     count towards Confirm; when the streak reaches it the hard status
//     becomes the outcome of the latest result. An up result ends the
//     streak.
//   - While hard failing, Recover consecutive up results make it hard up,
//     and Confirm consecutive results of the other failing outcome move it
//     between down and degraded. Any other result ends the streak.
//   - Unknown results are ignored.
type State struct {
	// Hard is the confirmed status; HardSince is when it began.
	Hard      probe.Status `json:"hard"`
	HardSince time.Time    `json:"hard_since,omitzero"`
	// Pending is the outcome the running streak leads to (the latest
	// result's), Streak how many results it has, StreakSince when it
	// began. Streak 0 means none runs: the check is not soft.
	Pending     probe.Status `json:"pending,omitempty"`
	Streak      int          `json:"streak,omitempty"`
	StreakSince time.Time    `json:"streak_since,omitzero"`
	// Window holds the latest results' outcomes, oldest first, one letter
	// each: u up, g degraded, d down (see flap.go).
	Window string `json:"window,omitempty"`
	// Flapping is whether the check flaps; FlapSince when it began.
	Flapping  bool      `json:"flapping,omitempty"`
	FlapSince time.Time `json:"flap_since,omitzero"`
	// Checked is the start of the latest result applied.
	Checked time.Time `json:"checked,omitzero"`
}

// Soft reports whether a streak is running that has not yet changed the
// hard status: the check should be re-checked at its retry interval.
func (s State) Soft() bool { return s.Streak > 0 }

// Latest returns the outcome of the latest result applied, or
// StatusUnknown before the first.
func (s State) Latest() probe.Status {
	if s.Window == "" {
		return probe.StatusUnknown
	}
	return statusOf(s.Window[len(s.Window)-1])
}

// Apply advances the state by one result and returns what changed, flap
// changes first: nil, or up to one flap change and one hard change. It is
// pure: the same state, params and result give the same state and
// changes. Results must come in order of Time; the Evaluator skips those
// that do not. A result with an unknown (or invalid) status changes
// nothing.
func (s *State) Apply(p Params, r Result) []Change {
	if r.Status == probe.StatusUnknown || r.Status > probe.StatusUp {
		return nil
	}
	p = p.withDefaults()
	s.Checked = r.Time
	hard, hardOK := s.advance(p, r)
	flap, flapOK := s.flap(p, r)
	var out []Change
	if flapOK {
		out = append(out, flap)
	}
	if hardOK {
		hard.Flapping = s.Flapping
		out = append(out, hard)
	}
	return out
}

// advance applies r to the soft and hard status.
func (s *State) advance(p Params, r Result) (Change, bool) {
	need := s.needed(p, r.Status)
	if need == 0 { // r agrees with the hard status
		s.Pending, s.Streak, s.StreakSince = probe.StatusUnknown, 0, time.Time{}
		return Change{}, false
	}
	if s.Streak == 0 || !s.continues(r.Status) {
		s.Streak, s.StreakSince = 0, r.Time
	}
	s.Streak++
	s.Pending = r.Status
	if s.Streak < need {
		return Change{}, false
	}
	c := Change{Check: r.Check, Kind: KindHard, From: s.Hard, To: r.Status,
		Time: r.Time, Since: s.StreakSince, Reason: r.Reason}
	s.Hard, s.HardSince = r.Status, s.StreakSince
	s.Pending, s.Streak, s.StreakSince = probe.StatusUnknown, 0, time.Time{}
	return c, true
}

// needed returns how many consecutive results like st it takes to change
// the hard status, 0 when st agrees with it.
func (s *State) needed(p Params, st probe.Status) int {
	switch {
	case st == s.Hard:
		return 0
	case st == probe.StatusUp && s.Hard == probe.StatusUnknown:
		return 1
	case st == probe.StatusUp:
		return p.Recover
	default: // a failing outcome other than the hard one
		return p.Confirm
	}
}

// continues reports whether a result of status st extends the running
// streak: while hard up or unknown any failing outcome does, otherwise
// only the same outcome.
func (s *State) continues(st probe.Status) bool {
	if failing(st) && failing(s.Pending) && !failing(s.Hard) {
		return true
	}
	return st == s.Pending
}

func failing(st probe.Status) bool {
	return st == probe.StatusDown || st == probe.StatusDegraded
}
