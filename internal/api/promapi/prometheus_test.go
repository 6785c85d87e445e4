package promapi

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// TestSameAsPrometheus sends the same requests to the Handler and to a real
// Prometheus (Debian package prometheus) holding the same samples, and
// expects the same status and bytes. Skipped without prometheus and promtool.
// Debian's Prometheus (2.42 in bookworm) is older than the embedded engine,
// so requests whose answers changed since (error texts, infos) are left to
// TestErrors and TestRawJSON, which pin the embedded version's answers.
func TestSameAsPrometheus(t *testing.T) {
	prom := startPrometheus(t)
	srv, _ := newServer(t)
	paths := []string{
		`/api/v1/query?query=up&time=1740830460`,
		`/api/v1/query?query=temp&time=1740830401.5`,
		`/api/v1/query?query=temp[1s]&time=2025-03-01T12:00:02.001Z`,
		`/api/v1/query?query=1e-7&time=1700000000.123`,
		`/api/v1/query?query=%22hi%22&time=1700000000`,
		`/api/v1/query?query=` + url.QueryEscape(`up/0 or -up{job="api"}/0 * on() group_left vector(1)`) + `&time=1740830460`,
		`/api/v1/query?query=nothing&time=1740830460`,
		`/api/v1/query_range?query=sum(up)&start=1740830400&end=1740830460&step=30s`,
		`/api/v1/query_range?query=up&start=1740830400&end=1740830420&step=20.5`,
		`/api/v1/query_range?query=up&start=0&end=11001&step=1`,
		`/api/v1/query_range?query=up&start=10&end=1&step=1`,
		`/api/v1/query_range?query=up&start=0&end=1&step=0`,
		`/api/v1/query?query=` + url.QueryEscape(`sum(up`),
		`/api/v1/series?match[]=up&match[]=temp`,
		`/api/v1/series?match[]=up&start=1740830500`,
		`/api/v1/series?match[]=up{`,
		`/api/v1/series`,
		`/api/v1/labels`,
		`/api/v1/labels?match[]=up`,
		`/api/v1/label/job/values`,
		`/api/v1/label/nope/values`,
		`/api/v1/metadata`,
	}
	for _, p := range paths {
		t.Run(p, func(t *testing.T) {
			wantCode, wantBody := get(t, prom+p)
			gotCode, gotBody := get(t, srv.URL+"/prometheus"+p)
			if gotCode != wantCode || gotBody != wantBody {
				t.Errorf("GET %s\n    picket: %d %s\nprometheus: %d %s", p, gotCode, gotBody, wantCode, wantBody)
			}
		})
	}
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fetch(t, req)
}

// startPrometheus backfills testSamples into a TSDB with promtool, starts
// Prometheus on it on a loopback port and returns its URL.
func startPrometheus(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus not on PATH (apt-get install prometheus)")
	}
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not on PATH (apt-get install prometheus)")
	}
	dir := t.TempDir()
	data, cfg, om := filepath.Join(dir, "data"), filepath.Join(dir, "prometheus.yml"), filepath.Join(dir, "samples.om")
	writeFile(t, cfg, "global: {}\n")
	writeFile(t, om, openMetrics(testSamples()))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	if out, err := exec.CommandContext(ctx, promtool, "tsdb", "create-blocks-from", "openmetrics", om, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool backfill: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "--config.file="+cfg, "--storage.tsdb.path="+data, "--web.listen-address="+addr)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting prometheus: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	base := "http://" + addr
	client := &http.Client{Timeout: time.Second}
	for range 200 {
		if resp, err := client.Get(base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("prometheus not ready after 10s:\n%s", logs.String())
	return ""
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// openMetrics writes samples as an OpenMetrics text file, one gauge family
// per metric name, each series' samples together and in time order.
func openMetrics(samples []store.Sample) string {
	samples = slices.Clone(samples)
	slices.SortStableFunc(samples, func(a, b store.Sample) int {
		return strings.Compare(a.Labels.String(), b.Labels.String())
	})
	var b strings.Builder
	family := ""
	for _, s := range samples {
		name := s.Labels.Get("__name__")
		if name != family {
			fmt.Fprintf(&b, "# TYPE %s gauge\n", name)
			family = name
		}
		var pairs []string
		for _, l := range s.Labels {
			if l.Name != "__name__" {
				pairs = append(pairs, l.Name+"="+strconv.Quote(l.Value))
			}
		}
		fmt.Fprintf(&b, "%s{%s} %s %s\n", name, strings.Join(pairs, ","),
			strconv.FormatFloat(s.V, 'g', -1, 64), strconv.FormatFloat(float64(s.T.UnixMilli())/1000, 'f', -1, 64))
	}
	b.WriteString("# EOF\n")
	return b.String()
}
