package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
)

// sse is one server-sent event.
type sse struct {
	Name string
	Data any
}

// readEvent reads the next event from r, skipping the retry preamble and
// comments.
func readEvent(t *testing.T, r *bufio.Reader) sse {
	t.Helper()
	var ev sse
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the stream: %v", err)
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "" && ev.Name != "":
			return ev
		case strings.HasPrefix(line, "event: "):
			ev.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.Data); err != nil {
				t.Fatalf("data of %q is not JSON: %v", ev.Name, err)
			}
		}
	}
}

func TestStream(t *testing.T) {
	st := testStates()
	h := api.New(api.Deps{Catalog: testChecks(), States: st, History: &history{}})
	ended := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(ended)
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/api/v1/stream", nil)
	res, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || ct != "text/event-stream" {
		t.Fatalf("GET /api/v1/stream: %d %s, want 200 text/event-stream", res.StatusCode, ct)
	}
	r := bufio.NewReader(res.Body)
	if line, err := r.ReadString('\n'); err != nil || line != "retry: 2000\n" {
		t.Fatalf("first line %q (%v), want the retry preamble", line, err)
	}
	// The handler subscribed before it wrote the preamble.
	down := bus.State{Check: "billing-api", Status: probe.StatusDown, Reason: "connection refused",
		Since: time.Date(2026, 11, 21, 20, 0, 10, 0, time.UTC), LastCheck: time.Date(2026, 11, 21, 20, 0, 10, 0, time.UTC),
		Latency: 3 * time.Second}
	ev := bus.Event{Seq: 13, Time: down.Since, Check: "billing-api", Kind: bus.EventKindState,
		From: probe.StatusUp, To: probe.StatusDown, Reason: "connection refused"}
	st.publish(rule.Update{State: bus.State{Check: "removed", Status: probe.StatusUp}}) // not in the catalog: skipped
	st.publish(rule.Update{State: down, Event: &ev})
	down.LastCheck, down.Latency = down.LastCheck.Add(10*time.Second), 2500*time.Millisecond
	st.publish(rule.Update{State: down})

	stateJSON := func(last string, latencyMS float64) any {
		return decode(t, fmt.Sprintf(`{"id": "billing-api", "name": "Billing API", "type": "http",
		  "target": "https://billing.example.com/health", "labels": {"team": "payments"}, "interval_s": 10,
		  "status": "down", "reason": "connection refused", "since": "2026-11-21T20:00:10Z",
		  "last_check": %q, "latency_ms": %g}`, last, latencyMS))
	}
	want := []sse{
		{"state", stateJSON("2026-11-21T20:00:10Z", 3000)},
		{"event", decode(t, `{"seq": 13, "time": "2026-11-21T20:00:10Z", "check": "billing-api",
		  "kind": "state", "from": "up", "to": "down", "reason": "connection refused"}`)},
		{"state", stateJSON("2026-11-21T20:00:20Z", 2500)},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, readEvent(t, r)); diff != "" {
			t.Errorf("event %d (-want +got):\n%s", i, diff)
		}
	}

	cancel() // the client goes away: the handler must return and end its subscription
	timeout := time.After(waitFor)
	select {
	case <-ended:
	case <-timeout:
		t.Fatal("the stream handler still runs after the client disconnected")
	}
	select {
	case <-st.gone:
	case <-timeout:
		t.Fatal("the stream kept its subscription after the client disconnected")
	}
}
