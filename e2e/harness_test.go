// Package e2e runs the picket binary as a user would and checks what it
// does from the outside: over HTTP, on disk and after restarts.
package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The binaries the tests run, each built once per test run: the full
// picket, and the agent-only build hosts get (-tags agentonly, no cgo).
var (
	fullBuild  = &build{name: "picket"}
	agentBuild = &build{name: "picket-agent", tags: "agentonly", env: []string{"CGO_ENABLED=0"}}
)

type build struct {
	name, tags string
	env        []string

	once sync.Once
	path string
	err  error
}

// TestMain removes the binaries the run built.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, b := range []*build{fullBuild, agentBuild} {
		if b.path != "" {
			os.RemoveAll(filepath.Dir(b.path))
		}
	}
	os.Exit(code)
}

// picketBinary builds cmd/picket once per test run.
func picketBinary(t *testing.T) string { return fullBuild.binary(t) }

// agentBinary builds the agent-only cmd/picket once per test run.
func agentBinary(t *testing.T) string { return agentBuild.binary(t) }

func (b *build) binary(t *testing.T) string {
	t.Helper()
	b.once.Do(func() {
		dir, err := os.MkdirTemp("", "picket-e2e-bin")
		if err != nil {
			b.err = err
			return
		}
		b.path = filepath.Join(dir, b.name)
		_, file, _, _ := runtime.Caller(0)
		cmd := exec.Command("go", "build", "-tags", b.tags, "-o", b.path, "./cmd/picket")
		cmd.Dir = filepath.Dir(filepath.Dir(file))
		cmd.Env = append(os.Environ(), b.env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", b.name, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// server is one running `picket serve`.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	URL  string
	logs *logBuffer
	done chan error
}

var addrLine = regexp.MustCompile(`"serving HTTP" addr=http://(\S+)`)

// startServer runs picket serve on config with data in dataDir and waits
// until it answers /healthz. flags are added to the command line.
func startServer(t *testing.T, config, dataDir string, flags ...string) *server {
	t.Helper()
	args := append([]string{"serve", "--config", config, "--data-dir", dataDir,
		"--listen", "127.0.0.1:0", "--nats-listen", "", "--log-level", "debug"}, flags...) // later flags win
	cmd := exec.Command(picketBinary(t), args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{t: t, cmd: cmd, logs: &logBuffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go s.logs.scan(stderr, addr)
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { s.kill() })
	select {
	case a := <-addr:
		s.URL = "http://" + a
	case err := <-s.done:
		t.Fatalf("picket exited before serving: %v\n%s", err, s.logs)
	case <-time.After(60 * time.Second):
		t.Fatalf("picket did not start within 60s\n%s", s.logs)
	}
	waitFor(t, 30*time.Second, "healthz", func() (bool, string) {
		resp, err := http.Get(s.URL + "/healthz")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})
	return s
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop() {
	s.t.Helper()
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Fatalf("picket exited with %v\n%s", err, s.logs)
		}
		s.done <- nil
	case <-time.After(30 * time.Second):
		s.t.Fatalf("picket did not stop within 30s of SIGTERM\n%s", s.logs)
	}
}

func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Kill()
		<-s.done
		s.done <- nil
	}
}

// getJSON fetches path and decodes it into v, failing on a non-200 reply.
func (s *server) getJSON(path string, v any) error {
	resp, err := http.Get(s.URL + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, body)
	}
	return json.Unmarshal(body, v)
}

// promQuery runs an instant PromQL query and returns the values of the
// result vector keyed by the check label.
func (s *server) promQuery(expr string) (map[string]string, error) {
	var r struct {
		Status string
		Data   struct {
			Result []struct {
				Metric map[string]string
				Value  [2]any
			}
		}
	}
	if err := s.getJSON("/prometheus/api/v1/query?query="+url.QueryEscape(expr), &r); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, x := range r.Data.Result {
		out[x.Metric["check"]], _ = x.Value[1].(string)
	}
	return out, nil
}

// logBuffer keeps the server's log for failure messages.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) scan(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if m := addrLine.FindStringSubmatch(line); m != nil {
			select {
			case addr <- m[1]:
			default:
			}
		}
		l.mu.Lock()
		l.b.WriteString(line + "\n")
		l.mu.Unlock()
	}
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *logBuffer) contains(s string) bool { return strings.Contains(l.String(), s) }

// waitFor polls cond every 100ms until it holds or the time is up. The
// bound is a failure limit, not a timing assertion.
func waitFor(t *testing.T, limit time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	last := ""
	for time.Now().Before(deadline) {
		ok, detail := cond()
		if ok {
			return
		}
		last = detail
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: not true within %s; last: %s", what, limit, last)
}
