package host_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent"
	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/host"
)

// requester is a fake agent connection: it records each request and
// answers with reply, or fails with err. It answers nothing once ctx has
// ended, as the bus does.
type requester struct {
	reply string
	err   error

	mu   sync.Mutex // protects the fields below
	ids  []string
	sent []string
}

func (r *requester) AgentRequest(ctx context.Context, id string, payload []byte) ([]byte, error) {
	r.mu.Lock()
	r.ids = append(r.ids, id)
	r.sent = append(r.sent, string(payload))
	r.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("asking agent %s: %w", id, err)
	}
	if r.err != nil {
		return nil, r.err
	}
	return []byte(r.reply), nil
}

// requests returns the agent ids asked and the requests sent, in order.
func (r *requester) requests() (ids, sent []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ids, r.sent
}

func TestCommanderSends(t *testing.T) {
	tests := []struct {
		name string
		call func(context.Context, *host.Commander) error
		want string
	}{
		{"live", func(ctx context.Context, c *host.Commander) error {
			_, err := c.Live(ctx, "web-1", 2*time.Minute)
			return err
		}, `{"v":1,"cmd":"live","args":{"for":"2m0s"}}`},
		{"live fraction", func(ctx context.Context, c *host.Commander) error {
			_, err := c.Live(ctx, "web-1", 1500*time.Millisecond)
			return err
		}, `{"v":1,"cmd":"live","args":{"for":"1.5s"}}`},
		{"processes", func(ctx context.Context, c *host.Commander) error {
			_, err := c.Processes(ctx, "web-1")
			return err
		}, `{"v":1,"cmd":"processes"}`},
		{"action", func(ctx context.Context, c *host.Commander) error {
			_, err := c.Action(ctx, "web-1", "restart-nginx")
			return err
		}, `{"v":1,"cmd":"action","args":{"name":"restart-nginx"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &requester{reply: `{"v":1,"ok":true}`}
			if err := tt.call(t.Context(), host.NewCommander(req, nil)); err != nil {
				t.Fatal(err)
			}
			ids, sent := req.requests()
			if diff := cmp.Diff([]string{"web-1"}, ids); diff != "" {
				t.Errorf("agents asked (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{tt.want}, sent); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

// Kinds of error a command may end with.
const (
	errNone     = ""
	errRefused  = "refused"
	errOffline  = "offline"
	errDeadline = "deadline"
	errOther    = "other"
)

// checkErr checks that err is of kind, and, for errRefused, that it is
// want.
func checkErr(t *testing.T, err error, kind string, want *host.RefusedError) {
	t.Helper()
	var refused *host.RefusedError
	got := errNone
	switch {
	case err == nil:
	case errors.As(err, &refused):
		got = errRefused
	case errors.Is(err, host.ErrOffline):
		got = errOffline
	case errors.Is(err, context.DeadlineExceeded):
		got = errDeadline
	default:
		got = errOther
	}
	if got != kind {
		t.Fatalf("error %v is %q, want %q", err, got, kind)
	}
	if kind == errRefused {
		if diff := cmp.Diff(want, refused); diff != "" {
			t.Errorf("refusal (-want +got):\n%s", diff)
		}
		if !strings.Contains(err.Error(), want.Reason) {
			t.Errorf("error %q does not give the reason %q", err, want.Reason)
		}
	}
}

// answer is how the fake agent answers a case of TestCommanderReplies.
type answer struct {
	reply   string
	err     error
	expired bool // the caller's context has ended before the request
}

func (a answer) run(t *testing.T) (*requester, context.Context) {
	t.Helper()
	ctx := t.Context()
	if a.expired {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, time.Unix(0, 0))
		t.Cleanup(cancel)
	}
	return &requester{reply: a.reply, err: a.err}, ctx
}

var offline = fmt.Errorf("asking agent web-1: %w", bus.ErrAgentOffline)

func TestCommanderLiveReplies(t *testing.T) {
	until := time.Date(2026, 11, 21, 8, 2, 0, 0, time.UTC)
	tests := []struct {
		name    string
		answer  answer
		want    time.Time
		kind    string
		refusal *host.RefusedError
	}{
		{"ok", answer{reply: `{"v":1,"ok":true,"data":{"until":"2026-11-21T08:02:00Z"}}`}, until, errNone, nil},
		{"refused", answer{reply: `{"v":1,"ok":false,"error":"bad duration \"x\""}`}, time.Time{}, errRefused,
			&host.RefusedError{Command: "live", Reason: `bad duration "x"`}},
		{"refused without reason", answer{reply: `{"v":1,"ok":false}`}, time.Time{}, errRefused,
			&host.RefusedError{Command: "live", Reason: "no reason given"}},
		{"garbage", answer{reply: `no JSON here`}, time.Time{}, errOther, nil},
		{"bad data", answer{reply: `{"v":1,"ok":true,"data":{"until":42}}`}, time.Time{}, errOther, nil},
		{"offline", answer{err: offline}, time.Time{}, errOffline, nil},
		{"no answer in time", answer{expired: true}, time.Time{}, errDeadline, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, ctx := tt.answer.run(t)
			got, err := host.NewCommander(req, nil).Live(ctx, "web-1", time.Minute)
			checkErr(t, err, tt.kind, tt.refusal)
			if !got.Equal(tt.want) {
				t.Errorf("until = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCommanderActionReplies(t *testing.T) {
	ran := `"data":{"name":"restart","exit_code":3,"output":"boom\n","truncated":true,"duration_seconds":0.25}`
	tests := []struct {
		name    string
		answer  answer
		want    proto.ActionResult
		kind    string
		refusal *host.RefusedError
	}{
		{"ok", answer{reply: `{"v":1,"ok":true,"data":{"name":"restart","exit_code":0,"output":"done\n","duration_seconds":1.5}}`},
			proto.ActionResult{Name: "restart", Output: "done\n", Seconds: 1.5}, errNone, nil},
		{"ran and failed", answer{reply: `{"v":1,"ok":false,"error":"exited with code 3",` + ran + `}`},
			proto.ActionResult{Name: "restart", ExitCode: 3, Output: "boom\n", Truncated: true, Seconds: 0.25},
			errRefused, &host.RefusedError{Command: "action", Reason: "exited with code 3"}},
		{"not in the agent's config", answer{reply: `{"v":1,"ok":false,"error":"action \"restart\" is not in this agent's config"}`},
			proto.ActionResult{}, errRefused,
			&host.RefusedError{Command: "action", Reason: `action "restart" is not in this agent's config`}},
		{"refused without reason", answer{reply: `{"v":1,"ok":false,"error":""}`}, proto.ActionResult{}, errRefused,
			&host.RefusedError{Command: "action", Reason: "no reason given"}},
		{"garbage", answer{reply: `{"v":1,"ok":tru`}, proto.ActionResult{}, errOther, nil},
		{"offline", answer{err: offline}, proto.ActionResult{}, errOffline, nil},
		{"no answer in time", answer{expired: true}, proto.ActionResult{}, errDeadline, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, ctx := tt.answer.run(t)
			got, err := host.NewCommander(req, nil).Action(ctx, "web-1", "restart")
			checkErr(t, err, tt.kind, tt.refusal)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
		})
	}
}

