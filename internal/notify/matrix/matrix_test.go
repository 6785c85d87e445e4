package matrix

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const token = "syt_c2VjcmV0_token123"

// valid returns settings that each case of TestSettingsErrors breaks in
// one place.
func valid() *Settings {
	s := NewSettings()
	s.Homeserver, s.AccessToken, s.RoomID = "https://matrix.example.org", token, "!room:example.org"
	return s
}

func newNotifier(t *testing.T, homeserver string, timeout time.Duration) *Notifier {
	t.Helper()
	s := valid()
	s.Homeserver, s.Timeout = homeserver, timeout
	return notifytest.Build(t, New, s)
}

func TestNotifyRequest(t *testing.T) {
	tests := []struct {
		name string
		msg  notify.Message
		want map[string]any
	}{
		{"problem", notifytest.Problem(), map[string]any{
			"msgtype": "m.text",
			"body":    "DOWN: Billing API — connection refused\n\n" + notifytest.Problem().Text,
			"format":  "org.matrix.custom.html",
			"formatted_body": `<p><strong><font color="#c62828">DOWN: Billing API — connection refused</font></strong></p>` +
				notifytest.Problem().HTML,
		}},
		{"recovery", notifytest.Recovery(), map[string]any{
			"msgtype": "m.text",
			"body":    "UP: Billing API — back after 12m\n\n" + notifytest.Recovery().Text,
			"format":  "org.matrix.custom.html",
			"formatted_body": `<p><strong><font color="#2e7d32">UP: Billing API — back after 12m</font></strong></p>` +
				notifytest.Recovery().HTML,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, `{"event_id":"$abc"}`)
			notifytest.Deliver(t, newNotifier(t, srv.URL+"/", 2*time.Second), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPut,
				Path:   "/_matrix/client/v3/rooms/!room:example.org/send/m.room.message/" + txnID(tt.msg.ID),
				Header: map[string]string{"Authorization": "Bearer " + token}, JSON: tt.want})
		})
	}
}

func TestTxnID(t *testing.T) {
	p, r := notifytest.Problem(), notifytest.Recovery()
	if txnID(p.ID) != txnID(p.ID) {
		t.Error("a retry of one message changed its transaction id")
	}
	if txnID(p.ID) == txnID(r.ID) {
		t.Error("two messages share a transaction id")
	}
	if txnID("") == txnID("") {
		t.Error("messages without an id share a transaction id")
	}
	if id := txnID("a/b?c"); strings.ContainsAny(id, "/?%") {
		t.Errorf("txnID = %q, want path-safe", id)
	}
}

func TestRenderEscapes(t *testing.T) {
	m := notify.Message{Kind: notify.KindProblem, Severity: notify.SeverityWarning,
		Title: "DEGRADED: <script>&", Text: "slow <b>\nline 2", URL: "https://p.example/i?a=1&b=2"}
	got := render(m, MsgTypeNotice)
	want := content{
		MsgType: "m.notice",
		Body:    "DEGRADED: <script>&\n\nslow <b>\nline 2\nhttps://p.example/i?a=1&b=2",
		Format:  "org.matrix.custom.html",
		FormattedBody: `<p><strong><font color="#ef6c00">DEGRADED: &lt;script&gt;&amp;</font></strong></p>` +
			`<p>slow &lt;b&gt;<br>line 2</p><p><a href="https://p.example/i?a=1&amp;b=2">Open in Picket</a></p>`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("render (-want +got):\n%s", diff)
	}
}

func TestNotifyReplies(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("accepted", 200, `{"event_id":"$ev1"}`, "", false),
		notifytest.Case("no event id", 200, `{}`, "reply without event_id", true),
		notifytest.Case("not json", 200, `<html>maintenance</html>`, "reply without event_id", true),
		notifytest.Case("rate limited in a 400", 400, `{"errcode":"M_LIMIT_EXCEEDED"}`, "M_LIMIT_EXCEEDED", true),
		notifytest.Case("forbidden from a 502 proxy", 502, `{"errcode":"M_FORBIDDEN"}`, "HTTP 502", false),
	}, notifytest.HTTPErrors(map[int]string{
		400: `{"errcode":"M_BAD_JSON","error":"bad"}`,
		401: `{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"}`,
		403: `{"errcode":"M_FORBIDDEN","error":"not in room"}`,
		404: `{"errcode":"M_NOT_FOUND","error":"no room"}`,
		429: `{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}`,
		500: `{"errcode":"M_UNKNOWN"}`,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, 2*time.Second))
	}, token)
}

func TestTokenNeverInError(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusForbidden, func(r notifytest.Request) string {
		return `{"errcode":"M_FORBIDDEN","error":"you sent ` + r.Header.Get("Authorization") + `"}`
	})
	notifytest.CheckRejected(t, newNotifier(t, srv.URL, 2*time.Second), "", token)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, 200*time.Millisecond))
	}, token)
}

func TestSettingsErrors(t *testing.T) {
	tokenFile := notifytest.File(t, token)
	missing := notifytest.Missing(t)
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(*Settings) {}, ""),
		notifytest.Setting("token file", func(s *Settings) { s.AccessToken, s.AccessTokenFile = "", tokenFile }, ""),
		notifytest.Setting("notice", func(s *Settings) { s.MsgType = MsgTypeNotice }, ""),
		notifytest.Setting("room v12 id", func(s *Settings) { s.RoomID = "!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM" }, ""),
		notifytest.Setting("no homeserver", func(s *Settings) { s.Homeserver = "" }, "homeserver"),
		notifytest.Setting("ftp homeserver", func(s *Settings) { s.Homeserver = "ftp://example.org" }, "homeserver"),
		notifytest.Setting("homeserver with query", func(s *Settings) { s.Homeserver = "https://example.org/?x=1" }, "homeserver"),
		notifytest.Setting("no token", func(s *Settings) { s.AccessToken = "" }, "access_token"),
		notifytest.Setting("token and file", func(s *Settings) { s.AccessTokenFile = tokenFile }, "access_token"),
		notifytest.Setting("missing token file", func(s *Settings) { s.AccessToken, s.AccessTokenFile = "", missing }, "access_token_file"),
		notifytest.Setting("no room", func(s *Settings) { s.RoomID = "" }, "room_id"),
		notifytest.Setting("alias", func(s *Settings) { s.RoomID = "#ops:example.org" }, "room_id"),
		notifytest.Setting("not a room id", func(s *Settings) { s.RoomID = "ops" }, "room_id"),
		notifytest.Setting("msgtype", func(s *Settings) { s.MsgType = "m.emote" }, "msgtype"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = -time.Second }, "timeout"),
	}, token)
}

func TestSettingsYAML(t *testing.T) {
	doc := "homeserver: https://matrix.example.org\naccess_token: " + token + "\nroom_id: '!ops:example.org'\nmsgtype: m.notice\ntimeout: 5s\n"
	notifytest.CheckDecoded(t, doc, NewSettings(), &Settings{Homeserver: "https://matrix.example.org", AccessToken: token,
		RoomID: "!ops:example.org", MsgType: MsgTypeNotice, Timeout: 5 * time.Second})
}
