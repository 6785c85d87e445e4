package dispatch

import (
	"time"

	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
)

// samples returns template data of every kind of message, with every field
// set, for trying templates at load.
func samples() []Data {
	since := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC)
	at := since.Add(12 * time.Minute)
	inc := incident.Incident{ID: "inc-sample", Check: "billing-api", Severity: notify.SeverityCritical,
		Status: probe.StatusDown, Reason: "connection refused", Since: since, Opened: since.Add(2 * time.Second),
		Muted:    &mute.Reason{Kind: mute.KindMaintenance, ID: "patching"},
		Timeline: []incident.Entry{{Time: at, Kind: incident.EntryNote, Text: "looking", By: "alice"}}}
	base := Data{Kind: notify.KindProblem, Step: "open", Severity: notify.SeverityCritical, Status: "down",
		Check: "billing-api", Name: "Billing API", Target: "https://billing.example/health",
		Labels: map[string]string{"team": "payments"}, Reason: "connection refused", Since: since, Time: at,
		Downtime: 12 * time.Minute, Reminder: 1, Reminders: 3, By: "alice", Comment: "on it",
		Note: &inc.Timeline[0], Children: []string{"Ledger"}, FlapChanges: 9, FlapWindow: 21, Node: "node-a",
		URL: "https://picket.example/incidents/inc-sample", Summary: "down: connection refused", Incident: inc}
	var out []Data
	for _, k := range []notify.Kind{notify.KindProblem, notify.KindReminder, notify.KindRecovery, notify.KindAck,
		notify.KindFlapping, notify.KindStable, notify.KindTest} {
		d := base
		d.Kind = k
		out = append(out, d)
	}
	last := base
	last.Kind, last.Last, last.Reminder = notify.KindReminder, true, 3
	grouped := base
	grouped.Group = []Member{{Check: "ledger", Name: "Ledger", Status: "down", Reason: "timeout",
		URL: "https://picket.example/incidents/inc-2", Severity: notify.SeverityCritical, Since: since, Time: at}}
	grouped.GroupLabel, grouped.First, grouped.Window = "with team=payments", "Billing API", 10*time.Second
	return append(out, last, grouped)
}
