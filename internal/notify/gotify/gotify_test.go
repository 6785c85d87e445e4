package gotify

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const testToken = "AzyoeNS.D4iJLVa"

const okReply = `{"id":25,"appid":5,"message":"x","title":"y","priority":8,"date":"2026-11-21T20:00:01Z"}`

// valid returns settings that each case of TestValidation breaks in one
// place.
func valid() *Settings {
	s := NewSettings()
	s.Server, s.Token = "https://gotify.example", testToken
	return s
}

// newNotifier builds a notifier for server from settings changed by edit.
func newNotifier(t *testing.T, server string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := valid()
	s.Server = server
	return notifytest.Build(t, New, s, edit)
}

func TestRequest(t *testing.T) {
	tests := []struct {
		name, path, wantPath string
		msg                  notify.Message
		wantPrio             float64
	}{
		{"problem", "", "/message", notifytest.Problem(), 8},
		{"recovery under a path", "/gotify/", "/gotify/message", notifytest.Recovery(), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, okReply)
			notifytest.Deliver(t, newNotifier(t, srv.URL+tc.path, nil), tc.msg)
			want := map[string]any{
				"title": tc.msg.Title, "message": tc.msg.Text, "priority": tc.wantPrio,
				"extras": map[string]any{
					"client::display":      map[string]any{"contentType": "text/plain"},
					"client::notification": map[string]any{"click": map[string]any{"url": tc.msg.URL}},
				},
			}
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: tc.wantPath,
				Header: map[string]string{"X-Gotify-Key": testToken, "Content-Type": "application/json"}, JSON: want})
		})
	}
}

func TestMessageWithoutURLOrText(t *testing.T) {
	n := newNotifier(t, "https://gotify.example", func(s *Settings) { s.Priorities = map[string]int{"warning": 6} })
	m := notifytest.Problem()
	m.URL, m.Text, m.Severity = "", "", "unknown"
	got := n.message(m)
	if _, ok := got.Extras["client::notification"]; ok || got.Message != m.Title || got.Priority != 6 {
		t.Errorf("message = %+v", got)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("stored", 200, okReply, "", false),
		notifytest.Case("no id", 200, `{}`, "unexpected reply", false),
		notifytest.Case("not json", 200, `ok`, "unexpected reply", false),
	}, notifytest.HTTPErrors(map[int]string{
		400: `{"error":"Bad Request","errorCode":400,"errorDescription":"Field 'message' is required"}`,
		401: `{"error":"Unauthorized","errorCode":401,"errorDescription":"you need to provide a valid access token or user credentials to access this api"}`,
		403: `{"error":"Forbidden","errorCode":403,"errorDescription":"x"}`,
		404: `404 page not found`,
		429: `slow down`,
		500: `{"error":"Internal Server Error","errorCode":500}`,
		502: `<html>bad gateway</html>`,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, nil))
	}, testToken)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, func(s *Settings) { s.Timeout = 200 * time.Millisecond }))
	}, testToken)
}

func TestErrorsHideToken(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusUnauthorized, func(r notifytest.Request) string {
		return fmt.Sprintf(`{"error":"Unauthorized","errorCode":401,"errorDescription":"bad token %s"}`, r.Header.Get("X-Gotify-Key"))
	})
	notifytest.CheckRejected(t, newNotifier(t, srv.URL, nil), "", testToken)
}

func TestValidation(t *testing.T) {
	tokenFile := notifytest.File(t, testToken)
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(s *Settings) {}, ""),
		notifytest.Setting("token file", func(s *Settings) { s.Token, s.TokenFile = "", tokenFile }, ""),
		notifytest.Setting("no server", func(s *Settings) { s.Server = "" }, "server"),
		notifytest.Setting("server scheme", func(s *Settings) { s.Server = "gotify.example" }, "server"),
		notifytest.Setting("token in server query", func(s *Settings) { s.Server = "https://gotify.example/?token=x" }, "server"),
		notifytest.Setting("no token", func(s *Settings) { s.Token = "" }, "token"),
		notifytest.Setting("token and file", func(s *Settings) { s.TokenFile = tokenFile }, "token"),
		notifytest.Setting("missing token file", func(s *Settings) { s.Token, s.TokenFile = "", "/nonexistent/token" }, "token_file"),
		notifytest.Setting("priority range", func(s *Settings) { s.Priorities["info"] = 11 }, "priorities.info"),
		notifytest.Setting("priority severity", func(s *Settings) { s.Priorities["page"] = 1 }, "priorities"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = -time.Second }, "timeout"),
		notifytest.Setting("several", func(s *Settings) { s.Server, s.Token = "", "" }, "server, token"),
	}, testToken)
}
