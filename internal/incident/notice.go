package incident

import (
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
)

// Notice is something the Manager wants said. A Notice with Muted set is
// handed on like any other, so it can be recorded, but must not be sent.
type Notice struct {
	Kind notify.Kind
	// Step is unique per incident: "open", "severity-N" (the check got
	// worse for the Nth time), "unmuted" (the opening notice was muted and
	// the mute ended while the check still fails), "remind-N", "ack",
	// "resolve", and for flapping "flap-start" and "flap-stop".
	Step string
	// Incident is a copy of the incident as it is after the event. For a
	// flap notice while no incident is open it has only Check and Status
	// (the check's hard status, normally up) set, and no ID.
	Incident Incident
	// Flap is set on flap notices.
	Flap *Flap
	// Time is when the reported event happened: the change's time, or the
	// Manager's clock for reminders and people's actions.
	Time time.Time
	// Downtime is how long the check has been failing at Time (reminders,
	// acknowledgements), or was failing (recovery). Zero for "open".
	Downtime time.Duration
	// Reminder is the number of this reminder (1 for the first) and
	// Reminders the length of the schedule; Last is set on the final one.
	Reminder, Reminders int
	Last                bool
	// By names who acted (ack, manual resolve); Comment is what they said.
	By, Comment string
	// Summary is a one-line default text: "down: connection refused",
	// "still down after 30m (reminder 2 of 3)", "back up after 1h12m".
	Summary string
	// Muted says why the notice must not be sent; nil means send it.
	Muted *mute.Reason
	// Children are the checks muted as unreachable because of this one,
	// for the message to list (problem and reminder notices).
	Children []string
}

// Key is the notice's unique id: Incident.ID + "/" + Step, or for a flap
// notice Flap.ID + "/" + Step (a flap may have no incident, and one
// incident may see several flaps). The outbox adds "/" + channel.
func (n Notice) Key() string {
	if n.Flap != nil {
		return n.Flap.ID + "/" + n.Step
	}
	return n.Incident.ID + "/" + n.Step
}

// summary returns the default one-line text of n.
func summary(n Notice) string {
	inc := n.Incident
	st := inc.Status.String()
	switch n.Kind {
	case notify.KindProblem:
		if n.Step == "unmuted" {
			return fmt.Sprintf("still %s after %s, now that %s: %s", st, FormatDuration(n.Downtime), muteEnded(inc.Muted), inc.Reason)
		}
		return fmt.Sprintf("%s: %s", st, inc.Reason)
	case notify.KindReminder:
		if n.Last {
			return fmt.Sprintf("it has been %s for over %s (reminder %d of %d, the last): no more reminders",
				st, FormatDuration(n.Downtime), n.Reminder, n.Reminders)
		}
		return fmt.Sprintf("still %s after %s (reminder %d of %d)", st, FormatDuration(n.Downtime), n.Reminder, n.Reminders)
	case notify.KindAck:
		return withComment(fmt.Sprintf("acknowledged by %s after %s", n.By, FormatDuration(n.Downtime)), n.Comment)
	case notify.KindRecovery:
		if n.By != "" {
			return withComment(fmt.Sprintf("resolved by %s after %s", n.By, FormatDuration(n.Downtime)), n.Comment)
		}
		return "back up after " + FormatDuration(n.Downtime)
	case notify.KindFlapping:
		return "flapping: notifications paused until it is stable"
	case notify.KindStable:
		if inc.ID != "" && inc.Open() {
			return fmt.Sprintf("stable again, but %s for %s: %s", st, FormatDuration(n.Downtime), inc.Reason)
		}
		return "stable again: " + st
	}
	return string(n.Kind)
}

func withComment(s, comment string) string {
	if comment == "" {
		return s
	}
	return s + ": " + comment
}

// muteEnded says why a muted incident can be told of now.
func muteEnded(r *mute.Reason) string {
	switch {
	case r == nil || r.Kind == "":
		return "the mute ended"
	case r.Kind == mute.KindUnreachable && r.ID != "":
		return "its parent " + r.ID + " is no longer down"
	}
	return "the " + r.Kind + " ended"
}

// FormatDuration writes d the way messages say it: "45s", "10m", "1h12m",
// "2d3h", dropping units too small to matter at that scale.
func FormatDuration(d time.Duration) string {
	d = d.Truncate(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d/time.Second))
	case d < time.Hour:
		return joinUnits(int(d/time.Minute), "m", int(d%time.Minute/time.Second), "s")
	case d < 48*time.Hour:
		return joinUnits(int(d/time.Hour), "h", int(d%time.Hour/time.Minute), "m")
	default:
		return joinUnits(int(d/(24*time.Hour)), "d", int(d%(24*time.Hour)/time.Hour), "h")
	}
}

func joinUnits(a int, ua string, b int, ub string) string {
	if b == 0 {
		return fmt.Sprint(a, ua)
	}
	return fmt.Sprint(a, ua, b, ub)
}
