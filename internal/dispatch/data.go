package dispatch

import (
	"cmp"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
)

// CheckInfo is what dispatch needs to know of a check.
type CheckInfo struct {
	Name, Target string
	Labels       map[string]string
	// Notify are the check's own channels; when set they replace the
	// channels of its routes.
	Notify []string
}

// Data is what the templates are executed with. Times are UTC.
type Data struct {
	Kind     notify.Kind
	Step     string // the notice's step: "open", "remind-2", ...
	Severity notify.Severity
	// Status is the status the message reports: "down", "degraded", or
	// "up" for a recovery. Incident.Status keeps the failing one.
	Status string
	Check  string // the check's id
	Name   string // the check's name, its id when it has none
	Target string
	Labels map[string]string
	Reason string // the latest failure reason
	// Since is when the check began failing (problem, reminder, ack,
	// recovery) or flapping (flapping, stable).
	Since time.Time
	// Time is when the reported event happened; relative times count to it.
	Time time.Time
	// Downtime is how long the check has been (or was) failing at Time.
	Downtime time.Duration
	// Reminder is the number of this reminder, Reminders the length of the
	// schedule, and Last is set on the final one.
	Reminder, Reminders int
	Last                bool
	By, Comment         string          // who acted, and what they wrote
	Note                *incident.Entry // the incident's latest note
	Children            []string        // names of checks unreachable because of this one
	// FlapChanges is how many times the check changed status in its last
	// FlapWindow results; both zero when not known.
	FlapChanges, FlapWindow int
	Node                    string // the node that sends the message
	URL                     string // the incident's page; empty without a base URL
	Summary                 string // the incident manager's one-line text
	Incident                incident.Incident

	// Group lists the checks of a grouped message (all but the one sent
	// at once); nil for a message about one check, whose fields above it
	// describes. In a grouped message the fields above describe Group[0].
	Group []Member
	// GroupLabel says what the group's checks share: "with team=payments"
	// or "depending on Edge Router".
	GroupLabel string
	// First names the check whose message was sent at once, and Window is
	// the grouping window.
	First  string
	Window time.Duration
}

// Member is one check of a grouped message.
type Member struct {
	Check, Name, Target, Status, Reason, URL string
	Severity                                 notify.Severity
	Since, Time                              time.Time
}

// data builds the template data of notice n about a check with info.
func (d *Dispatcher) data(n incident.Notice, info CheckInfo, base string) Data {
	inc := n.Incident
	out := Data{
		Kind: n.Kind, Step: n.Step, Severity: severity(n), Status: status(n),
		Check: inc.Check, Name: cmp.Or(info.Name, inc.Check), Target: info.Target, Labels: info.Labels,
		Reason: inc.Reason, Since: since(n).UTC(), Time: n.Time.UTC(), Downtime: n.Downtime,
		Reminder: n.Reminder, Reminders: n.Reminders, Last: n.Last, By: n.By, Comment: n.Comment,
		Node: d.deps.Node, URL: incidentURL(base, inc.ID), Summary: n.Summary, Incident: inc,
	}
	if notes := inc.Notes(); len(notes) > 0 {
		out.Note = &notes[len(notes)-1]
	}
	for _, c := range n.Children {
		out.Children = append(out.Children, d.info(c).Name)
	}
	if (n.Kind == notify.KindFlapping || n.Kind == notify.KindStable) && d.deps.FlapStats != nil {
		out.FlapChanges, out.FlapWindow = d.deps.FlapStats(inc.Check)
	}
	return out
}

// severity is the incident's for problems and reminders (critical when
// unset), warning for flapping and info for the rest.
func severity(n incident.Notice) notify.Severity {
	switch n.Kind {
	case notify.KindProblem, notify.KindReminder:
		return cmp.Or(n.Incident.Severity, notify.SeverityCritical)
	case notify.KindFlapping:
		return notify.SeverityWarning
	}
	return notify.SeverityInfo
}

func status(n incident.Notice) string {
	if n.Kind == notify.KindRecovery || n.Incident.Status == probe.StatusUnknown {
		return probe.StatusUp.String()
	}
	return n.Incident.Status.String()
}

func since(n incident.Notice) time.Time {
	if n.Flap != nil {
		return n.Flap.Since
	}
	return cmp.Or(n.Incident.Since, n.Incident.Opened)
}

func incidentURL(base, id string) string {
	if base == "" || id == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + "/incidents/" + id
}

// message assembles the notify.Message of a notice from its data and the
// rendered parts.
func message(n incident.Notice, dt Data, r rendered) notify.Message {
	group := n.Incident.ID
	if n.Flap != nil {
		group = n.Flap.ID
	}
	return notify.Message{
		ID: n.Key(), GroupKey: group, Kind: n.Kind, Severity: dt.Severity, Status: dt.Status,
		Title: r.title, Text: r.text, HTML: r.html, URL: dt.URL, Time: dt.Time,
		Checks: []notify.Check{{ID: dt.Check, Name: dt.Name, Target: dt.Target, Status: dt.Status, Reason: dt.Reason}},
		Labels: dt.Labels,
	}
}
