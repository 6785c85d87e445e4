package telegram

import (
	"context"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
	"github.com/picket-monitor/picket/internal/secret"
)

const (
	token       = "123456:SeCrEt-token_part"
	tokenSecret = "SeCrEt-token_part"
)

// newNotifier decodes doc strictly into fresh settings, as config does,
// and builds the notifier.
func newNotifier(t *testing.T, doc string) *Notifier {
	t.Helper()
	return notifytest.FromYAML(t, NewSettings, New, doc)
}

func TestRequest(t *testing.T) {
	tests := []struct {
		name string
		msg  notify.Message
		want string
	}{
		{"problem", notifytest.Problem(), `{"chat_id": "-100123", "message_thread_id": 7, "parse_mode": "HTML",
			"link_preview_options": {"is_disabled": true},
			"text": "<b><a href=\"https://picket.example/incidents/inc-42\">DOWN: Billing API — connection refused</a></b>\nDown since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42"}`},
		{"recovery is silent", notifytest.Recovery(), `{"chat_id": "-100123", "message_thread_id": 7, "parse_mode": "HTML",
			"link_preview_options": {"is_disabled": true}, "disable_notification": true,
			"text": "<b><a href=\"https://picket.example/incidents/inc-42\">UP: Billing API — back after 12m</a></b>\nUp again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, `{"ok":true,"result":{"message_id":4711,"chat":{"id":-100123}}}`)
			n := newNotifier(t, "api_url: "+srv.URL+"\nbot_token: "+token+
				"\nchat_id: -100123\nmessage_thread_id: 7\nsilent_kinds: [recovery]")
			id, retry, err := n.Send(context.Background(), tt.msg)
			if err != nil || retry || id != 4711 {
				t.Fatalf("Send = %d, %v, %v; want 4711, false, nil", id, retry, err)
			}
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: "/bot" + token + "/sendMessage",
				Header: map[string]string{"Content-Type": "application/json"}, JSON: tt.want})
		})
	}
}

func TestFormat(t *testing.T) {
	grouped := notifytest.Problem()
	grouped.URL = ""
	grouped.Title = `DOWN: 2 checks <a&b>`
	grouped.Text = `x < 1 & "y" > 2`
	grouped.Checks = append(grouped.Checks, notify.Check{ID: "edge<1>", Status: "down", Reason: "timeout"})
	notLink := notifytest.Problem()
	notLink.URL, notLink.Text = "/incidents/inc-42", ""
	tests := []struct {
		name string
		msg  notify.Message
		want string
	}{
		{"escapes and lists checks", grouped, "<b>DOWN: 2 checks &lt;a&amp;b&gt;</b>\nx &lt; 1 &amp; &quot;y&quot; &gt; 2\n" +
			"\n• Billing API: down — connection refused\n• edge&lt;1&gt;: down — timeout"},
		{"relative URL is not linked", notLink, "<b>DOWN: Billing API — connection refused</b>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if d := cmp.Diff(tt.want, format(tt.msg)); d != "" {
				t.Errorf("format (-want +got):\n%s", d)
			}
		})
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("ok", 200, `{"ok":true,"result":{"message_id":9}}`, "", false),
		notifytest.Case("ok false with 200", 200, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`, "error 400: Bad Request: chat not found", false),
		notifytest.Case("flood control with 200", 200, `{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":3}}`, "retry after 3s", true),
		notifytest.Case("bad request", 400, `{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}`, "can't parse entities", false),
		notifytest.Case("migrated group", 400, `{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009}}`, "chat_id -1009", false),
		notifytest.Case("unauthorized", 401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`, "error 401: Unauthorized", false),
		notifytest.Case("blocked", 403, `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`, "bot was blocked", false),
		notifytest.Case("wrong token", 404, `{"ok":false,"error_code":404,"description":"Not Found"}`, "error 404", false),
		notifytest.Case("too many requests", 429, `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`, "retry after 5s", true),
		notifytest.Case("server error", 500, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, "error 500", true),
		notifytest.Case("not the Bot API", 200, `{}`, "not a Bot API reply", false),
		notifytest.Case("html with 200", 200, `<html>hello</html>`, "not a Bot API reply", false),
	}, notifytest.HTTPErrors(map[int]string{502: `<html>Bad Gateway</html>`})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, "api_url: "+srv.URL+"\nbot_token: "+token+"\nchat_id: '@picket'"))
	}, tokenSecret)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, "api_url: "+base+"\nbot_token: "+token+"\nchat_id: '1'\ntimeout: 200ms"))
	}, tokenSecret)
}

func TestSettings(t *testing.T) {
	tokenFile := notifytest.File(t, token)
	wrongFile := notifytest.File(t, "https://api.telegram.org/bot"+token)
	notifytest.CheckDocs(t, NewSettings, New, []notifytest.Doc{
		notifytest.Setting("token file and numeric chat id", "bot_token_file: "+tokenFile+"\nchat_id: -100123", ""),
		notifytest.Setting("channel username", "bot_token: "+token+"\nchat_id: '@picket_alerts'", ""),
		notifytest.Setting("no token", "chat_id: '1'", "bot_token"),
		notifytest.Setting("token and file", "bot_token: "+token+"\nbot_token_file: "+tokenFile+"\nchat_id: '1'", "bot_token"),
		notifytest.Setting("missing file", "bot_token_file: "+notifytest.Missing(t)+"\nchat_id: '1'", "bot_token_file"),
		notifytest.Setting("file holds a URL", "bot_token_file: "+wrongFile+"\nchat_id: '1'", "bot_token"),
		notifytest.Setting("no chat id", "bot_token: "+token, "chat_id"),
		notifytest.Setting("chat id is a name", "bot_token: "+token+"\nchat_id: ops", "chat_id"),
		notifytest.Setting("api_url not http", "bot_token: "+token+"\nchat_id: '1'\napi_url: ftp://example.org", "api_url"),
		notifytest.Setting("api_url without host", "bot_token: "+token+"\nchat_id: '1'\napi_url: /bot", "api_url"),
		notifytest.Setting("negative thread", "bot_token: "+token+"\nchat_id: '1'\nmessage_thread_id: -1", "message_thread_id"),
		notifytest.Setting("unknown kind", "bot_token: "+token+"\nchat_id: '1'\nsilent_kinds: [recovery, resolved]", "silent_kinds[1]"),
		notifytest.Setting("zero timeout", "bot_token: "+token+"\nchat_id: '1'\ntimeout: 0s", "timeout"),
	}, tokenSecret)
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.BotToken, s.ChatID = token, "1"
	notifytest.CheckValid(t, s)
}

func TestEchoedToken(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusNotFound, func(r notifytest.Request) string { return "Cannot POST " + r.URI })
	n := newNotifier(t, "api_url: "+srv.URL+"\nbot_token: "+token+"\nchat_id: '1'")
	notifytest.CheckRejected(t, n, "Cannot POST /bot123456:"+secret.Redacted, tokenSecret)
}
