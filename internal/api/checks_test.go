package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
)

// cet is a zone other than UTC: times may come off the bus in the zone of
// the node that ran the check, and the API shows them in UTC.
var cet = time.FixedZone("CET", 3600)

func testChecks() catalog {
	return catalog{
		{ID: "new-one", Name: "New one", Type: "tcp", Target: "127.0.0.1:5432", Interval: 30 * time.Second},
		{ID: "billing-api", Name: "Billing API", Type: "http", Target: "https://billing.example.com/health",
			Labels: map[string]string{"team": "payments"}, Interval: 10 * time.Second},
	}
}

func testStates() *states {
	return newStates(map[string]bus.State{"billing-api": {
		Check: "billing-api", Status: probe.StatusUp, Reason: "HTTP 200",
		Since:     time.Date(2026, 11, 21, 9, 14, 10, 1e6, cet),
		LastCheck: time.Date(2026, 11, 21, 20, 0, 0, 123e6, time.UTC),
		Latency:   12300 * time.Microsecond,
	}})
}

func newServer(h *history) http.Handler {
	return api.New(api.Deps{Catalog: testChecks(), States: testStates(), History: h, Now: func() time.Time { return now }})
}

// The views of billing-api (as in docs/api.md) and of a check that never ran.
const (
	billingJSON = `{
	  "id": "billing-api", "name": "Billing API", "type": "http",
	  "target": "https://billing.example.com/health", "labels": {"team": "payments"},
	  "interval_s": 10,
	  "status": "up", "reason": "HTTP 200",
	  "last_check": "2026-11-21T20:00:00.123Z", "latency_ms": 12.3,
	  "since": "2026-11-21T08:14:10.001Z"
	}`
	newOneJSON = `{
	  "id": "new-one", "name": "New one", "type": "tcp", "target": "127.0.0.1:5432", "labels": {},
	  "interval_s": 30, "status": "unknown", "reason": "",
	  "last_check": null, "latency_ms": null, "since": null
	}`
)

func TestChecks(t *testing.T) {
	srv := newServer(&history{})
	tests := []struct {
		name   string
		target string
		code   int
		want   string
	}{
		{"list sorted by id", "/api/v1/checks", http.StatusOK, `{"checks": [` + billingJSON + `,` + newOneJSON + `]}`},
		{"one", "/api/v1/checks/billing-api", http.StatusOK, billingJSON},
		{"never ran", "/api/v1/checks/new-one", http.StatusOK, newOneJSON},
		{"unknown id", "/api/v1/checks/nope", http.StatusNotFound, `{"error": "no check with id \"nope\"", "param": "id"}`},
		{"results of unknown id", "/api/v1/checks/nope/results", http.StatusNotFound, `{"error": "no check with id \"nope\"", "param": "id"}`},
		{"health", "/healthz", http.StatusOK, `{"status": "ok"}`},
		{"unknown path", "/api/v2/checks", http.StatusNotFound, `{"error": "no such endpoint: /api/v2/checks"}`},
		{"below a check", "/api/v1/checks/web/nothing", http.StatusNotFound, `{"error": "no such endpoint: /api/v1/checks/web/nothing"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			expectJSON(t, srv, tt.target, tt.code, tt.want)
		})
	}
}

func TestResults(t *testing.T) {
	h := &history{results: []bus.Result{
		{Check: "billing-api", Start: time.Date(2026, 11, 21, 21, 0, 0, 123e6, cet), Duration: 12300 * time.Microsecond,
			Status: probe.StatusUp, Reason: "HTTP 200"},
		{Check: "billing-api", Start: time.Date(2026, 11, 21, 20, 0, 10, 0, time.UTC), Duration: 10 * time.Second,
			Status: probe.StatusDown, Reason: "context deadline exceeded"},
	}}
	srv := newServer(h)
	expectJSON(t, srv, "/api/v1/checks/billing-api/results", http.StatusOK, `{"results": [
	  {"time": "2026-11-21T20:00:00.123Z", "status": "up", "reason": "HTTP 200", "latency_ms": 12.3},
	  {"time": "2026-11-21T20:00:10Z", "status": "down", "reason": "context deadline exceeded", "latency_ms": 10000}
	]}`)
	want := rangeArgs{Check: "billing-api", From: now.Add(-time.Hour), To: now, Limit: 1000}
	if diff := cmp.Diff(want, h.asked); diff != "" {
		t.Errorf("default range (-want +got):\n%s", diff)
	}

	h.results = nil
	expectJSON(t, srv, "/api/v1/checks/billing-api/results", http.StatusOK, `{"results": []}`)
	h.err = errHistory
	expectJSON(t, srv, "/api/v1/checks/billing-api/results", http.StatusInternalServerError,
		`{"error": "reading results: nats: no responders available for request"}`)
}

// echo answers with its name and the path it saw.
func echo(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{%q: %q}`, name, r.URL.Path)
	})
}

func TestMounts(t *testing.T) {
	full := api.New(api.Deps{Catalog: testChecks(), States: testStates(), History: &history{},
		Prometheus: echo("prometheus"), Metrics: echo("metrics"), Web: echo("web")})
	tests := []struct {
		target string
		code   int
		want   string
	}{
		{"/prometheus/api/v1/query", http.StatusOK, `{"prometheus": "/api/v1/query"}`},
		{"/metrics", http.StatusOK, `{"metrics": "/metrics"}`},
		{"/", http.StatusOK, `{"web": "/"}`},
		{"/checks/web", http.StatusOK, `{"web": "/checks/web"}`},
		{"/api/nope", http.StatusNotFound, `{"error": "no such endpoint: /api/nope"}`}, // not the web UI
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			expectJSON(t, full, tt.target, tt.code, tt.want)
		})
	}
}
