// Package mute decides whether a notification about a check should stay
// quiet, and why: maintenance windows (one-off, daily, weekly, monthly or
// cron, in a time zone), silences (matchers on the check id and labels,
// with an expiry, kept in a JetStream bucket) and dependencies (a check
// whose parent is hard down is unreachable). All three are a Muter;
// Chain puts them together. Muting never stops a check from running or
// its results from being recorded: it only keeps notifications quiet.
package mute

import "time"

// The kinds of Reason.
const (
	KindMaintenance = "maintenance"
	KindSilence     = "silence"
	KindUnreachable = "unreachable"
)

// Target is what a muter is asked about: one check, its labels, at a time.
type Target struct {
	Check  string
	Labels map[string]string
	Time   time.Time
}

// Reason says why a target is muted.
type Reason struct {
	// Kind is KindMaintenance, KindSilence or KindUnreachable.
	Kind string `json:"kind"`
	// ID is the maintenance window's id, the silence's id, or the id of
	// the down parent check.
	ID string `json:"id"`
	// Until is when the muting ends as far as it is known; zero if not
	// known (a parent stays down for as long as it does).
	Until time.Time `json:"until,omitzero"`
	// Detail is a human note: the window's name, the silence's comment.
	Detail string `json:"detail,omitempty"`
}

// A Muter reports whether notifications about t should stay quiet, and
// why. Implementations are safe for concurrent use.
type Muter interface {
	Muted(t Target) (Reason, bool)
}

// Chain returns a Muter that asks ms in order and answers with the first
// that mutes. Nil interface values are skipped, so optional parts can be
// passed as they are (a nil *Silences is not a nil Muter: leave it out).
func Chain(ms ...Muter) Muter {
	var c chain
	for _, m := range ms {
		if m != nil {
			c = append(c, m)
		}
	}
	return c
}

type chain []Muter

func (c chain) Muted(t Target) (Reason, bool) {
	for _, m := range c {
		if r, ok := m.Muted(t); ok {
			return r, true
		}
	}
	return Reason{}, false
}
