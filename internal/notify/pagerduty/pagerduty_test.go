package pagerduty

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const key = "R0uT1nGk3yR0uT1nGk3yR0uT1nGk3y00"

const accepted = `{"status":"success","message":"Event processed","dedup_key":"inc-42"}`

// valid returns settings that each case of TestSettingsErrors breaks in
// one place.
func valid() *Settings {
	s := NewSettings()
	s.RoutingKey = key
	return s
}

func newNotifier(t *testing.T, apiURL string, timeout time.Duration) *Notifier {
	t.Helper()
	s := valid()
	s.APIURL, s.Timeout = apiURL, timeout
	return notifytest.Build(t, New, s)
}

// decode turns a recorded body into generic JSON for comparison.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return v
}

func TestNotifyRequest(t *testing.T) {
	tests := []struct {
		name string
		msg  notify.Message
		want map[string]any
	}{
		{"problem triggers", notifytest.Problem(), map[string]any{
			"routing_key": key, "event_action": "trigger", "dedup_key": "inc-42",
			"payload": map[string]any{
				"summary": "DOWN: Billing API — connection refused", "source": "https://billing.example/health",
				"severity": "critical", "timestamp": "2026-11-21T20:00:00Z",
				"custom_details": map[string]any{
					"text": notifytest.Problem().Text,
					"checks": []any{map[string]any{"id": "billing-api", "name": "Billing API",
						"target": "https://billing.example/health", "status": "down", "reason": "connection refused"}},
					"labels": map[string]any{"team": "payments"},
				},
			},
			"client": "Picket", "client_url": "https://picket.example/incidents/inc-42",
			"links": []any{map[string]any{"href": "https://picket.example/incidents/inc-42", "text": "Incident in Picket"}},
		}},
		{"recovery resolves", notifytest.Recovery(), map[string]any{
			"routing_key": key, "event_action": "resolve", "dedup_key": "inc-42",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusAccepted, accepted)
			notifytest.Deliver(t, newNotifier(t, srv.URL+"/", 2*time.Second), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: "/v2/enqueue",
				Header: map[string]string{"Content-Type": "application/json"}, JSON: tt.want})
		})
	}
}

func TestIncidentSequenceSharesDedupKey(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Set(http.StatusAccepted, accepted)
	n := newNotifier(t, srv.URL, 2*time.Second)
	ack := notifytest.Problem()
	ack.ID, ack.Kind = "inc-42/ack", notify.KindAck
	for _, m := range []notify.Message{notifytest.Problem(), ack, notifytest.Recovery()} {
		if _, err := n.Notify(context.Background(), m); err != nil {
			t.Fatalf("Notify(%s): %v", m.Kind, err)
		}
	}
	var got [][2]string
	for _, r := range srv.Requests() {
		b := decode(t, r.Body)
		got = append(got, [2]string{b["event_action"].(string), b["dedup_key"].(string)})
	}
	want := [][2]string{{"trigger", "inc-42"}, {"acknowledge", "inc-42"}, {"resolve", "inc-42"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
}

func TestEventMapping(t *testing.T) {
	tests := []struct {
		kind     notify.Kind
		sev      notify.Severity
		action   string
		severity string
	}{
		{notify.KindProblem, notify.SeverityWarning, "trigger", "warning"},
		{notify.KindReminder, notify.SeverityCritical, "trigger", "critical"},
		{notify.KindFlapping, notify.SeverityInfo, "trigger", "info"},
		{notify.KindTest, "", "trigger", "error"},
		{notify.KindAck, notify.SeverityCritical, "acknowledge", ""},
		{notify.KindStable, notify.SeverityInfo, "resolve", ""},
	}
	n := &Notifier{key: key}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			m := notifytest.Problem()
			m.Kind, m.Severity, m.Title = tt.kind, tt.sev, strings.Repeat("é", 2000)
			ev, err := n.event(m)
			if err != nil {
				t.Fatal(err)
			}
			sev := ""
			if ev.Payload != nil {
				sev = ev.Payload.Severity
				if got := len([]rune(ev.Payload.Summary)); got != maxSummary {
					t.Errorf("summary has %d characters, want %d", got, maxSummary)
				}
			}
			if ev.EventAction != tt.action || sev != tt.severity {
				t.Errorf("event = %s/%q, want %s/%q", ev.EventAction, sev, tt.action, tt.severity)
			}
		})
	}
	if _, err := n.event(notify.Message{Kind: "bogus"}); err == nil {
		t.Error("an unknown kind made an event")
	}
}

