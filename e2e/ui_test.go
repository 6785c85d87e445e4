package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWebUI drives the embedded web UI in headless Chromium (Debian's,
// through playwright-core; web/test/ui.test.mjs) against a real picket:
// the overview lists checks live, a check goes down on the page without a
// reload when its target stops, and the check page shows its graph and
// events. Screenshots go to $PICKET_SCREENSHOTS when set.
func TestWebUI(t *testing.T) {
	b := needBrowser(t)
	dir := t.TempDir()
	tg := newTarget(t)
	control := downSwitch(t, tg)
	cfgPath := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfgPath, fmt.Sprintf(`
checks:
  - {id: web, name: Web shop, type: http, target: "http://%s/", interval: 1s, labels: {env: test}}
  - {id: port, name: Shop port, type: tcp, target: "%s", interval: 2s}
`, tg.addr, tg.addr))
	s := startServer(t, cfgPath, filepath.Join(dir, "data"))
	s.waitStatus("web", "up")
	b.run(t, s, "test:ui",
		"PICKET_DOWN_CHECK=web",
		"PICKET_DOWN_CMD="+fmt.Sprintf(`node -e "fetch('http://%s/down').then(r => process.exit(r.ok ? 0 : 1))"`, control),
		"PICKET_DOWN_TIMEOUT_MS=30000",
	)
}

// browser is what a browser test needs: Debian's Chromium and the web
// directory with playwright-core installed.
type browser struct{ chromium, webDir string }

// needBrowser skips the test when Chromium or web/node_modules is missing.
func needBrowser(t *testing.T) browser {
	t.Helper()
	b := browser{chromium: "/usr/bin/chromium"}
	if _, err := os.Stat(b.chromium); err != nil {
		t.Skip("no Chromium at /usr/bin/chromium (apt-get install chromium)")
	}
	_, file, _, _ := runtime.Caller(0)
	b.webDir = filepath.Join(filepath.Dir(filepath.Dir(file)), "web")
	if _, err := os.Stat(filepath.Join(b.webDir, "node_modules", "playwright-core")); err != nil {
		t.Skip("web/node_modules is not installed (make web)")
	}
	return b
}

// run runs the npm script against s with env added, and fails the test
// with the script's output and the server's log when it fails.
// Screenshots go to $PICKET_SCREENSHOTS when set.
func (b browser) run(t *testing.T, s *server, script string, env ...string) {
	t.Helper()
	shots := os.Getenv("PICKET_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	cmd := exec.Command("npm", "run", "--silent", script)
	cmd.Dir = b.webDir
	cmd.Env = append(os.Environ(), "PICKET_URL="+s.URL, "PICKET_SCREENSHOTS="+shots, "PICKET_CHROMIUM="+b.chromium)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("browser test failed: %v\n%s\n--- picket log ---\n%s", err, out, s.logs)
	}
	t.Logf("browser test:\n%s", out)
}

// downSwitch serves /down on its own port; a request to it stops tg, so the
// browser test can take the target down at the moment it is ready.
func downSwitch(t *testing.T, tg *target) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{}, 1)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/down" {
			http.NotFound(w, r)
			return
		}
		select {
		case stopped <- struct{}{}:
			tg.stop()
		default:
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}
