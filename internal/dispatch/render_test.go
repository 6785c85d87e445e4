package dispatch

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// kindCases are notices of every kind with the title each must get.
func kindCases() []struct {
	name  string
	n     incident.Notice
	title string
} {
	open := problem("billing-api", t0)
	degraded := problem("billing-api", t0)
	degraded.Incident.Status, degraded.Incident.Severity = probe.StatusDegraded, notify.SeverityWarning
	degraded.Incident.Reason = "latency 512ms over 300ms"
	children := problem("edge-router", t0)
	children.Children = []string{"app-1", "app-2", "gone"}
	unmuted := problem("billing-api", t0)
	unmuted.Step, unmuted.Time, unmuted.Downtime = "unmuted", t0.Add(2*time.Hour), 2*time.Hour
	unmuted.Incident.Muted = &mute.Reason{Kind: mute.KindMaintenance, ID: "sunday-patching"}
	remind := reminder(2, 3, 30*time.Minute)
	remind.Incident.Timeline = []incident.Entry{{Time: t0.Add(time.Minute), Kind: incident.EntryNote, Text: "restarting the pods", By: "bob"}}
	manual := recovery("billing-api", t0, 12*time.Minute)
	manual.By, manual.Comment = "alice", "fixed the firewall"
	ack := incident.Notice{Kind: notify.KindAck, Step: "ack", Incident: openIncident("billing-api", t0),
		Time: t0.Add(5 * time.Minute), Downtime: 5 * time.Minute, By: "alice", Comment: "looking"}
	ack.Incident.Acknowledged, ack.Incident.AckedBy = ack.Time, "alice"
	flap := incident.Notice{Kind: notify.KindFlapping, Step: "flap-start", Incident: incident.Incident{Check: "search", Status: probe.StatusUp},
		Flap: &incident.Flap{ID: "flp-1", Check: "search", Since: t0}, Time: t0}
	stable := flap
	stable.Kind, stable.Step, stable.Time = notify.KindStable, "flap-stop", t0.Add(25*time.Minute)
	stableDown := stable
	stableDown.Incident = openIncident("search", t0.Add(20*time.Minute))
	return []struct {
		name  string
		n     incident.Notice
		title string
	}{
		{"problem", open, "DOWN: Billing API — connection refused"},
		{"problem-degraded", degraded, "DEGRADED: Billing API — latency 512ms over 300ms"},
		{"problem-children", children, "DOWN: Edge Router — connection refused"},
		{"problem-unmuted", unmuted, "DOWN: Billing API — connection refused"},
		{"reminder", remind, "STILL DOWN: Billing API — down for 30m (reminder 2 of 3)"},
		{"reminder-last", reminder(3, 3, time.Hour), "STILL DOWN: Billing API — down for over 1h (reminder 3 of 3, no more reminders)"},
		{"recovery", recovery("billing-api", t0, 12*time.Minute), "UP: Billing API — back after 12m (was down since 20:00 UTC)"},
		{"recovery-days", recovery("billing-api", t0, 50*time.Hour), "UP: Billing API — back after 2d2h (was down since Mar 1 20:00 UTC)"},
		{"recovery-manual", manual, "RESOLVED: Billing API — by alice after 12m (was down since 20:00 UTC)"},
		{"ack", ack, "ACK: Billing API — by alice"},
		{"flapping", flap, "FLAPPING: Search — changed 9 times in the last 21 checks; per-change alerts paused"},
		{"stable", stable, "STABLE: Search — status settled at up"},
		{"stable-down", stableDown, "STABLE: Search — status settled at down"},
	}
}

func reminder(k, of int, down time.Duration) incident.Notice {
	return incident.Notice{Kind: notify.KindReminder, Step: "remind-" + string(rune('0'+k)), Incident: openIncident("billing-api", t0),
		Time: t0.Add(down), Downtime: down, Reminder: k, Reminders: of, Last: k == of}
}

// TestDefaultTemplates renders a notice of each kind and compares the title
// with the table and the text and HTML with testdata/render/<name>.txt.
func TestDefaultTemplates(t *testing.T) {
	for _, tc := range kindCases() {
		t.Run(tc.name, func(t *testing.T) {
			s := &fakeSender{}
			deps := testDeps(s, nil)
			deps.FlapStats = func(string) (int, int) { return 9, 21 }
			d := newDispatcher(t, catchAll(), deps)
			if err := d.Dispatch(context.Background(), tc.n); err != nil {
				t.Fatalf("Dispatch: %v", err)
			}
			got := s.take()
			if len(got) != 1 {
				t.Fatalf("sent %d messages, want 1", len(got))
			}
			m := got[0].Msg
			if m.Title != tc.title {
				t.Errorf("title\n got: %s\nwant: %s", m.Title, tc.title)
			}
			golden(t, filepath.Join("testdata", "render", tc.name+".txt"), m.Text+"\n---- html ----\n"+m.HTML+"\n")
		})
	}
}

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

