package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestResultsRange(t *testing.T) {
	tests := []struct {
		query string
		want  rangeArgs // for a 200
		param string    // for a 400: the parameter named
	}{
		{query: "", want: rangeArgs{From: now.Add(-time.Hour), To: now, Limit: 1000}},
		{query: "from=2026-11-21T19:00:00Z&to=2026-11-21T19:30:00.5Z&limit=5",
			want: rangeArgs{From: utc("2026-11-21T19:00:00Z"), To: utc("2026-11-21T19:30:00.5Z"), Limit: 5}},
		{query: "from=2026-11-21T20:00:00%2B01:00", want: rangeArgs{From: utc("2026-11-21T19:00:00Z"), To: now, Limit: 1000}},
		{query: "to=1795291200", want: rangeArgs{From: now.Add(-time.Hour), To: now, Limit: 1000}},
		{query: "from=1795291199.25", want: rangeArgs{From: now.Add(-750 * time.Millisecond), To: now, Limit: 1000}},
		{query: "to=2026-11-21T10:00:00Z", want: rangeArgs{From: utc("2026-11-21T09:00:00Z"), To: utc("2026-11-21T10:00:00Z"), Limit: 1000}},
		{query: "from=1795291200&to=1795291200", want: rangeArgs{From: now, To: now, Limit: 1000}},
		{query: "limit=1", want: rangeArgs{From: now.Add(-time.Hour), To: now, Limit: 1}},
		{query: "limit=10000", want: rangeArgs{From: now.Add(-time.Hour), To: now, Limit: 10000}},
		{query: "from=yesterday", param: "from"},
		{query: "from=", want: rangeArgs{From: now.Add(-time.Hour), To: now, Limit: 1000}},
		{query: "from=NaN", param: "from"},
		{query: "from=1e300", param: "from"},
		{query: "to=Inf", param: "to"},
		{query: "to=soon", param: "to"},
		{query: "from=2026-11-21T20:00:01Z", param: "from"}, // after now, the default to
		{query: "from=1795291200&to=1795291199", param: "from"},
		{query: "limit=0", param: "limit"},
		{query: "limit=-1", param: "limit"},
		{query: "limit=10001", param: "limit"},
		{query: "limit=ten", param: "limit"},
		{query: "limit=5&from=x", param: "from"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h := &history{}
			code, _, body := get(t, newServer(h), "/api/v1/checks/billing-api/results?"+tt.query)
			if tt.param != "" {
				expectParamError(t, code, body, tt.param)
				if msg, _ := body.(map[string]any)["error"].(string); !strings.Contains(msg, fmt.Sprintf("%q", tt.param)) {
					t.Errorf("message %q does not name parameter %q", msg, tt.param)
				}
				return
			}
			tt.want.Check = "billing-api"
			if diff := cmp.Diff(tt.want, h.asked); code != http.StatusOK || diff != "" {
				t.Errorf("status %d, Results called with (-want +got):\n%s", code, diff)
			}
		})
	}
}

// expectParamError checks a 400 with a message whose "param" is param.
func expectParamError(t *testing.T, code int, body any, param string) {
	t.Helper()
	m, _ := body.(map[string]any)
	msg, _ := m["error"].(string)
	if code != http.StatusBadRequest || m["param"] != param || msg == "" {
		t.Errorf("got %d %v, want 400 naming parameter %q", code, body, param)
	}
}

func TestErrorBodyAsDocumented(t *testing.T) {
	srv := newServer(&history{})
	expectJSON(t, srv, "/api/v1/events?from=yesterday", http.StatusBadRequest,
		`{"error": "invalid parameter \"from\": want RFC 3339 or Unix seconds, got \"yesterday\"", "param": "from"}`)
	expectJSON(t, srv, "/api/v1/events?from=2026-11-21T20:00:00Z&to=2026-11-21T19:00:00Z", http.StatusBadRequest,
		`{"error": "invalid parameter \"from\": after \"to\"", "param": "from"}`)
	expectJSON(t, srv, "/api/v1/events?limit=0", http.StatusBadRequest,
		`{"error": "invalid parameter \"limit\": want an integer from 1 to 10000, got \"0\"", "param": "limit"}`)
}

func TestEvents(t *testing.T) {
	h := &history{events: []bus.Event{{
		Seq: 12, Time: time.Date(2026, 11, 21, 21, 0, 0, 123e6, cet), Check: "billing-api", Kind: bus.EventKindState,
		From: probe.StatusUp, To: probe.StatusDown, Reason: "connection refused",
	}}}
	srv := newServer(h)
	const body = `{"events": [{"seq": 12, "time": "2026-11-21T20:00:00.123Z", "check": "billing-api",
	  "kind": "state", "from": "up", "to": "down", "reason": "connection refused"}]}`
	week := now.Add(-7 * 24 * time.Hour)
	tests := []struct {
		query string
		want  bus.EventFilter
	}{
		{"", bus.EventFilter{From: week, To: now, Limit: 1000}},
		{"check=billing-api", bus.EventFilter{Check: "billing-api", From: week, To: now, Limit: 1000}},
		{"check=new-one&from=1795291100&limit=3", bus.EventFilter{Check: "new-one", From: now.Add(-100 * time.Second), To: now, Limit: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			expectJSON(t, srv, "/api/v1/events?"+tt.query, http.StatusOK, body)
			if diff := cmp.Diff(tt.want, h.filter); diff != "" {
				t.Errorf("Events called with (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEventsErrors(t *testing.T) {
	tests := []struct {
		query string
		code  int
		param string
	}{
		{"check=nope", http.StatusBadRequest, "check"},
		{"check=" + url.QueryEscape("a b"), http.StatusBadRequest, "check"},
		{"check=billing-api&limit=x", http.StatusBadRequest, "limit"},
		{"to=x", http.StatusBadRequest, "to"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			h := &history{}
			code, _, body := get(t, newServer(h), "/api/v1/events?"+tt.query)
			expectParamError(t, code, body, tt.param)
			if h.filter != (bus.EventFilter{}) {
				t.Errorf("the history was read despite the bad request: %+v", h.filter)
			}
		})
	}
	t.Run("history fails", func(t *testing.T) {
		expectJSON(t, newServer(&history{err: errHistory}), "/api/v1/events", http.StatusInternalServerError,
			`{"error": "reading events: nats: no responders available for request"}`)
	})
}
