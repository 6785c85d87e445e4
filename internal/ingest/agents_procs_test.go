package ingest_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/internal/ingest"
)

func TestAgentHello(t *testing.T) {
	srv := startServer(t, ingest.AgentsOptions{Server: "node-a"})
	nc := srv.connect(t, "web-1")
	tests := []struct {
		name  string
		hello string
		want  agentReply
	}{
		{"hello", `{"v":1,"agent":"web-1","hostname":"web1.example.com","os":"linux","kernel":"6.12.0",
			"arch":"amd64","cores":8,"collectors":["cpu","memory"],"agent_version":"0.4.0","new_field":true}`,
			agentReply{V: 1, OK: true, Server: "node-a"}},
		{"another agent's", `{"v":1,"agent":"web-2","hostname":"evil"}`,
			agentReply{V: 1, Error: ingest.ReasonWrongAgent, Retry: new(bool)}},
		{"newer protocol", `{"v":2,"agent":"web-1","hostname":"evil"}`,
			agentReply{V: 1, Error: wire.ReasonVersion, Retry: new(bool)}},
		{"not JSON", `hello`, agentReply{V: 1, Error: ingest.ReasonBadMessage, Retry: new(bool)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, request(t, nc, "web-1", "hello", []byte(tt.hello))); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
	h, _ := srv.hosts.Host("web-1")
	want := proto.HostInfo{Hostname: "web1.example.com", OS: "linux", Kernel: "6.12.0", Arch: "amd64", Cores: 8,
		Collectors: []string{"cpu", "memory"}, AgentVersion: "0.4.0"}
	if diff := cmp.Diff(want, h.HostInfo); diff != "" {
		t.Errorf("registry (-want +got):\n%s", diff)
	}
	if h.Name != "web1.example.com" || !h.Connected {
		t.Errorf("host name %q, connected %v; want web1.example.com, connected", h.Name, h.Connected)
	}
}

func compress(t *testing.T, data []byte) []byte {
	t.Helper()
	enc, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	return enc.EncodeAll(data, nil)
}

func TestAgentProcs(t *testing.T) {
	srv := startServer(t, ingest.AgentsOptions{MaxProcsSize: 1 << 20})
	nc := srv.connect(t, "web-1")
	boot := t0.Add(-time.Hour)
	nginx := collector.Process{PID: 30, PPID: 1, Name: "nginx", Cmdline: "nginx: master process", User: "root",
		State: "sleeping", CPUPercent: 0.1, RSS: 8 << 20, Threads: 1, OpenFiles: 12, Start: boot}
	sleep := collector.Process{PID: 40, PPID: 30, Name: "sleep", Cmdline: "sleep 60", User: "www-data",
		State: "sleeping", Threads: 1, OpenFiles: -1, Start: t0}
	table, _ := json.Marshal(map[string]any{"v": 1, "time": t0, "table": []collector.Process{nginx}})
	events, _ := json.Marshal(map[string]any{"v": 1, "time": t0.Add(5 * time.Second),
		"events": []collector.ProcessEvent{{Kind: collector.ProcessBirth, Time: t0.Add(5 * time.Second), Process: sleep}}})
	newer, _ := json.Marshal(map[string]any{"v": 2, "time": t0, "table": []collector.Process{}})
	tests := []struct {
		name string
		data []byte
		want agentReply
	}{
		{"table", compress(t, table), agentReply{V: 1, OK: true}},
		{"events", compress(t, events), agentReply{V: 1, OK: true}},
		{"not compressed", table, agentReply{V: 1, Error: ingest.ReasonBadMessage, Retry: new(bool)}},
		{"not JSON", compress(t, []byte("ps aux")), agentReply{V: 1, Error: ingest.ReasonBadMessage, Retry: new(bool)}},
		{"newer protocol", compress(t, newer), agentReply{V: 1, Error: wire.ReasonVersion, Retry: new(bool)}},
		{"zip bomb", compress(t, bytes.Repeat([]byte(" "), 4<<20)), agentReply{V: 1, Error: wire.ReasonTooLarge, Retry: new(bool)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, request(t, nc, "web-1", "procs", tt.data)); diff != "" {
				t.Errorf("reply (-want +got):\n%s", diff)
			}
		})
	}
	got, _ := srv.hosts.Processes("web-1")
	want := host.ProcessTable{Host: "web-1", Time: ptr(t0.Add(5 * time.Second)), Processes: []collector.Process{nginx, sleep}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("process table (-want +got):\n%s", diff)
	}
	evs, _ := srv.hosts.Events("web-1", time.Time{}, 0)
	if len(evs) != 1 || evs[0].Kind != collector.ProcessBirth || evs[0].Process.PID != 40 {
		t.Errorf("events = %+v, want the birth of pid 40", evs)
	}
	if got := srv.agents.Stats(); got.Messages["procs"] != 2 || got.Refused[wire.ReasonTooLarge] != 1 {
		t.Errorf("stats %+v, want 2 procs messages and 1 too large", got)
	}
}

func ptr[T any](v T) *T { return &v }
