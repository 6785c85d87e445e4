package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// alertConfig is a config with one webhook channel as the default route
// and the given checks.
func alertConfig(hook, checks string) string {
	return fmt.Sprintf(`
channels:
  - {id: sink, type: webhook, url: %q}
default_route: {channels: [sink]}
checks:
%s`, hook, checks)
}

func (s *sink) waitKind(kind string, n int) []hookMsg {
	s.t.Helper()
	var got []hookMsg
	waitFor(s.t, 60*time.Second, fmt.Sprintf("%d %s notifications", n, kind), func() (bool, string) {
		got = s.delivered(kind)
		return len(got) >= n, fmt.Sprintf("%d delivered, %d failed", len(got), s.failed())
	})
	return got
}

// quiet fails the test if more than n notifications of kind arrive within
// d: a bounded look for a duplicate, not a timing assertion.
func (s *sink) quiet(kind string, n int, d time.Duration) {
	s.t.Helper()
	time.Sleep(d)
	if got := s.delivered(kind); len(got) != n {
		s.t.Errorf("%d %s notifications, want exactly %d: %+v", len(got), kind, n, got)
	}
}

func startAlerting(t *testing.T, hook *sink, checks string) (*server, string, string) {
	t.Helper()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfg, alertConfig(hook.URL, checks))
	data := filepath.Join(dir, "data")
	return startServer(t, cfg, data), cfg, data
}

// TestAlertOnceDownOnceUp: the target stops, exactly one DOWN; it starts
// again, exactly one UP that says how long it was down.
func TestAlertOnceDownOnceUp(t *testing.T) {
	tg, hook := newTarget(t), newSink(t)
	s, _, _ := startAlerting(t, hook, fmt.Sprintf("  - {id: web, name: Web shop, type: http, target: \"http://%s/\", interval: 1s}\n", tg.addr))
	s.waitStatus("web", "up")
	tg.stop()
	down := hook.waitKind("problem", 1)[0]
	if !strings.HasPrefix(down.Title, "DOWN: Web shop") || !strings.Contains(down.Title, "refused") {
		t.Errorf("problem title = %q", down.Title)
	}
	tg.start()
	up := hook.waitKind("recovery", 1)[0]
	if !strings.HasPrefix(up.Title, "UP: Web shop") || !strings.Contains(up.Title+up.Text, "after") {
		t.Errorf("recovery = %q / %q, want it to say how long it was down", up.Title, up.Text)
	}
	hook.quiet("", 2, 3*time.Second)
}

// TestAlertSurvivesKill: Picket is killed (SIGKILL) while the DOWN is on
// its way; after a restart the sink has it exactly once.
func TestAlertSurvivesKill(t *testing.T) {
	tg, hook := newTarget(t), newSink(t)
	hook.setMode(sinkHangFirst)
	s, cfg, data := startAlerting(t, hook, fmt.Sprintf("  - {id: web, type: http, target: \"http://%s/\", interval: 1s}\n", tg.addr))
	s.waitStatus("web", "up")
	tg.stop()
	select {
	case <-hook.hung:
	case <-time.After(60 * time.Second):
		t.Fatalf("no notification attempt\n%s", s.logs)
	}
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.done
	s.done <- nil
	hook.setMode(sinkOK)
	startServer(t, cfg, data)
	hook.waitKind("problem", 1)
	hook.quiet("problem", 1, 3*time.Second)
}

// TestAlertRidesOutSinkOutage: the sink answers 500 for 20 s; the DOWN
// arrives once after it recovers.
func TestAlertRidesOutSinkOutage(t *testing.T) {
	tg, hook := newTarget(t), newSink(t)
	s, _, _ := startAlerting(t, hook, fmt.Sprintf("  - {id: web, type: http, target: \"http://%s/\", interval: 1s}\n", tg.addr))
	s.waitStatus("web", "up")
	hook.setMode(sinkFail)
	tg.stop()
	waitFor(t, 60*time.Second, "a failed attempt", func() (bool, string) { return hook.failed() > 0, "" })
	time.Sleep(20 * time.Second) // the outage the issue asks for
	hook.setMode(sinkOK)
	hook.waitKind("problem", 1)
	hook.quiet("problem", 1, 3*time.Second)
}

// TestAlertParentAndChildren: a parent and five checks that depend on it
// fail together: one notification, the parent's, naming the children.
func TestAlertParentAndChildren(t *testing.T) {
	hook := newSink(t)
	router := newTarget(t)
	var checks strings.Builder
	fmt.Fprintf(&checks, "  - {id: router, type: tcp, target: %q, interval: 1s}\n", router.addr)
	var apps []*target
	for i := range 5 {
		app := newTarget(t)
		apps = append(apps, app)
		fmt.Fprintf(&checks, "  - {id: app%d, type: http, target: \"http://%s/\", interval: 1s, depends_on: [router]}\n", i, app.addr)
	}
	s, _, _ := startAlerting(t, hook, checks.String())
	for i := range 5 {
		s.waitStatus(fmt.Sprintf("app%d", i), "up")
	}
	router.stop()
	for _, a := range apps {
		a.stop()
	}
	got := hook.waitKind("", 1)
	if got[0].Kind != "problem" || !strings.Contains(got[0].Title, "router") {
		t.Errorf("first notification = %+v, want the router's", got[0])
	}
	hook.quiet("", 1, 12*time.Second) // past the 10 s grouping window
	if text := got[0].Text; !strings.Contains(text, "app0") || !strings.Contains(text, "app4") {
		t.Errorf("the router's notification does not name its unreachable children: %q", text)
	}
}

// TestAlertFromPromQLRule: a PromQL alerting rule fires through the same
// incidents and channels as checks, and resolves when its condition ends.
func TestAlertFromPromQLRule(t *testing.T) {
	tg, hook := newTarget(t), newSink(t)
	checks := fmt.Sprintf("  - {id: web, type: http, target: \"http://%s/\", interval: 1s}\n", tg.addr)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfg, alertConfig(hook.URL, checks)+`
rules:
  interval: 1s
  alerts:
    - id: web-unanswered
      expr: picket_probe_up{check="web"} == 0
      severity: critical
      annotations: {summary: "web does not answer"}
`)
	s := startServer(t, cfg, filepath.Join(dir, "data"))
	s.waitStatus("web", "up")
	tg.stop()
	var fromRule *hookMsg
	waitFor(t, 30*time.Second, "the rule's DOWN", func() (bool, string) {
		for _, m := range hook.delivered("problem") {
			if len(m.Checks) > 0 && strings.HasPrefix(m.Checks[0].ID, "rule-web-unanswered") {
				fromRule = &m
				return true, ""
			}
		}
		return false, fmt.Sprint(hook.delivered(""))
	})
	if !strings.Contains(fromRule.Title, "web-unanswered") && !strings.Contains(fromRule.Text+fromRule.Title, "does not answer") {
		t.Errorf("rule notification = %q / %q", fromRule.Title, fromRule.Text)
	}
	tg.start()
	waitFor(t, 30*time.Second, "the rule's UP", func() (bool, string) {
		for _, m := range hook.delivered("recovery") {
			if len(m.Checks) > 0 && strings.HasPrefix(m.Checks[0].ID, "rule-web-unanswered") {
				return true, ""
			}
		}
		return false, fmt.Sprint(hook.delivered(""))
	})
}
