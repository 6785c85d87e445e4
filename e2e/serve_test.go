package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

type checkView struct {
	ID, Status, Reason string
	Since              *time.Time
	LastCheck          *time.Time `json:"last_check"`
}

type eventView struct {
	Seq             uint64
	Check, From, To string
	Reason          string
}

// target is a local HTTP service that can be stopped and started again on
// the same port.
type target struct {
	t    *testing.T
	addr string

	mu  sync.Mutex // protects srv
	srv *http.Server
}

func newTarget(t *testing.T) *target {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tg := &target{t: t, addr: ln.Addr().String()}
	tg.serve(ln)
	t.Cleanup(tg.stop)
	return tg
}

func (tg *target) serve(ln net.Listener) {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	tg.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"status":"UP"}`)
	})}
	go tg.srv.Serve(ln)
}

func (tg *target) stop() {
	tg.mu.Lock()
	defer tg.mu.Unlock()
	if tg.srv != nil {
		tg.srv.Close()
		tg.srv = nil
	}
}

func (tg *target) start() {
	tg.t.Helper()
	ln, err := net.Listen("tcp", tg.addr)
	if err != nil {
		tg.t.Fatal(err)
	}
	tg.serve(ln)
}

func writeConfig(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (s *server) waitStatus(id, want string) checkView {
	s.t.Helper()
	var c checkView
	waitFor(s.t, 30*time.Second, id+" "+want, func() (bool, string) {
		if err := s.getJSON("/api/v1/checks/"+id, &c); err != nil {
			return false, err.Error()
		}
		return c.Status == want, c.Status + ": " + c.Reason
	})
	return c
}

func (s *server) events(check string) []eventView {
	s.t.Helper()
	var r struct{ Events []eventView }
	if err := s.getJSON("/api/v1/events?check="+check, &r); err != nil {
		s.t.Fatal(err)
	}
	return r.Events
}

func transitions(evs []eventView) string {
	var parts []string
	for _, e := range evs {
		parts = append(parts, e.From+">"+e.To)
	}
	return strings.Join(parts, " ")
}

// TestServeUpDownRestart is the end-to-end walk: a check goes up,
// its target stops and it goes down (state, event, PromQL), and a restart
// of Picket keeps state and history.
func TestServeUpDownRestart(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	cfgPath := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfgPath, fmt.Sprintf(`
checks:
  - id: web
    type: http
    target: http://%s/health
    interval: 1s
    expect: {status: [200], body_contains: UP}
`, tg.addr))
	data := filepath.Join(dir, "data")
	s := startServer(t, cfgPath, data)

	s.waitStatus("web", "up")
	tg.stop()
	down := s.waitStatus("web", "down")
	if !strings.Contains(down.Reason, "refused") {
		t.Errorf("down reason = %q, want it to say the connection was refused", down.Reason)
	}
	if got := transitions(s.events("web")); got != "unknown>up up>down" {
		t.Errorf("events = %q, want %q", got, "unknown>up up>down")
	}
	waitFor(t, 10*time.Second, "picket_probe_up 0", func() (bool, string) {
		v, err := s.promQuery(`picket_probe_up{check="web"}`)
		return err == nil && v["web"] == "0", fmt.Sprint(v, err)
	})

	s.stop()
	s2 := startServer(t, cfgPath, data)
	var again checkView
	if err := s2.getJSON("/api/v1/checks/web", &again); err != nil {
		t.Fatal(err)
	}
	if again.Status != "down" || again.Since == nil || !again.Since.Equal(*down.Since) {
		t.Errorf("after restart: status %s since %v, want down since %v", again.Status, again.Since, down.Since)
	}
	if got := transitions(s2.events("web")); !strings.HasPrefix(got, "unknown>up up>down") {
		t.Errorf("events after restart = %q, want the history kept", got)
	}
	v, err := s2.promQuery(`count_over_time(picket_probe_up{check="web"}[10m])`)
	if err != nil || v["web"] == "" || v["web"] == "0" {
		t.Errorf("history after restart: %v %v", v, err)
	}
	tg.start()
	s2.waitStatus("web", "up")
}

// TestReload adds a check by editing the file, then writes a broken file
// and sees the running config kept.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	tg := newTarget(t)
	cfgPath := filepath.Join(dir, "picket.yaml")
	one := fmt.Sprintf("checks:\n  - {id: a, type: tcp, target: %q, interval: 1s}\n", tg.addr)
	writeConfig(t, cfgPath, one)
	s := startServer(t, cfgPath, filepath.Join(dir, "data"))
	first := s.waitStatus("a", "up")

	two := one + fmt.Sprintf("  - {id: b, type: http, target: \"http://%s/\", interval: 1s}\n", tg.addr)
	writeConfig(t, cfgPath, two)
	s.waitStatus("b", "up")
	var kept checkView
	if err := s.getJSON("/api/v1/checks/a", &kept); err != nil {
		t.Fatal(err)
	}
	if !kept.Since.Equal(*first.Since) {
		t.Errorf("unchanged check a: since %v, want %v kept across reload", kept.Since, first.Since)
	}

	writeConfig(t, cfgPath, two+"  - {id: c, type: nosuch, target: x}\n")
	waitFor(t, 10*time.Second, "reload failure logged", func() (bool, string) {
		return s.logs.contains("config reload failed"), ""
	})
	var list struct{ Checks []checkView }
	if err := s.getJSON("/api/v1/checks", &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Checks) != 2 {
		t.Errorf("after a bad reload: %d checks, want the 2 running ones", len(list.Checks))
	}

	// SIGHUP reloads without any change to the file.
	writeConfig(t, cfgPath, two)
	waitFor(t, 10*time.Second, "the fixed file reloaded", func() (bool, string) {
		return s.logs.contains(`trigger="file changed" checks=2`), ""
	})
	if err := s.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 10*time.Second, "reload on SIGHUP", func() (bool, string) {
		return s.logs.contains(`trigger=SIGHUP checks=2 added=0 changed=0 removed=0`), ""
	})
}
