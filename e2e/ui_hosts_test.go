package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestWebUIHosts drives the host pages in headless Chromium
// (web/test/hosts.test.mjs) against a real picket with one real agent: the
// overview shows the host up, its page draws the CPU graph, goes live,
// lists, filters and refreshes the process table, and shows the birth of a
// process started on the host. Screenshots go to $PICKET_SCREENSHOTS when
// set.
func TestWebUIHosts(t *testing.T) {
	b := needBrowser(t)
	dir := t.TempDir()
	seed, pub := enroll(t, dir, "web-1")
	cfg := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfg, fmt.Sprintf(`
agents:
  grace: 10s
  hosts:
    - {id: web-1, public_key: %s}
`, pub))
	nats := freeAddr(t)
	s := startServer(t, cfg, filepath.Join(dir, "data"), "--nats-listen", nats)
	startAgent(t, dir, "web-1", seed, nats)
	waitFor(t, 30*time.Second, "web-1 up with figures", func() (bool, string) {
		var h struct {
			Status  string
			Figures struct {
				CPU *float64 `json:"cpu_percent"`
			}
		}
		if err := s.getJSON("/api/v1/hosts/web-1", &h); err != nil {
			return false, err.Error()
		}
		return h.Status == "up" && h.Figures.CPU != nil, fmt.Sprintf("%+v", h)
	})

	// A process the page must show as a birth; it outlives the test's wait.
	const cmdline = "sleep 171.25"
	sleeper := exec.Command("sleep", "171.25")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sleeper.Process.Kill(); sleeper.Wait() })

	b.run(t, s, "test:ui:hosts", "PICKET_HOST=web-1", "PICKET_HOST_PROCESS="+cmdline)
}
