package dispatch

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/schedule"
)

// t0 is when the test outages begin.
var t0 = time.Date(2026, 3, 1, 20, 0, 3, 0, time.UTC)

// sent is one message a fakeSender received.
type sent struct {
	Channel string
	Msg     notify.Message
}

// fakeSender records what it is sent and fails while fail is set.
type fakeSender struct {
	mu   sync.Mutex // protects the fields below
	sent []sent
	fail error
}

func (f *fakeSender) Send(_ context.Context, ch string, m notify.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, sent{ch, m})
	return nil
}

func (f *fakeSender) setFail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = err
}

// take returns and forgets what was sent so far.
func (f *fakeSender) take() []sent {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.sent
	f.sent = nil
	return out
}

var errOutbox = errors.New("outbox unavailable")

// testChecks are the checks the tests know.
var testChecks = map[string]CheckInfo{
	"billing-api": {Name: "Billing API", Target: "https://billing.example.com/health",
		Labels: map[string]string{"team": "payments", "env": "prod"}},
	"ledger":      {Name: "Ledger", Labels: map[string]string{"team": "payments", "env": "prod"}},
	"payouts":     {Name: "Payouts", Labels: map[string]string{"team": "payments"}},
	"invoices":    {Name: "Invoices", Labels: map[string]string{"team": "payments"}},
	"refunds":     {Name: "Refunds", Labels: map[string]string{"team": "payments"}},
	"search":      {Name: "Search", Labels: map[string]string{"team": "web"}},
	"status-page": {Name: "Status page", Notify: []string{"hook"}, Labels: map[string]string{"team": "web"}},
	"edge-router": {Name: "Edge Router", Target: "10.0.0.1"},
	"app-1":       {Name: "App 1"},
	"app-2":       {Name: "App 2"},
	"app-3":       {Name: "App 3"},
	"db":          {Name: "DB", Target: "postgres://picket:hunter2@db.internal:5432/app"},
}

var testParents = map[string][]string{"app-1": {"edge-router"}, "app-2": {"edge-router"}, "app-3": {"edge-router"}}

// testDeps returns Deps over the test checks, sending to s, at clock c.
func testDeps(s Sender, c schedule.Clock) Deps {
	return Deps{
		Sender:  s,
		Check:   func(id string) (CheckInfo, bool) { ci, ok := testChecks[id]; return ci, ok },
		Parents: func(id string) []string { return testParents[id] },
		Node:    "node-a",
		Clock:   c,
	}
}

// newDispatcher returns a Dispatcher over cfg and deps, failing t on error.
func newDispatcher(t *testing.T, cfg Config, deps Deps) *Dispatcher {
	t.Helper()
	d, err := New(cfg, deps)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return d
}

// openIncident returns the incident of check, failing since at.
func openIncident(check string, at time.Time) incident.Incident {
	return incident.Incident{ID: "inc-" + check, Check: check, Severity: notify.SeverityCritical,
		Status: probe.StatusDown, Reason: "connection refused", Since: at, Opened: at.Add(time.Second)}
}

// problem returns the "open" notice of check, failing since at.
func problem(check string, at time.Time) incident.Notice {
	return incident.Notice{Kind: notify.KindProblem, Step: "open", Incident: openIncident(check, at), Time: at.Add(time.Second)}
}

// recovery returns the "resolve" notice of check's incident opened at at,
// up again after d.
func recovery(check string, at time.Time, d time.Duration) incident.Notice {
	inc := openIncident(check, at)
	inc.Resolved = at.Add(d)
	return incident.Notice{Kind: notify.KindRecovery, Step: "resolve", Incident: inc, Time: inc.Resolved, Downtime: d}
}

// titles returns channel + ": " + title of each message.
func titles(ss []sent) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Channel+": "+s.Msg.Title)
	}
	return out
}

// catchAll is a configuration that sends everything to "hook", without
// grouping.
func catchAll() Config {
	return Config{URL: "https://picket.example.com", DefaultRoute: &Route{Channels: []string{"hook"}}}
}
