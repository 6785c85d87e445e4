package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/host"
)

// hostCommandsServer serves a registry that knows host web-1 and asks cmds
// for commands; the log goes to the buffer returned.
func hostCommandsServer(t *testing.T, cmds *hostCommands) (http.Handler, *host.Registry, *bytes.Buffer) {
	t.Helper()
	reg := host.NewRegistry(host.Options{Now: func() time.Time { return now }})
	reg.SetHosts([]string{"web-1"})
	logs := &bytes.Buffer{}
	h := api.New(api.Deps{Catalog: testChecks(), States: testStates(), History: &history{}, Hosts: reg,
		HostCommands: cmds, Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return now }})
	return h, reg, logs
}

// The errors of the agent side, as the bus and the Commander return them.
var (
	errOffline  = fmt.Errorf("asking agent web-1: %w", bus.ErrAgentOffline)
	errNoAnswer = fmt.Errorf("asking agent web-1: %w", context.DeadlineExceeded)
	errRefused  = fmt.Errorf("wrapped: %w", &host.RefusedError{Command: "live", Reason: `bad duration "x"`})
	errGarbage  = errors.New(`agent web-1 answered "live" with something that is not a reply: invalid character`)
)

// The error replies shared by both endpoints.
const (
	offlineJSON  = `{"error": "the agent of host web-1 is not connected", "param": "id"}`
	noAnswerJSON = `{"error": "the agent of host web-1 did not answer in time", "param": "id"}`
	failedJSON   = `{"error": "asking the agent of host web-1 failed; see the server log", "param": "id"}`
	noHostJSON   = `{"error": "no host with id \"db-9\"", "param": "id"}`
	forJSON      = `{"error": "invalid field \"for\": want a duration from 1s to 10m, such as \"2m\"", "param": "for"}`
)