func TestDedupKeyAndSource(t *testing.T) {
	n := &Notifier{key: key}
	dedupKey := func(m notify.Message) string {
		m.Kind = notify.KindAck
		ev, err := n.event(m)
		if err != nil {
			t.Fatal(err)
		}
		return ev.DedupKey
	}
	long := notify.Message{GroupKey: strings.Repeat("k", 300)}
	if k := dedupKey(long); len(k) > maxDedupKey || k != dedupKey(long) {
		t.Errorf("dedupKey(long) = %q", k)
	}
	if k := dedupKey(notify.Message{ID: "x/1"}); k != "x/1" {
		t.Errorf("dedupKey without group key = %q, want the id", k)
	}
	m := notify.Message{Checks: []notify.Check{{ID: "db", Target: "postgres://app:hunter2@db:5432/x"}}}
	if s := source(m); strings.Contains(s, "hunter2") {
		t.Errorf("source shows a password: %s", s)
	}
	if s := source(notify.Message{Checks: []notify.Check{{ID: "nightly"}}}); s != "nightly" {
		t.Errorf("source = %q, want the check id", s)
	}
}

func TestNotifyReplies(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("accepted", 202, accepted, "", false),
		notifytest.Case("accepted without key", 202, `{"status":"success","message":"Event processed"}`, "", false),
		notifytest.Case("in-band failure", 202, `{"status":"failure","message":"nope"}`, "not accepted", true),
		notifytest.Case("other dedup key", 202, `{"status":"success","dedup_key":"other"}`, `dedup key "other"`, false),
	}, notifytest.HTTPErrors(map[int]string{
		400: `{"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect"]}`,
		401: `{}`, 403: `{}`, 404: `{}`, 429: ``, 500: ``, 503: ``,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, 2*time.Second))
	}, key)
}

func TestKeyNeverInError(t *testing.T) {
	srv := notifytest.NewServer(t)
	// A server that echoes the event, routing key included.
	srv.Echo(http.StatusBadRequest, func(r notifytest.Request) string { return string(r.Body) })
	notifytest.CheckRejected(t, newNotifier(t, srv.URL, 2*time.Second), "", key)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, 200*time.Millisecond))
	}, key)
}

func TestSettingsErrors(t *testing.T) {
	keyFile := notifytest.File(t, key)
	missing := notifytest.Missing(t)
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(*Settings) {}, ""),
		notifytest.Setting("key file", func(s *Settings) { s.RoutingKey, s.RoutingKeyFile = "", keyFile }, ""),
		notifytest.Setting("no api url", func(s *Settings) { s.APIURL = "" }, "api_url"),
		notifytest.Setting("bad api url", func(s *Settings) { s.APIURL = "events.pagerduty.com" }, "api_url"),
		notifytest.Setting("no key", func(s *Settings) { s.RoutingKey = "" }, "routing_key"),
		notifytest.Setting("key and file", func(s *Settings) { s.RoutingKeyFile = keyFile }, "routing_key"),
		notifytest.Setting("key with space", func(s *Settings) { s.RoutingKey = "abc def" }, "routing_key"),
		notifytest.Setting("missing key file", func(s *Settings) { s.RoutingKey, s.RoutingKeyFile = "", missing }, "routing_key_file"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = -1 }, "timeout"),
	}, key)
}

func TestSettingsYAML(t *testing.T) {
	notifytest.CheckDecoded(t, "routing_key_file: /etc/picket/pd.key\ntimeout: 3s\n", NewSettings(),
		&Settings{APIURL: DefaultAPIURL, RoutingKeyFile: "/etc/picket/pd.key", Timeout: 3 * time.Second})
}
