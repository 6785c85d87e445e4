package teams

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	hookPath  = "/workflows/0a1b2c/triggers/manual/paths/invoke"
	hookQuery = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SiGnAtUrE-secret123"
	sig       = "SiGnAtUrE-secret123"
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

func hookDoc(base string) string { return `webhook_url: "` + base + hookPath + "?" + hookQuery + `"` }

// wantCard is the envelope of a card with the given title, colour, text
// and fact value for the Billing API check.
func wantCard(title, color, text, value string) string {
	return `{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
		"content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
		"body": [
			{"type": "TextBlock", "text": "` + title + `", "weight": "Bolder", "size": "Medium", "color": "` + color + `", "wrap": true},
			{"type": "TextBlock", "text": "` + text + `", "wrap": true},
			{"type": "FactSet", "facts": [{"title": "Billing API", "value": "` + value + `"}]}],
		"actions": [{"type": "Action.OpenUrl", "title": "Open in Picket", "url": "https://picket.example/incidents/inc-42"}]}}]}`
}

func TestRequest(t *testing.T) {
	tests := []struct {
		name string
		msg  notify.Message
		want string
	}{
		{"problem", notifytest.Problem(), wantCard("DOWN: Billing API — connection refused", "Attention",
			`Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42`,
			"down — connection refused")},
		{"recovery", notifytest.Recovery(), wantCard("UP: Billing API — back after 12m", "Good",
			`Up again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42`,
			"up — HTTP 200")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusAccepted, "")
			n := mustNotifier(t, hookDoc(srv.URL))
			if retry, err := n.Notify(context.Background(), tt.msg); err != nil || retry {
				t.Fatalf("Notify = %v, %v; want success", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != hookPath || r.RawQuery != hookQuery {
				t.Errorf("request %s %s?%s, want POST %s?%s", r.Method, r.Path, r.RawQuery, hookPath, hookQuery)
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

func TestEnvelope(t *testing.T) {
	m := notifytest.Problem()
	m.Status, m.Severity, m.URL, m.Text = "degraded", notify.SeverityWarning, "", ""
	m.Checks = append(m.Checks, notify.Check{ID: "edge", Status: "degraded"})
	want := `{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
		"content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
		"body": [
			{"type": "TextBlock", "text": "DOWN: Billing API — connection refused", "weight": "Bolder", "size": "Medium", "color": "Warning", "wrap": true},
			{"type": "FactSet", "facts": [{"title": "Billing API", "value": "down — connection refused"}, {"title": "edge", "value": "degraded"}]}]}}]}`
	b, err := json.Marshal(envelope(m))
	if err != nil {
		t.Fatal(err)
	}
	if d := notifytest.JSONDiff(t, want, b); d != "" {
		t.Errorf("envelope (-want +got):\n%s", d)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("accepted", 202, ``, "", false),
		notifytest.Case("ok", 200, `1`, "", false),
		notifytest.Case("bad card", 400, `{"error":{"code":"InvalidRequestContent","message":"The input body for trigger 'manual' of type 'Request' must be of type JSON"}}`, "InvalidRequestContent", false),
		notifytest.Case("bad signature", 401, `{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated."}}`, "HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"error":{"code":"Forbidden"}}`, "HTTP 403", false),
		notifytest.Case("deleted flow", 404, `{"error":{"code":"WorkflowNotFound","message":"The workflow was not found."}}`, "WorkflowNotFound", false),
		notifytest.Case("throttled", 429, `{"error":{"code":"WorkflowTriggerIsThrottled"}}`, "HTTP 429", true),
		notifytest.Case("server error", 500, `{"error":{"code":"InternalServerError"}}`, "HTTP 500", true),
		notifytest.Case("unavailable", 503, ``, "HTTP 503", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(mustNotifier(t, hookDoc(srv.URL)))
	}, sig)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(mustNotifier(t, hookDoc(base)+"\ntimeout: 200ms"))
	}, sig)
}

func TestEchoedSignature(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, "bad request to "+r.URL.String()+" sig "+r.URL.Query().Get("sig"))
	}))
	t.Cleanup(echo.Close)
	n := mustNotifier(t, hookDoc(echo.URL))
	retry, err := n.Notify(context.Background(), notifytest.Problem())
	t.Logf("Notify = %v, %v", retry, err)
	if err == nil || retry {
		t.Fatalf("Notify = %v, %v; want a final error", retry, err)
	}
	notifytest.NoSecret(t, err, sig)
}

func TestSettings(t *testing.T) {
	dir := t.TempDir()
	hookFile := filepath.Join(dir, "hook")
	if err := os.WriteFile(hookFile, []byte("https://prod.westus.logic.azure.com"+hookPath+"?"+hookQuery+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	hook := hookDoc("https://prod.westus.logic.azure.com")
	tests := []struct {
		name, doc string
		field     string // "" means valid
	}{
		{"webhook", hook, ""},
		{"webhook file", "webhook_url_file: " + hookFile, ""},
		{"no webhook", "timeout: 5s", "webhook_url"},
		{"webhook and file", hook + "\nwebhook_url_file: " + hookFile, "webhook_url"},
		{"missing file", "webhook_url_file: " + filepath.Join(dir, "nope"), "webhook_url_file"},
		{"not a URL", `webhook_url: "prod.westus.logic.azure.com` + hookPath + "?" + hookQuery + `"`, "webhook_url"},
		{"unparsable", `webhook_url: "https://prod.westus.logic.azure.com` + hookPath + "?" + hookQuery + `%zz\n"`, "webhook_url"},
		{"negative timeout", hook + "\ntimeout: -5s", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newNotifier(t, tt.doc)
			t.Logf("New: %v", err)
			notifytest.NoSecret(t, err, sig)
			if got := notifytest.Field(err); got != tt.field {
				t.Fatalf("New error = %v, want a field error for %q", err, tt.field)
			}
		})
	}
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.WebhookURL = "https://prod.westus.logic.azure.com" + hookPath + "?" + hookQuery
	var _ notify.Settings = s
	if _, err := s.Notifier(); err != nil {
		t.Fatalf("Notifier: %v", err)
	}
}
