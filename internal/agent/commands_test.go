package agent

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/spool"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

func TestLiveModeChangesCadence(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cfg := testConfig(t.TempDir())
		cfg.Interval, cfg.BatchInterval = 2*time.Second, 10*time.Second
		srv := newFakeServer(t)
		h := startAgent(t, cfg, srv, start)
		h.tr.connect()
		h.clock.Advance(10 * time.Second)

		r := h.tr.command(t, cfg.ID, `{"v":1,"cmd":"live","args":{"for":"5s"}}`)
		var data struct{ Until time.Time }
		if err := json.Unmarshal(r.Data.(json.RawMessage), &data); err != nil || !r.OK {
			t.Fatalf("live: %+v, %v", r, err)
		}
		if want := start.Add(15 * time.Second); !data.Until.Equal(want) {
			t.Errorf("live until %v, want %v", data.Until, want)
		}
		synctest.Wait()
		h.clock.Advance(10 * time.Second)
		h.stop()

		var sizes []int
		for _, b := range srv.received() {
			sizes = append(sizes, len(ticksOf(t, []*wire.Batch{b})))
		}
		if diff := cmp.Diff([]int{5, 1, 1, 1, 1, 4}, sizes); diff != "" {
			t.Errorf("ticks per batch (-want +got):\n%s", diff)
		}
		var want []time.Time
		for _, s := range []int{2, 4, 6, 8, 10, 11, 12, 13, 14, 15, 16, 18, 20} {
			want = append(want, start.Add(time.Duration(s)*time.Second))
		}
		if diff := cmp.Diff(want, ticksOf(t, srv.received())); diff != "" {
			t.Errorf("ticks (-want +got):\n%s", diff)
		}
		// The process table: at 5 and 10, every second while live, then 20.
		if h.procs.scans != 8 {
			t.Errorf("the process table was read %d times, want 8", h.procs.scans)
		}
	})
}

// newTestRunner makes a runner whose loops do not run, for commands.
func newTestRunner(t *testing.T, actions ...Action) (*runner, *fakeProcs, *logBuffer) {
	t.Helper()
	cfg := testConfig(t.TempDir())
	cfg.Actions = actions
	sp, err := spool.Open(cfg.SpoolDir, spool.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sp.Close() })
	procs, logs := &fakeProcs{}, &logBuffer{}
	r, err := newRunner(cfg, deps{clock: schedtest.NewClock(start, nil), tr: newFakeTransport(newFakeServer(t)),
		sp: sp, log: slog.New(slog.NewTextHandler(logs, nil)), procs: procs})
	if err != nil {
		t.Fatal(err)
	}
	return r, procs, logs
}

func TestCommands(t *testing.T) {
	r, procs, logs := newTestRunner(t,
		Action{Name: "hello", Command: []string{"/bin/echo", "hello", "world"}, Timeout: 10 * time.Second},
		Action{Name: "fails", Command: []string{"/bin/false"}, Timeout: 10 * time.Second},
		Action{Name: "slow", Command: []string{"/bin/sleep", "10"}, Timeout: 100 * time.Millisecond},
	)
	procs.spawn(42, "nginx")
	for _, tc := range []struct {
		name, req string
		want      string // the reply, with duration_seconds removed
	}{
		{"live capped", `{"v":1,"cmd":"live","args":{"for":"1h"}}`,
			`{"v":1,"ok":true,"data":{"until":"2026-03-01T12:10:00Z"}}`},
		{"live default", `{"v":1,"cmd":"live"}`,
			`{"v":1,"ok":true,"data":{"until":"2026-03-01T12:10:00Z"}}`},
		{"live bad duration", `{"v":1,"cmd":"live","args":{"for":"soon"}}`,
			`{"v":1,"ok":false,"error":"bad duration \"soon\""}`},
		{"processes", `{"v":1,"cmd":"processes"}`,
			`{"v":1,"ok":true,"data":{"time":"2026-03-01T12:00:00Z","table":[{"pid":42,"ppid":0,"name":"nginx",` +
				`"cmdline":"/usr/bin/nginx","user":"root","state":"sleeping","cpu_percent":0,"rss_bytes":0,` +
				`"threads":0,"open_files":0,"start":"0001-01-01T00:00:00Z"}]}}`},
		{"action", `{"v":1,"cmd":"action","args":{"name":"hello"}}`,
			`{"v":1,"ok":true,"data":{"exit_code":0,"name":"hello","output":"hello world\n"}}`},
		{"action fails", `{"v":1,"cmd":"action","args":{"name":"fails"}}`,
			`{"v":1,"ok":false,"error":"exited with code 1","data":{"exit_code":1,"name":"fails","output":""}}`},
		{"action times out", `{"v":1,"cmd":"action","args":{"name":"slow"}}`,
			`{"v":1,"ok":false,"error":"timed out after 100ms","data":{"exit_code":-1,"name":"slow","output":""}}`},
		{"action not configured", `{"v":1,"cmd":"action","args":{"name":"rm-rf"}}`,
			`{"v":1,"ok":false,"error":"action \"rm-rf\" is not in this agent's config"}`},
		{"action with arguments", `{"v":1,"cmd":"action","args":{"name":"hello","argv":["/bin/sh"]}}`,
			`{"v":1,"ok":false,"error":"bad args: json: unknown field \"argv\"; an action takes its name and nothing else"}`},
		{"unknown command", `{"v":1,"cmd":"reboot"}`,
			`{"v":1,"ok":false,"error":"unsupported command \"reboot\""}`},
		{"unknown version", `{"v":2,"cmd":"live"}`,
			`{"v":1,"ok":false,"error":"unsupported version 2"}`},
		{"not json", `live please`,
			`{"v":1,"ok":false,"error":"bad request: invalid character 'l' looking for beginning of value"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := withoutDuration(t, r.cmds.handle(t.Context(), []byte(tc.req)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
	if st := r.stats.snapshot(); st.CommandsRefused != 6 || st.ActionsRun != 3 {
		t.Errorf("stats = %+v, want 6 refused and 3 actions run", st)
	}
	if !strings.Contains(logs.String(), `reason="action \"rm-rf\" is not in this agent's config"`) {
		t.Errorf("the refused action is not logged:\n%s", logs)
	}
}

// withoutDuration removes data.duration_seconds, which depends on the
// machine, from a reply.
func withoutDuration(t *testing.T, reply []byte) string {
	t.Helper()
	var r struct {
		V     int             `json:"v"`
		OK    bool            `json:"ok"`
		Error string          `json:"error,omitempty"`
		Data  json.RawMessage `json:"data,omitempty"`
	}
	if err := json.Unmarshal(reply, &r); err != nil {
		t.Fatalf("reply %s: %v", reply, err)
	}
	var data map[string]any
	if json.Unmarshal(r.Data, &data) == nil {
		if _, ok := data["duration_seconds"]; ok {
			delete(data, "duration_seconds")
			r.Data, _ = json.Marshal(data)
		}
	}
	b, _ := json.Marshal(r)
	return string(b)
}

func TestActionOutputKeepsTheEnd(t *testing.T) {
	out := &tail{max: 8}
	for _, s := range []string{"0123456789", "abcdefghij", "XYZ"} {
		out.Write([]byte(s))
	}
	got, cut := out.text()
	if got != "fghijXYZ" || !cut {
		t.Errorf("tail = %q, %v; want \"fghijXYZ\", true", got, cut)
	}
}