func TestHostLive(t *testing.T) {
	until := time.Date(2026, 11, 21, 21, 2, 0, 0, cet) // 20:02 UTC
	tests := []struct {
		name, target, body string
		err                error
		code               int
		want               string
		asked              time.Duration // 0: the agent is not asked
	}{
		{"no body", "/api/v1/hosts/web-1/live", "", nil, 200, `{"host": "web-1", "until": "2026-11-21T20:02:00Z"}`, 2 * time.Minute},
		{"empty object", "/api/v1/hosts/web-1/live", `{}`, nil, 200, `{"host": "web-1", "until": "2026-11-21T20:02:00Z"}`, 2 * time.Minute},
		{"for", "/api/v1/hosts/web-1/live", `{"for":"90s"}`, nil, 200, `{"host": "web-1", "until": "2026-11-21T20:02:00Z"}`, 90 * time.Second},
		{"shortest", "/api/v1/hosts/web-1/live", `{"for":"1s"}`, nil, 200, `{"host": "web-1", "until": "2026-11-21T20:02:00Z"}`, time.Second},
		{"longest", "/api/v1/hosts/web-1/live", `{"for":"10m"}`, nil, 200, `{"host": "web-1", "until": "2026-11-21T20:02:00Z"}`, 10 * time.Minute},
		{"too short", "/api/v1/hosts/web-1/live", `{"for":"999ms"}`, nil, 400, forJSON, 0},
		{"too long", "/api/v1/hosts/web-1/live", `{"for":"10m1s"}`, nil, 400, forJSON, 0},
		{"zero", "/api/v1/hosts/web-1/live", `{"for":"0s"}`, nil, 400, forJSON, 0},
		{"negative", "/api/v1/hosts/web-1/live", `{"for":"-2m"}`, nil, 400, forJSON, 0},
		{"not a duration", "/api/v1/hosts/web-1/live", `{"for":"soon"}`, nil, 400, forJSON, 0},
		{"unknown field", "/api/v1/hosts/web-1/live", `{"for":"2m","until":"tomorrow"}`, nil, 400,
			`{"error": "invalid field \"until\": unknown", "param": "body"}`, 0},
		{"wrong type", "/api/v1/hosts/web-1/live", `{"for":120}`, nil, 400,
			`{"error": "invalid field \"for\": want string, got number", "param": "body"}`, 0},
		{"not JSON", "/api/v1/hosts/web-1/live", `for=2m`, nil, 400,
			`{"error": "invalid body: JSON syntax error at byte 2", "param": "body"}`, 0},
		{"unknown host", "/api/v1/hosts/db-9/live", `{"for":"2m"}`, nil, 404, noHostJSON, 0},
		{"offline", "/api/v1/hosts/web-1/live", ``, errOffline, 503, offlineJSON, 2 * time.Minute},
		{"no answer", "/api/v1/hosts/web-1/live", ``, errNoAnswer, 504, noAnswerJSON, 2 * time.Minute},
		{"refused", "/api/v1/hosts/web-1/live", ``, errRefused, 502,
			`{"error": "the agent refused \"live\": bad duration \"x\"", "param": "id"}`, 2 * time.Minute},
		{"failed", "/api/v1/hosts/web-1/live", ``, errGarbage, 502, failedJSON, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds := &hostCommands{until: until, err: tt.err}
			h, _, _ := hostCommandsServer(t, cmds)
			expectPost(t, h, tt.target, tt.body, tt.code, tt.want)
			var want []hostCommand
			if tt.asked != 0 {
				want = []hostCommand{{Cmd: "live", Host: "web-1", For: tt.asked, Bounded: true}}
			}
			if diff := cmp.Diff(want, cmds.calls()); diff != "" {
				t.Errorf("commands (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostProcessesRefresh(t *testing.T) {
	tests := []struct {
		name, target string
		err          error
		code         int
		want         string // "": as GET /api/v1/hosts/web-1/processes
		asked        bool
	}{
		{"ok", "/api/v1/hosts/web-1/processes/refresh", nil, 200, "", true},
		{"unknown host", "/api/v1/hosts/db-9/processes/refresh", nil, 404, noHostJSON, false},
		{"offline", "/api/v1/hosts/web-1/processes/refresh", errOffline, 503, offlineJSON, true},
		{"no answer", "/api/v1/hosts/web-1/processes/refresh", errNoAnswer, 504, noAnswerJSON, true},
		{"refused", "/api/v1/hosts/web-1/processes/refresh",
			&host.RefusedError{Command: "processes", Reason: "the process collector is disabled on this agent"}, 502,
			`{"error": "the agent refused \"processes\": the process collector is disabled on this agent", "param": "id"}`, true},
		{"failed", "/api/v1/hosts/web-1/processes/refresh", errGarbage, 502, failedJSON, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmds := &hostCommands{err: tt.err}
			h, reg, _ := hostCommandsServer(t, cmds)
			nginx := collector.Process{PID: 812, PPID: 1, Name: "nginx", Cmdline: "nginx: master process",
				User: "root", State: "sleeping", Threads: 1, OpenFiles: -1, Start: now.Add(-time.Hour)}
			reg.Procs("web-1", host.Procs{Time: now, Table: []collector.Process{nginx}})
			cmds.table, _ = reg.Processes("web-1")
			want := tt.want
			if want == "" {
				_, _, got := get(t, h, "/api/v1/hosts/web-1/processes")
				want = mustJSON(t, got)
			}
			expectPost(t, h, tt.target, "", tt.code, want)
			var asked []hostCommand
			if tt.asked {
				asked = []hostCommand{{Cmd: "processes", Host: "web-1", Bounded: true}}
			}
			if diff := cmp.Diff(asked, cmds.calls()); diff != "" {
				t.Errorf("commands (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostProcessesRefreshBody(t *testing.T) {
	cmds := &hostCommands{table: host.ProcessTable{Host: "web-1", Time: &now, Processes: []collector.Process{{
		PID: 812, PPID: 1, Name: "nginx", Cmdline: "nginx: master process /usr/sbin/nginx", User: "root",
		State: "sleeping", CPUPercent: 0.1, RSS: 8421376, Threads: 1, OpenFiles: 12,
		Start: time.Date(2026, 11, 20, 6, 12, 44, 0, time.UTC)}}}}
	h, _, _ := hostCommandsServer(t, cmds)
	expectPost(t, h, "/api/v1/hosts/web-1/processes/refresh", "", 200, `{"host": "web-1", "time": "2026-11-21T20:00:00Z", "processes": [
	  {"pid": 812, "ppid": 1, "name": "nginx", "cmdline": "nginx: master process /usr/sbin/nginx",
	   "user": "root", "state": "sleeping", "cpu_percent": 0.1, "rss_bytes": 8421376, "threads": 1,
	   "open_files": 12, "start": "2026-11-20T06:12:44Z"}]}`)
}

func TestHostCommandsLogFailures(t *testing.T) {
	h, _, logs := hostCommandsServer(t, &hostCommands{err: errGarbage})
	expectPost(t, h, "/api/v1/hosts/web-1/live", "", 502, failedJSON)
	for _, want := range []string{"level=WARN", "host=web-1", "cmd=live", "not a reply"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the log has no %q:\n%s", want, logs)
		}
	}
}

func TestHostCommandsUnserved(t *testing.T) {
	reg := host.NewRegistry(host.Options{})
	reg.SetHosts([]string{"web-1"})
	h := api.New(api.Deps{Catalog: testChecks(), States: testStates(), History: &history{}, Hosts: reg})
	for _, target := range []string{"/api/v1/hosts/web-1/live", "/api/v1/hosts/web-1/processes/refresh"} {
		code, body := post(t, h, target, "")
		if code != http.StatusNotFound || !strings.Contains(body, "no such endpoint") {
			t.Errorf("POST %s without HostCommands: %d %s, want 404", target, code, body)
		}
	}
}

// expectPost checks that POST target with body answers code with exactly
// the JSON want.
func expectPost(t *testing.T, h http.Handler, target, body string, code int, want string) {
	t.Helper()
	gotCode, got := post(t, h, target, body)
	if gotCode != code {
		t.Errorf("POST %s %s: %d, want %d", target, body, gotCode, code)
	}
	if diff := cmp.Diff(decode(t, want), decode(t, got)); diff != "" {
		t.Errorf("POST %s %s (-want +got):\n%s", target, body, diff)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
