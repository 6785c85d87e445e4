package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAgentCommands asks a running agent, through the HTTP API, for live
// mode and for its process table now; an unknown host is 404 and a host
// whose agent is gone 503.
func TestAgentCommands(t *testing.T) {
	dir := t.TempDir()
	seed, pub := enroll(t, dir, "a1")
	cfg := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfg, fmt.Sprintf("agents:\n  hosts:\n    - {id: a1, public_key: %s}\n", pub))
	nats := freeAddr(t)
	s := startServer(t, cfg, filepath.Join(dir, "data"), "--nats-listen", nats)
	agent, logs := startAgent(t, dir, "a1", seed, nats)
	s.waitStatus("host-a1", "up")

	before := time.Now()
	var live struct {
		Host  string
		Until time.Time
	}
	if code := s.post("/api/v1/hosts/a1/live", `{"for":"1m"}`, &live); code != http.StatusOK {
		t.Fatalf("live: status %d", code)
	}
	if live.Host != "a1" || live.Until.Before(before.Add(55*time.Second)) || live.Until.After(time.Now().Add(65*time.Second)) {
		t.Errorf("live = %+v; want host a1 until about a minute from now", live)
	}
	waitFor(t, 10*time.Second, "the agent's live mode", func() (bool, string) {
		return logs.contains("live mode on"), logs.String()
	})

	// A process started just now is in a table read now, before any
	// scheduled scan could have sent it.
	sleeper := exec.Command("sleep", "37.25")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })
	var table struct {
		Host      string
		Processes []struct {
			PID     int
			Cmdline string
		}
	}
	if code := s.post("/api/v1/hosts/a1/processes/refresh", "", &table); code != http.StatusOK {
		t.Fatalf("processes/refresh: status %d", code)
	}
	found := false
	for _, p := range table.Processes {
		found = found || p.PID == sleeper.Process.Pid && p.Cmdline == "sleep 37.25"
	}
	if table.Host != "a1" || !found {
		t.Errorf("refreshed table of %q with %d processes lacks pid %d (sleep 37.25)", table.Host, len(table.Processes), sleeper.Process.Pid)
	}

	if code := s.post("/api/v1/hosts/nope/live", "", nil); code != http.StatusNotFound {
		t.Errorf("live on an unknown host: status %d, want 404", code)
	}
	agent.Process.Signal(os.Interrupt)
	agent.Wait()
	waitFor(t, 10*time.Second, "503 once the agent is gone", func() (bool, string) {
		code := s.post("/api/v1/hosts/a1/live", "", nil)
		return code == http.StatusServiceUnavailable, fmt.Sprint("status ", code)
	})
}

// post sends body (JSON, or nothing) to path and decodes a 200 reply into
// v; it returns the status, or 0 when the request failed.
func (s *server) post(path, body string, v any) int {
	s.t.Helper()
	resp, err := http.Post(s.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		s.t.Logf("POST %s: %v", path, err)
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && v != nil {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			s.t.Errorf("POST %s: %v", path, err)
		}
	}
	return resp.StatusCode
}
