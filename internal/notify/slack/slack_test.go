package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	hookPath  = "/services/T000/B000/HoOkSeCrEt"
	hookToken = "HoOkSeCrEt"
	botToken  = "xoxb-1-BoTsEcReT"
	botSecret = "BoTsEcReT"
)

// newNotifier decodes doc strictly into fresh settings, as config does,
// and builds the notifier.
func newNotifier(t *testing.T, doc string) (*Notifier, error) {
	t.Helper()
	s := NewSettings()
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil {
		t.Fatalf("decoding %q: %v", doc, err)
	}
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

func webhookDoc(base string) string { return "webhook_url: " + base + hookPath }
func botDoc(base string) string {
	return "bot_token: " + botToken + "\nchannel: C0123\napi_url: " + base + "/api"
}

// checkNoSecret fails the test when err's text carries a credential.
func checkNoSecret(t *testing.T, err error) {
	t.Helper()
	if err != nil && (strings.Contains(err.Error(), hookToken) || strings.Contains(err.Error(), botSecret)) {
		t.Errorf("error reveals a secret: %v", err)
	}
}

// jsonDiff compares two JSON documents by value.
func jsonDiff(t *testing.T, want string, got []byte) string {
	t.Helper()
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("request body is not JSON: %v: %s", err, got)
	}
	return cmp.Diff(w, g)
}

const (
	problemAttachments = `[{"color": "danger", "blocks": [
		{"type": "section", "text": {"type": "mrkdwn", "text": "*DOWN: Billing API — connection refused*\nDown since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42"}},
		{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Open in Picket"}, "url": "https://picket.example/incidents/inc-42"}]}]}]`
	recoveryAttachments = `[{"color": "good", "blocks": [
		{"type": "section", "text": {"type": "mrkdwn", "text": "*UP: Billing API — back after 12m*\nUp again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42"}},
		{"type": "actions", "elements": [{"type": "button", "text": {"type": "plain_text", "text": "Open in Picket"}, "url": "https://picket.example/incidents/inc-42"}]}]}]`
)

func TestRequest(t *testing.T) {
	tests := []struct {
		name, reply       string
		doc               func(base string) string
		msg               notify.Message
		path, auth, ctype string
		want              string
	}{
		{"webhook problem", "ok", webhookDoc, notifytest.Problem(), hookPath, "", "application/json",
			`{"text": "DOWN: Billing API — connection refused", "unfurl_links": false, "attachments": ` + problemAttachments + `}`},
		{"webhook recovery", "ok", webhookDoc, notifytest.Recovery(), hookPath, "", "application/json",
			`{"text": "UP: Billing API — back after 12m", "unfurl_links": false, "attachments": ` + recoveryAttachments + `}`},
		{"bot problem", `{"ok":true,"channel":"C0123","ts":"1.2"}`, botDoc, notifytest.Problem(), "/api/chat.postMessage",
			"Bearer " + botToken, "application/json; charset=utf-8",
			`{"channel": "C0123", "text": "DOWN: Billing API — connection refused", "unfurl_links": false, "attachments": ` + problemAttachments + `}`},
		{"bot recovery", `{"ok":true,"channel":"C0123","ts":"1.3"}`, botDoc, notifytest.Recovery(), "/api/chat.postMessage",
			"Bearer " + botToken, "application/json; charset=utf-8",
			`{"channel": "C0123", "text": "UP: Billing API — back after 12m", "unfurl_links": false, "attachments": ` + recoveryAttachments + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, tt.reply)
			n := mustNotifier(t, tt.doc(srv.URL))
			if retry, err := n.Notify(context.Background(), tt.msg); err != nil || retry {
				t.Fatalf("Notify = %v, %v; want success", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != tt.path {
				t.Errorf("request %s %s, want POST %s", r.Method, r.Path, tt.path)
			}
			if got := r.Header.Get("Authorization"); got != tt.auth {
				t.Errorf("Authorization = %q, want %q", got, tt.auth)
			}
			if got := r.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("Content-Type = %q, want %q", got, tt.ctype)
			}
			if d := jsonDiff(t, tt.want, r.Body); d != "" {
				t.Errorf("body (-want +got):\n%s", d)
			}
		})
	}
}

