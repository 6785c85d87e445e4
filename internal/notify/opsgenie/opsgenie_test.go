package opsgenie

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const key = "eb243592-faa2-4ba2-a551q-1afdf565c889"

const accepted = `{"result":"Request will be processed","took":0.302,"requestId":"43a29c5c-3dbf-4fa4-9c26-f4f71023e120"}`

func newNotifier(t *testing.T, apiURL string, timeout time.Duration) *Notifier {
	t.Helper()
	s := NewSettings()
	s.APIURL, s.APIKey, s.Tags, s.Timeout = apiURL, key, []string{"prod"}, timeout
	n, err := New(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

func TestNotifyRequest(t *testing.T) {
	ack := notifytest.Problem()
	ack.ID, ack.Kind, ack.Title = "inc-42/ack", notify.KindAck, "ACK: Billing API — taken by ana"
	tests := []struct {
		name      string
		msg       notify.Message
		wantPath  string
		wantQuery string
		want      map[string]any
	}{
		{"problem creates", notifytest.Problem(), "/v2/alerts", "", map[string]any{
			"message": "DOWN: Billing API — connection refused", "alias": "inc-42",
			"description": notifytest.Problem().Text, "priority": "P1", "source": "Picket",
			"tags":    []any{"prod"},
			"details": map[string]any{"team": "payments", "incident_url": "https://picket.example/incidents/inc-42"},
		}},
		{"recovery closes", notifytest.Recovery(), "/v2/alerts/inc-42/close", "identifierType=alias", map[string]any{
			"source": "Picket", "user": "Picket", "note": "UP: Billing API — back after 12m",
		}},
		{"ack acknowledges", ack, "/v2/alerts/inc-42/acknowledge", "identifierType=alias", map[string]any{
			"source": "Picket", "user": "Picket", "note": "ACK: Billing API — taken by ana",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusAccepted, accepted)
			if retry, err := newNotifier(t, srv.URL+"/", 2*time.Second).Notify(context.Background(), tt.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != tt.wantPath || r.RawQuery != tt.wantQuery {
				t.Errorf("request = %s %s?%s, want POST %s?%s", r.Method, r.Path, r.RawQuery, tt.wantPath, tt.wantQuery)
			}
			if got := r.Header.Get("Authorization"); got != "GenieKey "+key {
				t.Errorf("Authorization = %q", got)
			}
			var got map[string]any
			if err := json.Unmarshal(r.Body, &got); err != nil {
				t.Fatalf("body %s: %v", r.Body, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlertFields(t *testing.T) {
	n := &Notifier{}
	m := notify.Message{Kind: notify.KindProblem, Severity: notify.SeverityWarning, Title: strings.Repeat("x", 200),
		Text: "slow", URL: "https://p.example/i/1", Labels: map[string]string{"incident_url": "mine"}}
	a := n.alert(m, "a")
	want := alert{Message: strings.Repeat("x", 129) + "…", Alias: "a", Description: "slow\nhttps://p.example/i/1",
		Priority: "P3", Source: "Picket", Details: map[string]string{"incident_url": "mine"}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("alert (-want +got):\n%s", diff)
	}
	for sev, want := range map[notify.Severity]string{notify.SeverityCritical: "P1", notify.SeverityInfo: "P5", "": "P3"} {
		if got := priority(sev); got != want {
			t.Errorf("priority(%q) = %s, want %s", sev, got, want)
		}
	}
	if _, body, _, _ := n.request(notify.Message{Kind: notify.KindProblem, GroupKey: strings.Repeat("k", 600)}); len(body.(alert).Alias) > maxAlias {
		t.Errorf("alias has %d characters", len(body.(alert).Alias))
	}
	if _, _, _, err := n.request(notify.Message{Kind: notify.KindRecovery}); err == nil {
		t.Error("closing an alert without an alias made a request")
	}
}

func TestNotifyReplies(t *testing.T) {
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("accepted", 202, accepted, "", false),
		notifytest.Case("no request id", 202, `{"result":"?"}`, "reply without requestId", true),
		notifytest.Case("bad request", 400, `{"message":"Request body is not processable","took":0.001,"requestId":"x"}`, "HTTP 400", false),
		notifytest.Case("unauthorized", 401, `{"message":"Key format is not valid!","took":0,"requestId":"x"}`, "HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"message":"forbidden"}`, "HTTP 403", false),
		notifytest.Case("not found", 404, `{"message":"not found"}`, "HTTP 404", false),
		notifytest.Case("unprocessable", 422, `{"message":"Request body is not processable. Please check the errors.","errors":{"message":"Message can not be empty."}}`, "HTTP 422", false),
		notifytest.Case("rate limited", 429, `{"message":"too many"}`, "HTTP 429", true),
		notifytest.Case("server error", 500, ``, "HTTP 500", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, 2*time.Second))
	}, key)
}

func TestKeyNeverInError(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"message":"bad key ` + r.Header.Get("Authorization") + `"}`))
	}
	_, err := newNotifier(t, srv.URL, 2*time.Second).Notify(context.Background(), notifytest.Problem())
	if err == nil || strings.Contains(err.Error(), key) {
		t.Fatalf("err = %v, want an error without the API key", err)
	}
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, 200*time.Millisecond))
	}, key)
}

func TestSettingsErrors(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "og.key")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Settings)
		field  string // "" means valid
	}{
		{"valid", func(*Settings) {}, ""},
		{"key file", func(s *Settings) { s.APIKey, s.APIKeyFile = "", keyFile }, ""},
		{"eu", func(s *Settings) { s.APIURL = "https://api.eu.opsgenie.com" }, ""},
		{"bad api url", func(s *Settings) { s.APIURL = "api.opsgenie.com" }, "api_url"},
		{"no key", func(s *Settings) { s.APIKey = "" }, "api_key"},
		{"key and file", func(s *Settings) { s.APIKeyFile = keyFile }, "api_key"},
		{"missing key file", func(s *Settings) { s.APIKey, s.APIKeyFile = "", filepath.Join(dir, "nope") }, "api_key_file"},
		{"empty tag", func(s *Settings) { s.Tags = []string{"ok", ""} }, "tags.1"},
		{"long tag", func(s *Settings) { s.Tags = []string{strings.Repeat("t", 51)} }, "tags.0"},
		{"too many tags", func(s *Settings) { s.Tags = make([]string, 21) }, "tags"},
		{"timeout", func(s *Settings) { s.Timeout = -1 }, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSettings()
			s.APIKey = key
			tt.change(s)
			_, err := s.Notifier()
			if got := notifytest.Field(err); got != tt.field {
				t.Fatalf("err = %v, want a problem with %q", err, tt.field)
			}
			notifytest.NoSecret(t, err, key)
		})
	}
}

func TestSettingsYAML(t *testing.T) {
	s := NewSettings()
	doc := "api_url: https://api.eu.opsgenie.com\napi_key_file: /etc/picket/opsgenie.key\ntags: [picket, prod]\n"
	notifytest.Decode(t, doc, s)
	want := &Settings{APIURL: "https://api.eu.opsgenie.com", APIKeyFile: "/etc/picket/opsgenie.key",
		Tags: []string{"picket", "prod"}, Timeout: notify.DefaultTimeout}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}
