package notify

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"unicode/utf8"
)

// This file has what channels share to format a message for their medium;
// escaping and layout stay with each channel.

// Clip shortens s to at most n characters (runes), marking a cut with "…".
func Clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	return string([]rune(s)[:n-1]) + "…"
}

// TextOrTitle is m's text, or its title when it has none: the body for a
// service that refuses an empty one.
func (m Message) TextOrTitle() string {
	if m.Text != "" {
		return m.Text
	}
	return m.Title
}

// IsWebLink reports whether u is an absolute http or https URL, one that
// a link or a button can open.
func IsWebLink(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// Label is the check's name, or its id when it has none.
func (c Check) Label() string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// State is the check's status and reason: "down — connection refused".
func (c Check) State() string {
	if c.Reason == "" {
		return c.Status
	}
	return c.Status + " — " + c.Reason
}

// ListChecks renders checks for a list of at most max entries: line(c)
// for each, and past max, more(n) for the n checks left out.
func ListChecks[T any](checks []Check, max int, line func(Check) T, more func(n int) T) []T {
	out := make([]T, 0, min(len(checks), max+1))
	for i, c := range checks {
		if i == max {
			return append(out, more(len(checks)-max))
		}
		out = append(out, line(c))
	}
	return out
}

// Tone is how a message should look: the colour family a channel shows it
// in.
type Tone int

// The tones.
const (
	ToneNeutral Tone = iota // information
	ToneBad                 // down, critical
	ToneWarning             // degraded, warning
	ToneGood                // up
)

// ToneOf is the tone of m: by the check's status when it has one, else by
// severity.
func ToneOf(m Message) Tone {
	switch m.Status {
	case "down":
		return ToneBad
	case "degraded":
		return ToneWarning
	case "up":
		return ToneGood
	}
	switch m.Severity {
	case SeverityCritical:
		return ToneBad
	case SeverityWarning:
		return ToneWarning
	}
	return ToneNeutral
}

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindProblem, KindReminder, KindRecovery, KindAck, KindFlapping, KindStable, KindTest:
		return true
	}
	return false
}

// Phase is what a message does to the alert that services such as
// PagerDuty and Opsgenie keep for an incident.
type Phase int

// The phases.
const (
	PhaseNone  Phase = iota // the kind has no alert action
	PhaseOpen               // open the alert, or fold into the open one
	PhaseAck                // acknowledge it
	PhaseClose              // resolve it
)

// Phase is what a message of kind k does to the incident's alert.
func (k Kind) Phase() Phase {
	switch k {
	case KindProblem, KindReminder, KindFlapping, KindTest:
		return PhaseOpen
	case KindAck:
		return PhaseAck
	case KindRecovery, KindStable:
		return PhaseClose
	}
	return PhaseNone
}

// IncidentKey is the key a service groups m's incident under (PagerDuty's
// dedup_key, Opsgenie's alias): the group key, or the message id when
// there is none, replaced by "picket-" and its SHA-256 when longer than
// max characters.
func IncidentKey(m Message, max int) string {
	k := m.GroupKey
	if k == "" {
		k = m.ID
	}
	if utf8.RuneCountInString(k) <= max {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return "picket-" + hex.EncodeToString(sum[:])
}
