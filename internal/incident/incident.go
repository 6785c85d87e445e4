// Package incident owns incidents: one is opened when a check turns hard
// down or degraded and resolved when it turns hard up (or by hand). It
// keeps each incident's timeline and notes, acknowledgements, the reminder
// schedule, flapping periods and whether a notification was muted, stores
// all of it in JetStream so a restart continues where it stopped, and says
// what should be notified as Notices. Turning Notices into messages and
// sending them is the notify pipeline's job.
package incident

import (
	"errors"
	"slices"
	"time"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
)

// Errors returned (wrapped, with a message naming the incident and the
// problem) by the Manager's actions, for the API to map to HTTP statuses.
var (
	// ErrNotFound: no incident has the id (404).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the action does not fit the incident's state, such as
	// acknowledging a resolved incident (409).
	ErrConflict = errors.New("conflict")
	// ErrInvalid: the request itself is wrong, such as an empty note (400).
	ErrInvalid = errors.New("invalid")
)

// Incident is one outage of one check, from opening to resolution. Times
// are UTC; a zero time means "not yet".
type Incident struct {
	ID       string          `json:"id"`
	Check    string          `json:"check"`
	Severity notify.Severity `json:"severity"`
	// Status is the check's failing status: down or degraded. It keeps the
	// last failing status after the incident resolved.
	Status probe.Status `json:"status"`
	// Reason is the latest failure reason the check reported.
	Reason string `json:"reason,omitempty"`
	// Since is when the check began failing: the first result of the
	// streak that confirmed the failure (rule.Change.Since). Opened is
	// when it was confirmed and the incident opened; reminders count from
	// Opened, downtime from Since.
	Since        time.Time `json:"since"`
	Opened       time.Time `json:"opened"`
	Acknowledged time.Time `json:"acknowledged,omitzero"`
	AckedBy      string    `json:"acked_by,omitempty"`
	Resolved     time.Time `json:"resolved,omitzero"`
	// ResolvedBy names who resolved the incident by hand; empty when the
	// check recovered.
	ResolvedBy string `json:"resolved_by,omitempty"`
	// Timeline is every event of the incident, oldest first, notes
	// included (Kind EntryNote).
	Timeline []Entry `json:"timeline"`
	// RemindersSent counts the reminders of the schedule already due and
	// handed on (sent or muted).
	RemindersSent int `json:"reminders_sent"`
	// Muted is why the opening notification was not sent (maintenance,
	// silence, unreachable parent, flapping), for the UI and status page;
	// nil when it was sent.
	Muted *mute.Reason `json:"muted,omitempty"`
	// Notified reports that someone was told of the problem: an unmuted
	// problem, reminder or stable notice went out. Follow-ups (recovery,
	// acknowledgement) of an incident nobody was told of stay muted.
	Notified bool `json:"notified"`
	// LastChange is the Time of the latest rule.Change applied to the
	// incident; a rule.Change not after it is a redelivery and is ignored.
	LastChange time.Time `json:"last_change"`
}

// Open reports whether the incident is not resolved.
func (i Incident) Open() bool { return i.Resolved.IsZero() }

// Notes returns the notes of the incident, oldest first.
func (i Incident) Notes() []Entry {
	var out []Entry
	for _, e := range i.Timeline {
		if e.Kind == EntryNote {
			out = append(out, e)
		}
	}
	return out
}

// clone returns a copy that shares no memory with i.
func (i Incident) clone() Incident {
	i.Timeline = slices.Clone(i.Timeline)
	if i.Muted != nil {
		r := *i.Muted
		i.Muted = &r
	}
	return i
}

// Downtime returns how long the incident's check has been (or was) failing:
// from Since (or Opened, when Since is not set) to Resolved, or to now
// while it is open.
func Downtime(i Incident, now time.Time) time.Duration {
	start, end := i.Since, i.Resolved
	if start.IsZero() {
		start = i.Opened
	}
	if end.IsZero() {
		end = now
	}
	return max(end.Sub(start), 0)
}

// Entry is one event of an incident's timeline.
type Entry struct {
	Time time.Time `json:"time"`
	Kind string    `json:"kind"` // one of the Entry* constants
	Text string    `json:"text"`
	By   string    `json:"by,omitempty"` // who, for people's actions
	// From and To are the check's status before and after, where the
	// entry changes it.
	From probe.Status `json:"from,omitzero"`
	To   probe.Status `json:"to,omitzero"`
}

// The kinds of timeline entry.
const (
	EntryOpened    = "opened"       // the check turned hard down or degraded
	EntryChanged   = "changed"      // down ↔ degraded while open
	EntryReminder  = "reminder"     // a reminder was due
	EntryUnmuted   = "unmuted"      // the mute ended while still failing: notified late
	EntryAck       = "acknowledged" // someone took it
	EntryNote      = "note"         // someone wrote a note
	EntryRecovered = "recovered"    // the check turned hard up: resolved
	EntryResolved  = "resolved"     // someone resolved it by hand
	EntryFlapping  = "flapping"     // the check started flapping
	EntryStable    = "stable"       // the check stopped flapping
)

// Flap is one period during which a check flaps. While it lasts, incidents
// still open and resolve but their notices are muted with a mute.Reason of
// Kind MuteFlapping; one notice says it started and one that it ended.
type Flap struct {
	ID    string    `json:"id"`
	Check string    `json:"check"`
	Since time.Time `json:"since"`
}

// MuteFlapping is the mute.Reason.Kind of notices muted because their check
// is flapping; its ID is the Flap's.
const MuteFlapping = "flapping"

// Filter selects incidents for List.
type Filter struct {
	Open  bool   // only open incidents
	Check string // only this check's; "" for all
	Limit int    // at most Limit, newest first; <= 0 means DefaultListLimit
}

// DefaultListLimit caps List when the filter gives no limit.
const DefaultListLimit = 100
