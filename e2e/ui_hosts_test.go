package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
	chromium := "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
	}
	_, file, _, _ := runtime.Caller(0)
	webDir := filepath.Join(filepath.Dir(filepath.Dir(file)), "web")
	if _, err := os.Stat(filepath.Join(webDir, "node_modules", "playwright-core")); err != nil {
		t.Skip("web/node_modules is not installed (make web)")
	}
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

	shots := os.Getenv("PICKET_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	cmd := exec.Command("npm", "run", "--silent", "test:ui:hosts")
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(),
		"PICKET_URL="+s.URL,
		"PICKET_HOST=web-1",
		"PICKET_HOST_PROCESS="+cmdline,
		"PICKET_SCREENSHOTS="+shots,
		"PICKET_CHROMIUM="+chromium,
	)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser test failed: %v\n%s\n--- picket log ---\n%s", err, out, s.logs)
	}
	t.Logf("browser test:\n%s", out)
}
