package dispatch

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

// step is one moment of a grouping scenario: the sender starts or stops
// failing, the clock moves on by advance, the notices are
// dispatched, and want is what was sent meanwhile ("channel: title").
type step struct {
	advance time.Duration
	fail    error
	send    []incident.Notice
	want    []string
}

// harness runs a Dispatcher and its Run loop in a synctest bubble, on a
// fake clock that starts at t0.
type harness struct {
	d     *Dispatcher
	s     *fakeSender
	clock *schedtest.Clock
}

// withRun calls body with a running harness, then stops Run and returns
// what Run sent as it stopped.
func withRun(t *testing.T, cfg Config, body func(t *testing.T, h *harness)) (atStop []sent) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		h := &harness{s: &fakeSender{}, clock: schedtest.NewClock(t0, synctest.Wait)}
		h.d = newDispatcher(t, cfg, testDeps(h.s, h.clock))
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error)
		go func() { done <- h.d.Run(ctx) }()
		synctest.Wait()
		body(t, h)
		h.s.setFail(nil)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		atStop = h.s.take()
	})
	return atStop
}

// play runs the steps, checking what each sent.
func (h *harness) play(t *testing.T, steps []step) {
	t.Helper()
	for i, st := range steps {
		h.s.setFail(st.fail)
		h.clock.Advance(st.advance)
		for _, n := range st.send {
			if err := h.d.Dispatch(t.Context(), n); err != nil {
				t.Errorf("step %d: Dispatch %s: %v", i, n.Key(), err)
			}
			synctest.Wait() // let Run arm its timer
		}
		if diff := cmp.Diff(st.want, titles(h.s.take())); diff != "" {
			t.Errorf("step %d (at +%s): sent (-want +got):\n%s", i, h.clock.Now().Sub(t0), diff)
		}
	}
}

func groupConfig() Config {
	cfg := catchAll()
	cfg.GroupWindow, cfg.GroupBy = 10*time.Second, []string{"team"}
	return cfg
}

// at returns the notice n for a failure that began at t0+d.
func at(d time.Duration, check string) incident.Notice { return problem(check, t0.Add(d)) }

// reopened returns n as the notice of a new incident of its check.
func reopened(n incident.Notice) incident.Notice {
	n.Incident.ID += "-2"
	return n
}

// worse returns n as the notice that its incident got worse.
func worse(n incident.Notice) incident.Notice {
	n.Step, n.Incident.Reason = "severity-1", "HTTP 503"
	return n
}

