package discord

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	hookPath   = "/api/webhooks/1234567890/WeBhOoK-SeCrEt"
	hookSecret = "WeBhOoK-SeCrEt"
)

// newNotifier decodes doc strictly into fresh settings, as config does,
// and builds the notifier.
func newNotifier(t *testing.T, doc string) (*Notifier, error) {
	t.Helper()
	s := NewSettings()
	notifytest.Decode(t, doc, s)
	return New(*s)
}

func mustNotifier(t *testing.T, doc string) *Notifier {
	t.Helper()
	n, err := newNotifier(t, doc)
	if err != nil {
		t.Fatalf("New(%q): %v", doc, err)
	}
	return n
}

func TestRequest(t *testing.T) {
	tests := []struct {
		name, extra, query string
		msg                notify.Message
		want               string
	}{
		{"problem", "\nusername: Picket", "wait=true", notifytest.Problem(), `{"username": "Picket", "allowed_mentions": {"parse": []},
			"embeds": [{"title": "DOWN: Billing API — connection refused", "url": "https://picket.example/incidents/inc-42",
			"description": "Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42",
			"color": 15158332, "timestamp": "2026-11-21T20:00:00Z",
			"fields": [{"name": "Billing API", "value": "down — connection refused", "inline": false}]}]}`},
		{"recovery into a thread", "", "thread_id=99&wait=true", notifytest.Recovery(), `{"allowed_mentions": {"parse": []},
			"embeds": [{"title": "UP: Billing API — back after 12m", "url": "https://picket.example/incidents/inc-42",
			"description": "Up again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42",
			"color": 3066993, "timestamp": "2026-11-21T20:00:00Z",
			"fields": [{"name": "Billing API", "value": "up — HTTP 200", "inline": false}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, `{"id":"1111","channel_id":"2222"}`)
			hook := srv.URL + hookPath
			if strings.Contains(tt.query, "thread_id") {
				hook += "?thread_id=99"
			}
			n := mustNotifier(t, "webhook_url: "+hook+tt.extra)
			if retry, err := n.Notify(context.Background(), tt.msg); err != nil || retry {
				t.Fatalf("Notify = %v, %v; want success", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != hookPath || r.RawQuery != tt.query {
				t.Errorf("request %s %s?%s, want POST %s?%s", r.Method, r.Path, r.RawQuery, hookPath, tt.query)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if d := notifytest.JSONDiff(t, tt.want, r.Body); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
		})
	}
}

func TestPayload(t *testing.T) {
	m := notifytest.Problem()
	m.Status, m.Severity, m.URL, m.Text, m.Time = "", notify.SeverityWarning, "", "", time.Time{}
	m.Checks = nil
	for i := range 12 {
		m.Checks = append(m.Checks, notify.Check{ID: "c" + string(rune('a'+i))})
	}
	b, err := json.Marshal(payload(m))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Embeds []struct {
			URL    string  `json:"url"`
			Color  int     `json:"color"`
			Fields []field `json:"fields"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	e := got.Embeds[0]
	if e.URL != "" || e.Color != amber || len(e.Fields) != maxFields+1 {
		t.Fatalf("embed url %q colour %x with %d fields; want no url, amber, %d fields", e.URL, e.Color, len(e.Fields), maxFields+1)
	}
	want := []field{{Name: "ca", Value: "-"}, {Name: "…", Value: "and 2 more"}}
	if d := cmp.Diff(want, []field{e.Fields[0], e.Fields[maxFields]}); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("saved", 200, `{"id":"1111"}`, "", false),
		notifytest.Case("no content", 204, ``, "", false),
		notifytest.Case("invalid form body", 400, `{"message": "Invalid Form Body", "code": 50035}`, "HTTP 400: {\"message\": \"Invalid Form Body\"", false),
		notifytest.Case("invalid token", 401, `{"message": "Invalid Webhook Token", "code": 50027}`, "Invalid Webhook Token", false),
		notifytest.Case("missing access", 403, `{"message": "Missing Access", "code": 50001}`, "HTTP 403", false),
		notifytest.Case("deleted webhook", 404, `{"message": "Unknown Webhook", "code": 10015}`, "Unknown Webhook", false),
		notifytest.Case("rate limited", 429, `{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}`, "retry_after", true),
		notifytest.Case("server error", 500, `{"message": "500: Internal Server Error", "code": 0}`, "HTTP 500", true),
		notifytest.Case("bad gateway", 502, `<html>bad gateway</html>`, "HTTP 502", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(mustNotifier(t, "webhook_url: "+srv.URL+hookPath))
	}, hookSecret)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(mustNotifier(t, "webhook_url: "+base+hookPath+"\ntimeout: 200ms"))
	}, hookSecret)
}

func TestEchoedWebhook(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "Cannot POST "+r.URL.String())
	}))
	t.Cleanup(echo.Close)
	n := mustNotifier(t, "webhook_url: "+echo.URL+hookPath)
	retry, err := n.Notify(context.Background(), notifytest.Problem())
	t.Logf("Notify = %v, %v", retry, err)
	if err == nil || retry {
		t.Fatalf("Notify = %v, %v; want a final error", retry, err)
	}
	notifytest.NoSecret(t, err, hookSecret)
}

func TestSettings(t *testing.T) {
	dir := t.TempDir()
	hookFile := filepath.Join(dir, "hook")
	if err := os.WriteFile(hookFile, []byte("https://discord.com"+hookPath+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const hook = "webhook_url: https://discord.com" + hookPath
	tests := []struct {
		name, doc string
		field     string // "" means valid
	}{
		{"webhook", hook, ""},
		{"webhook file and username", "webhook_url_file: " + hookFile + "\nusername: Picket", ""},
		{"no webhook", "username: Picket", "webhook_url"},
		{"webhook and file", hook + "\nwebhook_url_file: " + hookFile, "webhook_url"},
		{"missing file", "webhook_url_file: " + filepath.Join(dir, "nope"), "webhook_url_file"},
		{"not a URL", "webhook_url: discord.com" + hookPath, "webhook_url"},
		{"unparsable", "webhook_url: \"https://discord.com" + hookPath + "%zz\"", "webhook_url"},
		{"reserved username", hook + "\nusername: My Discord Bot", "username"},
		{"long username", hook + "\nusername: " + strings.Repeat("p", 81), "username"},
		{"zero timeout", hook + "\ntimeout: 0s", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newNotifier(t, tt.doc)
			t.Logf("New: %v", err)
			notifytest.NoSecret(t, err, hookSecret)
			if got := notifytest.Field(err); got != tt.field {
				t.Fatalf("New error = %v, want a field error for %q", err, tt.field)
			}
		})
	}
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.WebhookURL = "https://discord.com" + hookPath
	var _ notify.Settings = s
	if _, err := s.Notifier(); err != nil {
		t.Fatalf("Notifier: %v", err)
	}
}