// tableReply is an agent's answer to "processes" with table (JSON).
func tableReply(at time.Time, table string) string {
	return fmt.Sprintf(`{"v":1,"ok":true,"data":{"time":%q,"table":%s}}`, at.Format(time.RFC3339Nano), table)
}

func TestCommanderProcessesReplies(t *testing.T) {
	nginx := proc(30, "nginx", t0.Add(-time.Hour))
	tests := []struct {
		name    string
		answer  answer
		want    host.ProcessTable
		kind    string
		refusal *host.RefusedError
	}{
		{"ok", answer{reply: tableReply(t0, `[{"pid":30,"ppid":1,"name":"nginx","cmdline":"/usr/bin/nginx","user":"root",`+
			`"state":"sleeping","start":"2026-11-21T07:00:00Z"}]`)},
			host.ProcessTable{Host: "web-1", Time: ptr(t0), Processes: []collector.Process{nginx}}, errNone, nil},
		{"empty table", answer{reply: tableReply(t0, `null`)},
			host.ProcessTable{Host: "web-1", Time: ptr(t0), Processes: []collector.Process{}}, errNone, nil},
		{"collector disabled", answer{reply: `{"v":1,"ok":false,"error":"the process collector is disabled on this agent"}`},
			host.ProcessTable{}, errRefused,
			&host.RefusedError{Command: "processes", Reason: "the process collector is disabled on this agent"}},
		{"refused without reason", answer{reply: `{"v":1,"ok":false}`}, host.ProcessTable{}, errRefused,
			&host.RefusedError{Command: "processes", Reason: "no reason given"}},
		{"garbage", answer{reply: `<html>`}, host.ProcessTable{}, errOther, nil},
		{"bad data", answer{reply: `{"v":1,"ok":true,"data":{"table":{}}}`}, host.ProcessTable{}, errOther, nil},
		{"offline", answer{err: offline}, host.ProcessTable{}, errOffline, nil},
		{"no answer in time", answer{expired: true}, host.ProcessTable{}, errDeadline, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, ctx := tt.answer.run(t)
			got, err := host.NewCommander(req, nil).Processes(ctx, "web-1")
			checkErr(t, err, tt.kind, tt.refusal)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("table (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommanderProcessesRecords(t *testing.T) {
	r, _ := newRegistry(t, host.Options{})
	boot := t0.Add(-time.Hour)
	r.Procs("web-1", host.Procs{Time: t0.Add(-time.Minute), Table: []collector.Process{proc(99, "old", boot)}})
	long := proc(20, "java", boot)
	long.Cmdline = "java " + strings.Repeat("-Dx=y ", 1000)
	req := &requester{reply: tableReply(t0, `[`+
		`{"pid":30,"name":"nginx","start":"2026-11-21T07:00:00Z"},`+
		`{"pid":1,"name":"init","start":"2026-11-21T07:00:00Z"},`+
		`{"pid":20,"name":"java","cmdline":"`+long.Cmdline+`","start":"2026-11-21T07:00:00Z"}]`)}
	c := host.NewCommander(req, r)

	got, err := c.Processes(t.Context(), "web-1")
	if err != nil {
		t.Fatal(err)
	}
	kept, ok := r.Processes("web-1")
	if !ok {
		t.Fatal("the host is not in the registry")
	}
	if diff := cmp.Diff(kept, got); diff != "" {
		t.Errorf("the table returned is not the one recorded (-recorded +returned):\n%s", diff)
	}
	if diff := cmp.Diff([]int{1, 20, 30}, pids(kept)); diff != "" {
		t.Errorf("pids (-want +got):\n%s", diff)
	}
	if kept.Time == nil || !kept.Time.Equal(t0) {
		t.Errorf("time = %v, want %v", kept.Time, t0)
	}
	if n := len(kept.Processes[1].Cmdline); n != host.MaxCmdline {
		t.Errorf("the long command line kept is %d bytes, want %d", n, host.MaxCmdline)
	}

	// An empty table replaces the one kept; a refusal leaves it alone.
	req.reply = tableReply(t0.Add(time.Second), `[]`)
	if _, err := c.Processes(t.Context(), "web-1"); err != nil {
		t.Fatal(err)
	}
	req.reply = `{"v":1,"ok":false,"error":"reading the process table: no /proc"}`
	if _, err := c.Processes(t.Context(), "web-1"); err == nil {
		t.Fatal("a refusal is not an error")
	}
	kept, _ = r.Processes("web-1")
	want := host.ProcessTable{Host: "web-1", Time: ptr(t0.Add(time.Second)), Processes: []collector.Process{}}
	if diff := cmp.Diff(want, kept); diff != "" {
		t.Errorf("table after an empty one and a refusal (-want +got):\n%s", diff)
	}
}

// startAgent runs a real bus listening on loopback and a real agent with
// id web-1 connected to it, both stopped when the test ends, and returns
// the bus.
func startAgent(t *testing.T) *bus.Bus {
	t.Helper()
	dir := t.TempDir()
	pub, err := agent.GenerateKey(filepath.Join(dir, "agent.seed"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	b, err := bus.Start(ctx, bus.Options{DataDir: filepath.Join(dir, "bus"), Listen: "127.0.0.1:0",
		ResultsMaxBytes: 64 << 20, Logger: logger, Agents: []bus.AgentUser{{ID: "web-1", PublicKey: pub}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("closing the bus: %v", err)
		}
	})
	cfg := fmt.Sprintf(`id: web-1
servers: [%s]
key_file: agent.seed
spool_dir: spool
actions:
  - {name: say-ok, command: [/bin/echo, ok]}
  - {name: fail, command: [/bin/sh, -c, "echo boom; exit 3"]}
`, b.ClientURL())
	path := filepath.Join(dir, "agent.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	runAgent(t, path, logger)
	return b
}

// runAgent runs the agent of the config at path until the test ends.
func runAgent(t *testing.T, path string, logger *slog.Logger) {
	t.Helper()
	cfg, err := agent.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- agent.Run(ctx, agent.Options{Config: cfg, Logger: logger, Version: "test"}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("agent.Run: %v", err)
		}
	})
}

// liveWhenConnected asks for live mode for d until the agent is
// connected, and returns the time around the answer.
func liveWhenConnected(t *testing.T, c *host.Commander, d time.Duration) (before, until, after time.Time) {
	t.Helper()
	for range 400 { // 20 s
		before = time.Now()
		until, err := c.Live(t.Context(), "web-1", d)
		if !errors.Is(err, host.ErrOffline) {
			if err != nil {
				t.Fatalf("live: %v", err)
			}
			return before, until, time.Now()
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the agent did not connect")
	return
}

// TestCommanderWithAgent runs the commands against a real agent over a
// real bus: the request and reply formats of both sides agree.
func TestCommanderWithAgent(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a bus and an agent")
	}
	r := host.NewRegistry(host.Options{})
	c := host.NewCommander(startAgent(t), r)

	before, until, after := liveWhenConnected(t, c, 90*time.Second)
	// The agent's clock is this machine's: until is 90 s after a time
	// within the call.
	if until.Before(before.Add(90*time.Second)) || until.After(after.Add(90*time.Second)) {
		t.Errorf("live until %v, want 90 s after a time from %v to %v", until, before, after)
	}
	_, until, after = liveWhenConnected(t, c, time.Hour)
	if until.After(after.Add(10 * time.Minute)) {
		t.Errorf("live for an hour until %v, want at most ten minutes after %v", until, after)
	}

	table, err := c.Processes(t.Context(), "web-1")
	if err != nil {
		t.Fatal(err)
	}
	kept, _ := r.Processes("web-1")
	if diff := cmp.Diff(kept, table); diff != "" {
		t.Errorf("the table returned is not the one recorded (-recorded +returned):\n%s", diff)
	}
	if !slices.Contains(pids(table), os.Getpid()) {
		t.Errorf("the table has no process %d (this test): %v", os.Getpid(), pids(table))
	}

	res, err := c.Action(t.Context(), "web-1", "say-ok")
	if err != nil || res.Name != "say-ok" || res.ExitCode != 0 || res.Output != "ok\n" {
		t.Errorf("action say-ok: %+v, %v", res, err)
	}
	res, err = c.Action(t.Context(), "web-1", "fail")
	checkErr(t, err, errRefused, &host.RefusedError{Command: "action", Reason: "exited with code 3"})
	if res.ExitCode != 3 || res.Output != "boom\n" {
		t.Errorf("action fail: %+v", res)
	}
	_, err = c.Action(t.Context(), "web-1", "rm -rf /")
	checkErr(t, err, errRefused, &host.RefusedError{Command: "action",
		Reason: `action "rm -rf /" is not in this agent's config`})
}