func TestGrouping(t *testing.T) {
	const hook = "hook: "
	again := at(time.Second, "ledger")
	tests := []struct {
		name   string
		cfg    func(*Config)
		steps  []step
		atStop []string
	}{
		{name: "five with a common label: one page at once, one for the rest", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "ledger")}},
			{advance: time.Second, send: []incident.Notice{at(2*time.Second, "payouts"), at(2*time.Second, "invoices")}},
			{advance: 2 * time.Second, send: []incident.Notice{at(4*time.Second, "search")}, want: []string{hook + "DOWN: Search — connection refused"}},
			{advance: 4 * time.Second, send: []incident.Notice{at(8*time.Second, "refunds")}},
			{advance: 2 * time.Second, want: []string{hook + "DOWN: 4 more checks with team=payments — Ledger, Payouts, Invoices, Refunds"}},
			{advance: 30 * time.Second},
			{send: []incident.Notice{reopened(at(50*time.Second, "invoices"))}, want: []string{hook + "DOWN: Invoices — connection refused"}},
		}},
		{name: "children grouped under their parent", steps: []step{
			{send: []incident.Notice{at(0, "app-1")}, want: []string{hook + "DOWN: App 1 — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "app-2"), at(time.Second, "app-3"), at(time.Second, "edge-router")}},
			{advance: 9 * time.Second, want: []string{hook + "DOWN: 3 more checks depending on Edge Router — App 2, App 3, Edge Router"}},
		}},
		{name: "parent first, then its children", steps: []step{
			{send: []incident.Notice{at(0, "edge-router")}, want: []string{hook + "DOWN: Edge Router — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "app-1"), at(time.Second, "app-2")}},
			{advance: 9 * time.Second, want: []string{hook + "DOWN: 2 more checks depending on Edge Router — App 1, App 2"}},
		}},
		{name: "a cascade: one message per window", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: 5 * time.Second, send: []incident.Notice{at(5*time.Second, "ledger")}},
			{advance: 5 * time.Second, want: []string{hook + "DOWN: 1 more check with team=payments — Ledger"}},
			{advance: 2 * time.Second, send: []incident.Notice{at(12*time.Second, "payouts")}},
			{advance: 8 * time.Second, want: []string{hook + "DOWN: 1 more check with team=payments — Payouts"}},
			{advance: 10 * time.Second},
			{advance: time.Second, send: []incident.Notice{at(31*time.Second, "invoices")}, want: []string{hook + "DOWN: Invoices — connection refused"}},
		}},
		{name: "recovery within the window replaces the held page", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "ledger"), at(time.Second, "payouts")}},
			{advance: 2 * time.Second, send: []incident.Notice{recovery("ledger", t0.Add(time.Second), 2*time.Second)},
				want: []string{hook + "UP: Ledger — back after 2s (was down since 20:00 UTC)"}},
			{advance: 7 * time.Second, want: []string{hook + "DOWN: 1 more check with team=payments — Payouts"}},
		}},
		{name: "notices delivered again are not sent again", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{again, again, at(0, "billing-api")},
				want: []string{hook + "DOWN: Billing API — connection refused"}}, // same id: the outbox drops it
			{advance: 9 * time.Second, want: []string{hook + "DOWN: 1 more check with team=payments — Ledger"}},
			{advance: time.Second, send: []incident.Notice{again}},
			{advance: 20 * time.Second},
		}},
		{name: "a worse notice: of the first, sent; of a held one, replaces it", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "ledger"), worse(at(time.Second, "ledger"))}},
			{advance: time.Second, send: []incident.Notice{worse(at(0, "billing-api")), at(time.Second, "ledger")},
				want: []string{hook + "DOWN: Billing API — HTTP 503"}},
			{advance: 8 * time.Second, want: []string{hook + "DOWN: 1 more check with team=payments — Ledger"}},
			{advance: 5 * time.Second, send: []incident.Notice{at(time.Second, "ledger")}},
			{advance: 20 * time.Second},
		}},
		{name: "each channel gets its first at once", cfg: func(c *Config) {
			c.Routes = []Route{{Match: Match{Checks: []string{"billing-api", "refunds"}}, Channels: []string{"pd", "hook"}}}
		}, steps: []step{
			{send: []incident.Notice{at(0, "ledger")}, want: []string{hook + "DOWN: Ledger — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "billing-api")}, want: []string{"pd: DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(2*time.Second, "refunds")}},
			{advance: 8 * time.Second, want: []string{hook + "DOWN: 2 more checks with team=payments — Billing API, Refunds"}},
			{advance: time.Second, want: []string{"pd: DOWN: 1 more check with team=payments — Refunds"}},
		}},
		{name: "grouping off", cfg: func(c *Config) { c.GroupWindow = 0 }, steps: []step{
			{send: []incident.Notice{at(0, "billing-api"), at(0, "ledger")},
				want: []string{hook + "DOWN: Billing API — connection refused", hook + "DOWN: Ledger — connection refused"}},
		}},
		{name: "only problems are grouped", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{recovery("payouts", t0, time.Second), reminder(1, 3, 10*time.Minute)},
				want: []string{hook + "UP: Payouts — back after 1s (was down since 20:00 UTC)", hook + "STILL DOWN: Billing API — down for 10m (reminder 1 of 3)"}},
		}},
		{name: "a failed grouped message is retried", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "ledger")}},
			{advance: 9 * time.Second, fail: errOutbox},
			{advance: time.Second, fail: errOutbox},
			{advance: 2 * time.Second, want: []string{hook + "DOWN: 1 more check with team=payments — Ledger"}},
		}},
		{name: "a clean stop sends what is held", steps: []step{
			{send: []incident.Notice{at(0, "billing-api")}, want: []string{hook + "DOWN: Billing API — connection refused"}},
			{advance: time.Second, send: []incident.Notice{at(time.Second, "ledger")}},
		}, atStop: []string{hook + "DOWN: 1 more check with team=payments — Ledger"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := groupConfig()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			got := withRun(t, cfg, func(t *testing.T, h *harness) { h.play(t, tc.steps) })
			if diff := cmp.Diff(tc.atStop, titles(got)); diff != "" {
				t.Errorf("sent at stop (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGroupedMessage checks the fields of a grouped message, that its id
// depends only on the group and the window, and its text.
func TestGroupedMessage(t *testing.T) {
	var ids []string
	for range 2 {
		withRun(t, groupConfig(), func(t *testing.T, h *harness) {
			h.play(t, []step{{send: []incident.Notice{at(0, "billing-api")}, want: []string{"hook: DOWN: Billing API — connection refused"}}})
			degraded := at(2*time.Second, "payouts")
			degraded.Incident.Severity, degraded.Incident.Status = notify.SeverityWarning, probe.StatusDegraded
			for _, n := range []incident.Notice{at(time.Second, "ledger"), degraded} {
				if err := h.d.Dispatch(t.Context(), n); err != nil {
					t.Fatalf("Dispatch: %v", err)
				}
			}
			h.clock.Advance(10 * time.Second)
			got := h.s.take()
			if len(got) != 1 {
				t.Fatalf("sent %d messages, want 1", len(got))
			}
			m := got[0].Msg
			ids = append(ids, m.ID)
			golden(t, filepath.Join("testdata", "render", "group.txt"), m.Title+"\n---- text ----\n"+m.Text+"\n---- html ----\n"+m.HTML+"\n")
			m.Title, m.Text, m.HTML = "", "", ""
			want := notify.Message{ID: batchID("labels:team=payments", t0), GroupKey: batchID("labels:team=payments", t0),
				Kind: notify.KindProblem, Severity: notify.SeverityCritical, Status: "down",
				URL: "https://picket.example.com/incidents", Time: t0.Add(2 * time.Second),
				Checks: []notify.Check{
					{ID: "ledger", Name: "Ledger", Status: "down", Reason: "connection refused"},
					{ID: "payouts", Name: "Payouts", Status: "degraded", Reason: "connection refused"}},
				Labels: map[string]string{"team": "payments"}}
			if diff := cmp.Diff(want, m); diff != "" {
				t.Errorf("grouped message (-want +got):\n%s", diff)
			}
		})
	}
	if len(ids) != 2 || ids[0] != ids[1] || !strings.HasPrefix(ids[0], "group/") {
		t.Errorf("ids %q: want two equal group/... ids", ids)
	}
}

// TestGrouperRetry checks that a grouped message that failed is tried
// again later with the same id, and that its members count as sent once
// it went out.
func TestGrouperRetry(t *testing.T) {
	g := grouper{groups: map[string]*group{}, sent: map[string]time.Time{}}
	keys := []string{"labels:team=payments"}
	admit := func(now time.Time, key string) verdict {
		c := candidate{keys: keys, open: keys[0], label: "with team=payments", held: held{key: key, incident: key, data: Data{Name: key}}}
		v, _ := g.admit(now, 10*time.Second, c, "hook")
		return v
	}
	steps := []struct {
		name    string
		now     time.Time
		key     string  // a notice to admit, if any
		verdict verdict // what admit must say
		fail    error   // how sending the due batches goes
		due     int     // how many batches are due
	}{
		{name: "first", now: t0, key: "a", verdict: sendNow},
		{name: "held", now: t0.Add(time.Second), key: "b", verdict: hold},
		{name: "window ends, send fails", now: t0.Add(10 * time.Second), fail: errOutbox, due: 1},
		{name: "not yet", now: t0.Add(10*time.Second + time.Millisecond)},
		{name: "retried, fails again", now: t0.Add(11 * time.Second), fail: errOutbox, due: 1},
		{name: "backing off", now: t0.Add(12 * time.Second)},
		{name: "retried, sent", now: t0.Add(13 * time.Second), due: 1},
		{name: "held one delivered again", now: t0.Add(14 * time.Second), key: "b", verdict: skip},
	}
	var ids []string
	for _, st := range steps {
		if st.key != "" {
			if v := admit(st.now, st.key); v != st.verdict {
				t.Errorf("%s: admit = %v, want %v", st.name, v, st.verdict)
			}
		}
		due := g.due(st.now, 10*time.Second)
		if len(due) != st.due {
			t.Fatalf("%s: %d batches due, want %d", st.name, len(due), st.due)
		}
		for _, b := range due {
			ids = append(ids, b.id)
			g.done(b, st.now, st.fail)
		}
	}
	want := batchID(keys[0], t0)
	if diff := cmp.Diff([]string{want, want, want}, ids); diff != "" {
		t.Errorf("batch ids (-want +got):\n%s", diff)
	}
}