func TestPayload(t *testing.T) {
	grouped := notifytest.Problem()
	grouped.Status, grouped.URL = "degraded", ""
	grouped.Title, grouped.Text = "DEGRADED: <2> checks & more", "see <https://x|y>"
	grouped.Checks = append(grouped.Checks, notify.Check{ID: "edge", Status: "degraded", Reason: "latency > 300ms"})
	test := notifytest.Problem()
	test.Kind, test.Status, test.Severity, test.URL, test.Text = notify.KindTest, "", notify.SeverityInfo, "javascript:alert(1)", ""
	tests := []struct {
		name string
		msg  notify.Message
		want string
	}{
		{"escaped and grouped", grouped, `{"text": "DEGRADED: &lt;2&gt; checks &amp; more", "unfurl_links": false, "attachments": [{"color": "warning", "blocks": [
			{"type": "section", "text": {"type": "mrkdwn", "text": "*DEGRADED: &lt;2&gt; checks &amp; more*\nsee &lt;https://x|y&gt;"}},
			{"type": "section", "text": {"type": "mrkdwn", "text": "• *Billing API*: down — connection refused\n• *edge*: degraded — latency &gt; 300ms"}}]}]}`},
		{"no colour, no button", test, `{"text": "DOWN: Billing API — connection refused", "unfurl_links": false, "attachments": [{"blocks": [
			{"type": "section", "text": {"type": "mrkdwn", "text": "*DOWN: Billing API — connection refused*"}}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(payload(tt.msg))
			if err != nil {
				t.Fatal(err)
			}
			if d := jsonDiff(t, tt.want, b); d != "" {
				t.Errorf("payload (-want +got):\n%s", d)
			}
		})
	}
}

func TestReply(t *testing.T) {
	tests := []struct {
		name      string
		doc       func(base string) string
		status    int
		body      string
		wantErr   string // "" means success
		wantRetry bool
	}{
		{"webhook ok", webhookDoc, 200, "ok", "", false},
		{"webhook 200 without ok", webhookDoc, 200, "", "unexpected reply", false},
		{"webhook invalid payload", webhookDoc, 400, "invalid_payload", "HTTP 400: invalid_payload", false},
		{"webhook prohibited", webhookDoc, 403, "action_prohibited", "action_prohibited", false},
		{"webhook removed", webhookDoc, 404, "no_service", "HTTP 404: no_service", false},
		{"webhook archived", webhookDoc, 410, "channel_is_archived", "channel_is_archived", false},
		{"webhook rate limited", webhookDoc, 429, "rate_limited", "HTTP 429", true},
		{"webhook rollup error", webhookDoc, 500, "rollup_error", "rollup_error", true},
		{"api ok", botDoc, 200, `{"ok":true,"channel":"C0123","ts":"1.2"}`, "", false},
		{"api channel not found", botDoc, 200, `{"ok":false,"error":"channel_not_found"}`, "chat.postMessage: channel_not_found", false},
		{"api not in channel", botDoc, 200, `{"ok":false,"error":"not_in_channel"}`, "not_in_channel", false},
		{"api invalid auth", botDoc, 200, `{"ok":false,"error":"invalid_auth"}`, "invalid_auth", false},
		{"api missing scope", botDoc, 200, `{"ok":false,"error":"missing_scope","needed":"chat:write"}`, "needs scope chat:write", false},
		{"api ok false without error", botDoc, 200, `{"ok":false}`, `"ok" is false`, false},
		{"api ratelimited in band", botDoc, 200, `{"ok":false,"error":"ratelimited"}`, "ratelimited", true},
		{"api internal error", botDoc, 200, `{"ok":false,"error":"internal_error"}`, "internal_error", true},
		{"api HTTP 429", botDoc, 429, `{"ok":false,"error":"ratelimited"}`, "HTTP 429", true},
		{"api HTTP 503", botDoc, 503, `upstream unavailable`, "HTTP 503", true},
		{"api not JSON", botDoc, 200, `<html>login</html>`, "not a Web API reply", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(tt.status, tt.body)
			n := mustNotifier(t, tt.doc(srv.URL))
			retry, err := n.Notify(context.Background(), notifytest.Problem())
			t.Logf("Notify = %v, %v", retry, err)
			checkNoSecret(t, err)
			if tt.wantErr == "" {
				if err != nil || retry {
					t.Fatalf("Notify = %v, %v; want success", retry, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Notify error = %v, want one containing %q", err, tt.wantErr)
			}
			if retry != tt.wantRetry {
				t.Errorf("retry = %v, want %v", retry, tt.wantRetry)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	done := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(done) }) // runs first: lets the handler return
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name string
		doc  string
	}{
		{"webhook never answers", webhookDoc(hang.URL)},
		{"webhook refused", webhookDoc(closed.URL)},
		{"api never answers", botDoc(hang.URL)},
		{"api refused", botDoc(closed.URL)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := mustNotifier(t, tt.doc+"\ntimeout: 200ms")
			retry, err := n.Notify(context.Background(), notifytest.Problem())
			t.Logf("Notify = %v, %v", retry, err)
			if err == nil || !retry {
				t.Fatalf("Notify = %v, %v; want a retryable error", retry, err)
			}
			checkNoSecret(t, err)
		})
	}
}

func TestSettings(t *testing.T) {
	dir := t.TempDir()
	hookFile := filepath.Join(dir, "hook")
	if err := os.WriteFile(hookFile, []byte("https://hooks.slack.com"+hookPath+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const hook = "webhook_url: https://hooks.slack.com" + hookPath
	const bot = "bot_token: " + botToken
	tests := []struct {
		name, doc string
		field     string // "" means valid
	}{
		{"webhook", hook, ""},
		{"webhook file", "webhook_url_file: " + hookFile, ""},
		{"bot", bot + "\nchannel: '#ops'", ""},
		{"bot with own API", bot + "\nchannel: C1\napi_url: http://127.0.0.1:9/api", ""},
		{"neither", "timeout: 5s", "webhook_url"},
		{"both", hook + "\n" + bot + "\nchannel: C1", "webhook_url"},
		{"webhook and file", hook + "\nwebhook_url_file: " + hookFile, "webhook_url"},
		{"token file missing", "bot_token_file: " + filepath.Join(dir, "nope") + "\nchannel: C1", "bot_token"},
		{"webhook not a URL", "webhook_url: hooks.slack.com" + hookPath, "webhook_url"},
		{"webhook unparsable", "webhook_url: \"https://hooks.slack.com" + hookPath + "%zz\"", "webhook_url"},
		{"channel with webhook", hook + "\nchannel: C1", "channel"},
		{"api_url with webhook", hook + "\napi_url: http://127.0.0.1:9/api", "api_url"},
		{"bot without channel", bot, "channel"},
		{"bot with ftp api", bot + "\nchannel: C1\napi_url: ftp://slack.com/api", "api_url"},
		{"negative timeout", hook + "\ntimeout: -1s", "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newNotifier(t, tt.doc)
			t.Logf("New: %v", err)
			checkNoSecret(t, err)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			var fe *notify.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.field {
				t.Fatalf("New error = %v, want a field error for %q", err, tt.field)
			}
		})
	}
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.WebhookURL = "https://hooks.slack.com" + hookPath
	var _ notify.Settings = s
	if _, err := s.Notifier(); err != nil {
		t.Fatalf("Notifier: %v", err)
	}
}

func TestEchoedSecret(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, "Cannot POST "+r.URL.Path+" with "+r.Header.Get("Authorization"))
	}))
	t.Cleanup(echo.Close)
	for _, doc := range []string{webhookDoc(echo.URL), botDoc(echo.URL)} {
		n := mustNotifier(t, doc)
		retry, err := n.Notify(context.Background(), notifytest.Problem())
		t.Logf("Notify = %v, %v", retry, err)
		if err == nil || retry || !strings.Contains(err.Error(), "Cannot POST") {
			t.Fatalf("Notify = %v, %v; want the final 404", retry, err)
		}
		checkNoSecret(t, err)
	}
}