// TestMessageFields checks the fields of a message beside its text.
func TestMessageFields(t *testing.T) {
	base := catchAll()
	noURL := catchAll()
	noURL.URL = ""
	flap := kindCases()[10].n
	tests := []struct {
		name string
		cfg  Config
		n    incident.Notice
		want notify.Message
	}{
		{"problem", base, problem("billing-api", t0), notify.Message{
			ID: "inc-billing-api/open", GroupKey: "inc-billing-api", Kind: notify.KindProblem,
			Severity: notify.SeverityCritical, Status: "down", URL: "https://picket.example.com/incidents/inc-billing-api",
			Time: t0.Add(time.Second), Labels: testChecks["billing-api"].Labels,
			Checks: []notify.Check{{ID: "billing-api", Name: "Billing API", Target: "https://billing.example.com/health",
				Status: "down", Reason: "connection refused"}}}},
		{"recovery is info and up, no base URL", noURL, recovery("search", t0, time.Minute), notify.Message{
			ID: "inc-search/resolve", GroupKey: "inc-search", Kind: notify.KindRecovery, Severity: notify.SeverityInfo,
			Status: "up", Time: t0.Add(time.Minute), Labels: testChecks["search"].Labels,
			Checks: []notify.Check{{ID: "search", Name: "Search", Status: "up", Reason: "connection refused"}}}},
		{"flap keyed by flap id", base, flap, notify.Message{
			ID: "flp-1/flap-start", GroupKey: "flp-1", Kind: notify.KindFlapping, Severity: notify.SeverityWarning,
			Status: "up", Time: t0, Labels: testChecks["search"].Labels,
			Checks: []notify.Check{{ID: "search", Name: "Search", Status: "up"}}}},
		{"unknown check, password in target hidden", base, problem("db", t0), notify.Message{
			ID: "inc-db/open", GroupKey: "inc-db", Kind: notify.KindProblem, Severity: notify.SeverityCritical,
			Status: "down", URL: "https://picket.example.com/incidents/inc-db", Time: t0.Add(time.Second),
			Checks: []notify.Check{{ID: "db", Name: "DB", Target: "postgres://picket:xxxxx@db.internal:5432/app",
				Status: "down", Reason: "connection refused"}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := &fakeSender{}
			d := newDispatcher(t, tc.cfg, testDeps(s, nil))
			if err := d.Dispatch(context.Background(), tc.n); err != nil {
				t.Fatalf("Dispatch: %v", err)
			}
			got := s.take()
			if len(got) != 1 {
				t.Fatalf("sent %d messages, want 1", len(got))
			}
			m := got[0].Msg
			m.Title, m.Text, m.HTML = "", "", ""
			if diff := cmp.Diff(tc.want, m); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if strings.Contains(got[0].Msg.Text, "hunter2") || strings.Contains(got[0].Msg.HTML, "hunter2") {
				t.Errorf("the target's password is in the message")
			}
		})
	}
}

// TestCustomTemplates checks configured templates, their failure at load,
// and the fallback to the default when one fails at render time.
func TestCustomTemplates(t *testing.T) {
	muted := problem("billing-api", t0)
	muted.Incident.Muted = &mute.Reason{Kind: mute.KindSilence, ID: "s1"}
	tests := []struct {
		name      string
		tpl       Templates
		n         incident.Notice
		loadErr   string // substring of New's error; "" for none
		title     string
		text      string
		renderErr bool
	}{
		{name: "custom title and text", tpl: Templates{Title: "{{upper .Status}} {{.Name}} ({{.Severity}})", Text: "{{.Reason}} via {{.Node}}"},
			n: problem("billing-api", t0), title: "DOWN Billing API (critical)", text: "connection refused via node-a"},
		{name: "title cut to one line", tpl: Templates{Title: "{{.Name}}\n{{.Reason}}"},
			n: problem("billing-api", t0), title: "Billing API connection refused",
			text: "Down since 2026-03-01 20:00:03 UTC (1s ago), checked from node-a.\nTarget: https://billing.example.com/health\nhttps://picket.example.com/incidents/inc-billing-api"},
		{name: "parse error", tpl: Templates{Title: "{{.Name"}, loadErr: "templates.title: template: title:1: unclosed action"},
		{name: "unknown field", tpl: Templates{Text: "{{.Nope}}"}, loadErr: "templates.text: template: text:1:2: executing \"text\" at <.Nope>: can't evaluate field Nope"},
		{name: "html parse error", tpl: Templates{HTML: "{{if}}"}, loadErr: "templates.html: template: html:1: missing value for if"},
		{name: "fails at render: default used", tpl: Templates{Title: "{{.Incident.Muted.Kind}}: {{.Name}}"},
			n: problem("billing-api", t0), title: "DOWN: Billing API — connection refused", renderErr: true,
			text: "Down since 2026-03-01 20:00:03 UTC (1s ago), checked from node-a.\nTarget: https://billing.example.com/health\nhttps://picket.example.com/incidents/inc-billing-api"},
		{name: "same template works when it can", tpl: Templates{Title: "{{.Incident.Muted.Kind}}: {{.Name}}"},
			n: unmutedOf(muted), title: "silence: Billing API",
			text: "Down since 2026-03-01 20:00:03 UTC (1s ago), checked from node-a.\nHeld back until now: muted by silence s1.\nTarget: https://billing.example.com/health\nhttps://picket.example.com/incidents/inc-billing-api"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := catchAll()
			cfg.Templates = tc.tpl
			s := &fakeSender{}
			d, err := New(cfg, testDeps(s, nil))
			if tc.loadErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.loadErr) {
					t.Fatalf("New: got %v, want an error containing %q", err, tc.loadErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			err = d.Dispatch(context.Background(), tc.n)
			if got := errors.Is(err, ErrRender); got != tc.renderErr || errors.Is(err, ErrSend) {
				t.Errorf("Dispatch: %v, want ErrRender %v", err, tc.renderErr)
			}
			got := s.take()
			if len(got) != 1 {
				t.Fatalf("sent %d messages, want 1 (never drop one)", len(got))
			}
			if got[0].Msg.Title != tc.title || got[0].Msg.Text != tc.text {
				t.Errorf("got title %q text %q\nwant title %q text %q", got[0].Msg.Title, got[0].Msg.Text, tc.title, tc.text)
			}
		})
	}
}

func unmutedOf(n incident.Notice) incident.Notice {
	n.Step = "unmuted"
	return n
}

// TestHTMLEscaping checks that names, reasons and comments from outside
// are escaped in the HTML part and left alone in the text.
func TestHTMLEscaping(t *testing.T) {
	s := &fakeSender{}
	deps := testDeps(s, nil)
	deps.Check = func(string) (CheckInfo, bool) {
		return CheckInfo{Name: `<b>Bad & "Co"</b>`, Target: `http://x/?a=<script>`}, true
	}
	d := newDispatcher(t, catchAll(), deps)
	n := problem("evil", t0)
	n.Incident.Reason = `<script>alert(1)</script>`
	n.Incident.ID = `inc-"><script>`
	if err := d.Dispatch(context.Background(), n); err != nil {
		t.Fatalf("Dispatch: %v", err)
	}
	m := s.take()[0].Msg
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>") {
		t.Errorf("HTML not escaped: %s", m.HTML)
	}
	for _, want := range []string{"&lt;script&gt;", `href="https://picket.example.com/incidents/inc-%22%3e%3cscript%3e"`} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("HTML lacks %s: %s", want, m.HTML)
		}
	}
	if want := `DOWN: <b>Bad & "Co"</b> — <script>alert(1)</script>`; m.Title != want {
		t.Errorf("title %q, want %q (plain text, not escaped)", m.Title, want)
	}
}

// TestCutTitle checks that titles stay on one line of MaxTitle runes.
func TestCutTitle(t *testing.T) {
	long := strings.Repeat("word ", 40)
	tests := []struct{ name, in, want string }{
		{"short", "DOWN: a — b", "DOWN: a — b"},
		{"lines joined", "DOWN:\n a\t— b ", "DOWN: a — b"},
		{"cut at a word", long, strings.TrimSpace(strings.Repeat("word ", 23)) + "…"},
		{"no space to cut at", strings.Repeat("é", 130), strings.Repeat("é", 119) + "…"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := cutTitle(tc.in)
			if got != tc.want {
				t.Errorf("cutTitle = %q, want %q", got, tc.want)
			}
			if n := len([]rune(got)); n > MaxTitle {
				t.Errorf("%d runes, want at most %d", n, MaxTitle)
			}
		})
	}
}
