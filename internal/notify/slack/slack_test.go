package slack

import (
	"encoding/json"
	"net/http"
	"testing"

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
func newNotifier(t *testing.T, doc string) *Notifier {
	t.Helper()
	return notifytest.FromYAML(t, NewSettings, New, doc)
}

func webhookDoc(base string) string { return "webhook_url: " + base + hookPath }
func botDoc(base string) string {
	return "bot_token: " + botToken + "\nchannel: C0123\napi_url: " + base + "/api"
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
			notifytest.Deliver(t, newNotifier(t, tt.doc(srv.URL)), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: tt.path,
				Header: map[string]string{"Authorization": tt.auth, "Content-Type": tt.ctype}, JSON: tt.want})
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
			if d := notifytest.JSONDiff(t, tt.want, b); d != "" {
				t.Errorf("payload (-want +got):\n%s", d)
			}
		})
	}
}

func TestReply(t *testing.T) {
	for name, tt := range map[string]struct {
		doc   func(base string) string
		cases []notifytest.Reply
	}{
		"webhook": {webhookDoc, []notifytest.Reply{
			notifytest.Case("ok", 200, "ok", "", false),
			notifytest.Case("200 without ok", 200, "", "unexpected reply", false),
			notifytest.Case("invalid payload", 400, "invalid_payload", "HTTP 400: invalid_payload", false),
			notifytest.Case("prohibited", 403, "action_prohibited", "action_prohibited", false),
			notifytest.Case("removed", 404, "no_service", "HTTP 404: no_service", false),
			notifytest.Case("archived", 410, "channel_is_archived", "channel_is_archived", false),
			notifytest.Case("rate limited", 429, "rate_limited", "HTTP 429", true),
			notifytest.Case("rollup error", 500, "rollup_error", "rollup_error", true),
		}},
		"api": {botDoc, []notifytest.Reply{
			notifytest.Case("ok", 200, `{"ok":true,"channel":"C0123","ts":"1.2"}`, "", false),
			notifytest.Case("channel not found", 200, `{"ok":false,"error":"channel_not_found"}`, "chat.postMessage: channel_not_found", false),
			notifytest.Case("not in channel", 200, `{"ok":false,"error":"not_in_channel"}`, "not_in_channel", false),
			notifytest.Case("invalid auth", 200, `{"ok":false,"error":"invalid_auth"}`, "invalid_auth", false),
			notifytest.Case("missing scope", 200, `{"ok":false,"error":"missing_scope","needed":"chat:write"}`, "needs scope chat:write", false),
			notifytest.Case("ok false without error", 200, `{"ok":false}`, `"ok" is false`, false),
			notifytest.Case("ratelimited in band", 200, `{"ok":false,"error":"ratelimited"}`, "ratelimited", true),
			notifytest.Case("internal error", 200, `{"ok":false,"error":"internal_error"}`, "internal_error", true),
			notifytest.Case("HTTP 429", 429, `{"ok":false,"error":"ratelimited"}`, "HTTP 429", true),
			notifytest.Case("HTTP 503", 503, `upstream unavailable`, "HTTP 503", true),
			notifytest.Case("not JSON", 200, `<html>login</html>`, "not a Web API reply", false),
		}},
	} {
		t.Run(name, func(t *testing.T) {
			notifytest.CheckReplies(t, tt.cases, func(t *testing.T, srv *notifytest.Server) (bool, error) {
				return notifytest.Send(newNotifier(t, tt.doc(srv.URL)))
			}, hookToken, botSecret)
		})
	}
}

func TestUnreachable(t *testing.T) {
	for name, doc := range map[string]func(string) string{"webhook": webhookDoc, "api": botDoc} {
		t.Run(name, func(t *testing.T) {
			notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
				return notifytest.Send(newNotifier(t, doc(base)+"\ntimeout: 200ms"))
			}, hookToken, botSecret)
		})
	}
}

func TestSettings(t *testing.T) {
	hookFile := notifytest.File(t, "https://hooks.slack.com"+hookPath)
	const hook = "webhook_url: https://hooks.slack.com" + hookPath
	const bot = "bot_token: " + botToken
	notifytest.CheckDocs(t, NewSettings, New, []notifytest.Doc{
		notifytest.Setting("webhook", hook, ""),
		notifytest.Setting("webhook file", "webhook_url_file: "+hookFile, ""),
		notifytest.Setting("bot", bot+"\nchannel: '#ops'", ""),
		notifytest.Setting("bot with own API", bot+"\nchannel: C1\napi_url: http://127.0.0.1:9/api", ""),
		notifytest.Setting("neither", "timeout: 5s", "webhook_url"),
		notifytest.Setting("both", hook+"\n"+bot+"\nchannel: C1", "webhook_url"),
		notifytest.Setting("webhook and file", hook+"\nwebhook_url_file: "+hookFile, "webhook_url"),
		notifytest.Setting("token file missing", "bot_token_file: "+notifytest.Missing(t)+"\nchannel: C1", "bot_token_file"),
		notifytest.Setting("webhook not a URL", "webhook_url: hooks.slack.com"+hookPath, "webhook_url"),
		notifytest.Setting("webhook unparsable", "webhook_url: \"https://hooks.slack.com"+hookPath+"%zz\"", "webhook_url"),
		notifytest.Setting("channel with webhook", hook+"\nchannel: C1", "channel"),
		notifytest.Setting("api_url with webhook", hook+"\napi_url: http://127.0.0.1:9/api", "api_url"),
		notifytest.Setting("bot without channel", bot, "channel"),
		notifytest.Setting("bot with ftp api", bot+"\nchannel: C1\napi_url: ftp://slack.com/api", "api_url"),
		notifytest.Setting("negative timeout", hook+"\ntimeout: -1s", "timeout"),
	}, hookToken, botSecret)
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.WebhookURL = "https://hooks.slack.com" + hookPath
	notifytest.CheckValid(t, s)
}

func TestEchoedSecret(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusNotFound, func(r notifytest.Request) string {
		return "Cannot POST " + r.Path + " with " + r.Header.Get("Authorization")
	})
	for _, doc := range []string{webhookDoc(srv.URL), botDoc(srv.URL)} {
		notifytest.CheckRejected(t, newNotifier(t, doc), "Cannot POST", hookToken, botSecret)
	}
}
