//go:build !agentonly

package main

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// picket runs the command in process and returns its exit code and output.
func picket(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs bytes.Buffer
	code = run(args, &out, &errs)
	return code, out.String(), errs.String()
}

// outcome is what one run of the command should give: an exit code and
// strings its stdout and stderr must contain.
type outcome struct {
	code   int
	stdout []string
	stderr []string
}

func expect(t *testing.T, args []string, want outcome) {
	t.Helper()
	code, stdout, stderr := picket(t, args...)
	if code != want.code {
		t.Errorf("picket %q exited %d, want %d\nstdout: %s\nstderr: %s", args, code, want.code, stdout, stderr)
	}
	for _, s := range want.stdout {
		if !strings.Contains(stdout, s) {
			t.Errorf("picket %q: stdout lacks %q:\n%s", args, s, stdout)
		}
	}
	for _, s := range want.stderr {
		if !strings.Contains(stderr, s) {
			t.Errorf("picket %q: stderr lacks %q:\n%s", args, s, stderr)
		}
	}
}

// refusedAddr returns a loopback address nothing listens on.
func refusedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want outcome
	}{
		{"no command", nil, outcome{code: exitUsage, stderr: []string{"usage:", "picket check TYPE TARGET"}}},
		{"help", []string{"help"}, outcome{code: 0, stdout: []string{"usage:"}}},
		{"unknown command", []string{"frobnicate"}, outcome{code: exitUsage, stderr: []string{"usage:"}}},
		{"config without validate", []string{"config", "x.yaml"}, outcome{code: exitUsage, stderr: []string{"usage:"}}},
		{"serve with a bad flag", []string{"serve", "--nope"}, outcome{code: exitUsage, stderr: []string{"-nope"}}},
		{"serve with a bad log level", []string{"serve", "--log-level", "loud"}, outcome{code: exitUsage, stderr: []string{"--log-level"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expect(t, tt.args, tt.want) })
	}
}

func TestCheckHTTP(t *testing.T) {
	var mu sync.Mutex // protects header
	var header http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		header = r.Header.Clone()
		mu.Unlock()
		if r.URL.Path == "/broken" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		w.Write([]byte("hello"))
	}))
	defer srv.Close()
	refused := "http://" + refusedAddr(t) + "/"

	tests := []struct {
		name string
		args []string
		want outcome
	}{
		{"up", []string{"check", "http", srv.URL, "--expect-status", "200"},
			outcome{code: exitUp, stdout: []string{"http up", "HTTP 200", "picket_probe_http_status_code 200"}}},
		{"wrong status", []string{"check", "http", srv.URL + "/broken", "--expect-status", "200"},
			outcome{code: exitDegraded, stdout: []string{"http degraded", "HTTP 503"}}},
		{"refused", []string{"check", "http", refused, "--timeout", "5s"},
			outcome{code: exitDown, stdout: []string{"http down", "refused"}}},
		{"unknown type", []string{"check", "nosuch", "x"},
			outcome{code: exitUsage, stderr: []string{`unknown probe type "nosuch"`, "dns, http, icmp, tcp, tls"}}},
		{"no type", []string{"check"}, outcome{code: exitUsage, stderr: []string{"dns, http, icmp, tcp, tls"}}},
		{"no target", []string{"check", "http"}, outcome{code: exitUsage, stderr: []string{"want a target"}}},
		{"help", []string{"check", "http", "--help"},
			outcome{code: 0, stdout: []string{"picket check http TARGET", "--expect-status", "--headers", "--timeout"}}},
		{"unknown flag", []string{"check", "http", srv.URL, "--expect-stauts", "200"},
			outcome{code: exitUsage, stderr: []string{"--expect-stauts"}}},
		{"bad regexp", []string{"check", "http", srv.URL, "--expect-body-regex", "("},
			outcome{code: exitUsage, stderr: []string{"--expect-body-regex"}}},
		{"flag without value", []string{"check", "http", srv.URL, "--method"},
			outcome{code: exitUsage, stderr: []string{"--method needs a value"}}},
		{"bad timeout", []string{"check", "http", srv.URL, "--timeout", "soon"},
			outcome{code: exitUsage, stderr: []string{"--timeout"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expect(t, tt.args, tt.want) })
	}

	t.Run("headers", func(t *testing.T) {
		expect(t, []string{"check", "http", srv.URL, "--headers", "X-A=b", "--headers=X-Other=c d"}, outcome{code: exitUp})
		mu.Lock()
		defer mu.Unlock()
		if header.Get("X-A") != "b" || header.Get("X-Other") != "c d" {
			t.Errorf("the server got X-A %q and X-Other %q, want %q and %q", header.Get("X-A"), header.Get("X-Other"), "b", "c d")
		}
	})
}

func TestConfigValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	writeFile(t, good, `checks:
  - {id: web, type: http, target: "http://127.0.0.1:8080/health"}
  - {id: db, type: tcp, target: "127.0.0.1:5432", interval: 1m}
`)
	writeFile(t, bad, `checks:
  - id: web
    type: http
    target: http://127.0.0.1:8080/health
    interval: 5x
`)
	tests := []struct {
		name string
		args []string
		want outcome
	}{
		{"good", []string{"config", "validate", good}, outcome{code: 0, stdout: []string{good + ": ok, 2 checks"}}},
		{"bad", []string{"config", "validate", bad},
			outcome{code: 1, stderr: []string{bad + `:5:15: checks[web].interval: invalid duration "5x"`}}},
		{"missing", []string{"config", "validate", filepath.Join(dir, "none.yaml")},
			outcome{code: 1, stderr: []string{"none.yaml"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expect(t, tt.args, tt.want) })
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAgentEnroll(t *testing.T) {
	key := filepath.Join(t.TempDir(), "agent.seed")
	var out, errOut bytes.Buffer
	if code := run([]string{"agent", "enroll", "--key", key}, &out, &errOut); code != 0 {
		t.Fatalf("enroll: exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "public key (add it to the server's config): U") {
		t.Errorf("enroll printed %q, want a user public key", out.String())
	}
	if st, err := os.Stat(key); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("seed file: %v, %v; want mode 0600", st, err)
	}
	if code := run([]string{"agent", "enroll", "--key", key}, &out, &errOut); code == 0 {
		t.Error("enroll overwrote an existing seed")
	}
	if code := run([]string{"agent", "--config", filepath.Join(t.TempDir(), "none.yaml")}, &out, &errOut); code != exitUsage {
		t.Errorf("agent with a missing config: exit %d, want %d", code, exitUsage)
	}
}
