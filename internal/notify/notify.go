// Package notify delivers notifications: a durable outbox in front of one
// package per channel (notify/<channel>), with retries that back off while
// a failure is retryable and an outcome recorded for every attempt. This
// file is the contract between the pipeline and the channels.
package notify

import (
	"context"
	"time"
)

// Kind says why a notification is sent.
type Kind string

// The kinds of notification.
const (
	KindProblem  Kind = "problem"      // an incident opened: a check is hard down or degraded
	KindReminder Kind = "reminder"     // the incident is still open and nobody acknowledged it
	KindRecovery Kind = "recovery"     // the incident resolved; the text says how long it lasted
	KindAck      Kind = "acknowledged" // someone took the incident
	KindFlapping Kind = "flapping"     // the check changes too often; per-change pages stop
	KindStable   Kind = "stable"       // flapping ended
	KindTest     Kind = "test"         // `picket notify test CHANNEL`
)

// Severity is how bad an incident is; channels map it to their own levels
// (PagerDuty severity, Opsgenie priority, ntfy priority, a colour).
type Severity string

// The severities, from worst.
const (
	SeverityCritical Severity = "critical"
	SeverityWarning  Severity = "warning"
	SeverityInfo     Severity = "info"
)

// Message is one notification, already rendered by the pipeline's
// templates. Channels format it for their medium and never re-render it.
type Message struct {
	// ID is unique per notification (incident id + step) and the same on
	// every retry of it; channels that accept an idempotency key send it.
	ID string
	// GroupKey is the same for every notification of one incident:
	// PagerDuty's dedup_key, Opsgenie's alias, a thread or tag.
	GroupKey string
	Kind     Kind
	Severity Severity
	// Status is the check's status the message reports: "down",
	// "degraded" or "up".
	Status string
	// Title is one line that says what and how bad:
	// "DOWN: Billing API — connection refused".
	Title string
	// Text is the plain-text body (since when, where it was checked from,
	// the link), without the title.
	Text string
	// HTML is the body as HTML, for channels that show it (email, Matrix);
	// may be empty.
	HTML string
	// URL links to the incident in Picket's UI; may be empty.
	URL string
	// Time is when the reported change happened.
	Time time.Time
	// Checks are the checks concerned: one, or several when grouped.
	Checks []Check
	Labels map[string]string
}

// Check is a check a message is about.
type Check struct {
	ID, Name, Target, Status, Reason string
}

// Notifier sends messages over one configured channel.
type Notifier interface {
	// Notify sends m once. It returns nil when the channel accepted the
	// message, judged strictly (HTTP status and the service's own "ok"
	// field where it has one). On failure, retry says whether sending
	// again can help: true for network errors, timeouts, 429 and 5xx;
	// false for a rejected request (4xx), which the pipeline gives up on
	// with the reason recorded. Errors never contain a secret, including
	// tokens that some services put in the URL.
	Notify(ctx context.Context, m Message) (retry bool, err error)
}

// Settings are the type-specific fields of one channel, decoded strictly
// from the channel's YAML. New settings carry their defaults.
type Settings interface {
	// Notifier validates the settings and returns a ready notifier. A
	// problem with one field is returned as a *fielderr.Error naming it.
	Notifier() (Notifier, error)
}
