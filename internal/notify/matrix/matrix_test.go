package matrix

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

const token = "syt_c2VjcmV0_token123"

func newNotifier(t *testing.T, homeserver string, timeout time.Duration) *Notifier {
	t.Helper()
	s := NewSettings()
	s.Homeserver, s.AccessToken, s.RoomID = homeserver, token, "!room:example.org"
	s.Timeout = timeout
	n, err := New(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
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
			if retry, err := newNotifier(t, srv.URL+"/", 2*time.Second).Notify(context.Background(), tt.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			wantPath := "/_matrix/client/v3/rooms/!room:example.org/send/m.room.message/" + txnID(tt.msg.ID)
			if r.Method != http.MethodPut || r.Path != wantPath {
				t.Errorf("request = %s %s, want PUT %s", r.Method, r.Path, wantPath)
			}
			if got := r.Header.Get("Authorization"); got != "Bearer "+token {
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
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("accepted", 200, `{"event_id":"$ev1"}`, "", false),
		notifytest.Case("no event id", 200, `{}`, "reply without event_id", true),
		notifytest.Case("not json", 200, `<html>maintenance</html>`, "reply without event_id", true),
		notifytest.Case("bad request", 400, `{"errcode":"M_BAD_JSON","error":"bad"}`, "HTTP 400", false),
		notifytest.Case("unknown token", 401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token"}`, "HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"errcode":"M_FORBIDDEN","error":"not in room"}`, "HTTP 403", false),
		notifytest.Case("not found", 404, `{"errcode":"M_NOT_FOUND","error":"no room"}`, "HTTP 404", false),
		notifytest.Case("rate limited", 429, `{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}`, "HTTP 429", true),
		notifytest.Case("rate limited in a 400", 400, `{"errcode":"M_LIMIT_EXCEEDED"}`, "M_LIMIT_EXCEEDED", true),
		notifytest.Case("server error", 500, `{"errcode":"M_UNKNOWN"}`, "HTTP 500", true),
		notifytest.Case("forbidden from a 502 proxy", 502, `{"errcode":"M_FORBIDDEN"}`, "HTTP 502", false),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, 2*time.Second))
	}, token)
}

func TestTokenNeverInError(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"errcode":"M_FORBIDDEN","error":"you sent ` + r.Header.Get("Authorization") + `"}`))
	}
	_, err := newNotifier(t, srv.URL, 2*time.Second).Notify(context.Background(), notifytest.Problem())
	if err == nil || strings.Contains(err.Error(), token) {
		t.Fatalf("err = %v, want an error without the token", err)
	}
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, 200*time.Millisecond))
	}, token)
}

func TestSettingsErrors(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Settings)
		field  string // "" means valid
	}{
		{"valid", func(*Settings) {}, ""},
		{"token file", func(s *Settings) { s.AccessToken, s.AccessTokenFile = "", tokenFile }, ""},
		{"notice", func(s *Settings) { s.MsgType = MsgTypeNotice }, ""},
		{"room v12 id", func(s *Settings) { s.RoomID = "!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM" }, ""},
		{"no homeserver", func(s *Settings) { s.Homeserver = "" }, "homeserver"},
		{"ftp homeserver", func(s *Settings) { s.Homeserver = "ftp://example.org" }, "homeserver"},
		{"homeserver with query", func(s *Settings) { s.Homeserver = "https://example.org/?x=1" }, "homeserver"},
		{"no token", func(s *Settings) { s.AccessToken = "" }, "access_token"},
		{"token and file", func(s *Settings) { s.AccessTokenFile = tokenFile }, "access_token"},
		{"missing token file", func(s *Settings) { s.AccessToken, s.AccessTokenFile = "", filepath.Join(dir, "nope") }, "access_token_file"},
		{"no room", func(s *Settings) { s.RoomID = "" }, "room_id"},
		{"alias", func(s *Settings) { s.RoomID = "#ops:example.org" }, "room_id"},
		{"not a room id", func(s *Settings) { s.RoomID = "ops" }, "room_id"},
		{"msgtype", func(s *Settings) { s.MsgType = "m.emote" }, "msgtype"},
		{"timeout", func(s *Settings) { s.Timeout = -time.Second }, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSettings()
			s.Homeserver, s.AccessToken, s.RoomID = "https://matrix.example.org", token, "!room:example.org"
			tt.change(s)
			_, err := s.Notifier()
			if got := notifytest.Field(err); got != tt.field {
				t.Fatalf("err = %v, want a problem with %q", err, tt.field)
			}
			notifytest.NoSecret(t, err, token)
		})
	}
}

func TestSettingsYAML(t *testing.T) {
	doc := "homeserver: https://matrix.example.org\naccess_token: " + token + "\nroom_id: '!ops:example.org'\nmsgtype: m.notice\ntimeout: 5s\n"
	s := NewSettings()
	notifytest.Decode(t, doc, s)
	want := &Settings{Homeserver: "https://matrix.example.org", AccessToken: token, RoomID: "!ops:example.org",
		MsgType: MsgTypeNotice, Timeout: 5 * time.Second}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}
