// Package notifytest has what channel tests share: sample messages, a
// local HTTP server that records requests and answers as told, and the
// checks every channel runs: what it sends, how it judges replies, how it
// validates its settings and that its errors keep its secrets.
package notifytest

import (
	"time"

	"github.com/picket-monitor/picket/internal/notify"
)

// Problem returns a typical "check went down" message.
func Problem() notify.Message {
	return notify.Message{
		ID: "inc-42/0", GroupKey: "inc-42", Kind: notify.KindProblem, Severity: notify.SeverityCritical,
		Status: "down", Title: "DOWN: Billing API — connection refused",
		Text: "Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42",
		HTML: "<p>Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.</p>" +
			`<p><a href="https://picket.example/incidents/inc-42">inc-42</a></p>`,
		URL:    "https://picket.example/incidents/inc-42",
		Time:   time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC),
		Checks: []notify.Check{{ID: "billing-api", Name: "Billing API", Target: "https://billing.example/health", Status: "down", Reason: "connection refused"}},
		Labels: map[string]string{"team": "payments"},
	}
}

// Recovery returns the message that resolves Problem's incident.
func Recovery() notify.Message {
	m := Problem()
	m.ID, m.Kind, m.Severity, m.Status = "inc-42/resolved", notify.KindRecovery, notify.SeverityInfo, "up"
	m.Title = "UP: Billing API — back after 12m"
	m.Text = "Up again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42"
	m.Checks[0].Status, m.Checks[0].Reason = "up", "HTTP 200"
	return m
}
