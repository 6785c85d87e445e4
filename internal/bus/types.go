package bus

import (
	"time"

	"github.com/picket-monitor/picket/internal/probe"
)

// Result is one run of one check, as published by the scheduler (or an
// agent) and read by every consumer. It travels as JSON; durations are
// integer nanoseconds and statuses their names ("up", "down", ...).
type Result struct {
	Check    string         `json:"check"`
	Type     string         `json:"type"`
	Node     string         `json:"node,omitempty"` // the node (vantage point) that ran it
	Start    time.Time      `json:"start"`
	Duration time.Duration  `json:"duration"`
	Status   probe.Status   `json:"status"`
	Reason   string         `json:"reason,omitempty"`
	Metrics  []probe.Metric `json:"metrics,omitempty"`
}

// State is the current state of one check, kept in the state bucket.
type State struct {
	Check     string        `json:"check"`
	Status    probe.Status  `json:"status"`
	Reason    string        `json:"reason,omitempty"`
	Since     time.Time     `json:"since"`      // when Status began
	LastCheck time.Time     `json:"last_check"` // Start of the latest result
	Latency   time.Duration `json:"latency"`    // Duration of the latest result
}

// Event is one entry of the audit log.
type Event struct {
	// Seq is the event's position in the log, set when the event is read
	// (and returned by AppendEvent); it is not part of the stored message.
	Seq    uint64       `json:"seq,omitempty"`
	Time   time.Time    `json:"time"`
	Check  string       `json:"check"`
	Kind   string       `json:"kind"` // "state" for a state change
	From   probe.Status `json:"from"`
	To     probe.Status `json:"to"`
	Reason string       `json:"reason,omitempty"`
}

// EventKindState is the Kind of an event recording a state change.
const EventKindState = "state"

// EventFilter selects events for Events.
type EventFilter struct {
	Check string    // one check, or "" for all
	From  time.Time // events at or after From; zero means from the start
	To    time.Time // events at or before To; zero means up to now
	Limit int       // at most Limit events; <= 0 means DefaultLimit
}

// DefaultLimit caps history reads that give no limit of their own.
const DefaultLimit = 10_000
