package promapi

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestPromtool asks Prometheus's own promtool (Debian package prometheus)
// for an instant query against the Handler; it is skipped without promtool.
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH (apt-get install prometheus)")
	}
	srv, _ := newServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, promtool, "query", "instant", "--time=1740830460",
		srv.URL+"/prometheus", `sort_desc(up)`)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool: %v\n%s", err, out)
	}
	want := "up{job=\"api\"} => 1 @[1740830460]\nup{job=\"db\"} => 0 @[1740830460]"
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("promtool output:\n%s\nwant:\n%s", got, want)
	}
}
