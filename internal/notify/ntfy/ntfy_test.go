package ntfy

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const okReply = `{"id":"hwQ2YpKdmg","time":1700000000,"event":"message","topic":"picket-alerts","message":"x"}`

// valid returns settings that each case of TestValidation breaks in one
// place.
func valid() *Settings {
	s := NewSettings()
	s.Topic = "picket-alerts"
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
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("phil:pw-123456"))
	tests := []struct {
		name, path string
		msg        notify.Message
		edit       func(*Settings)
		wantPath   string
		wantAuth   string
		wantPrio   float64
		wantTags   []any
	}{
		{"problem with token", "", notifytest.Problem(), func(s *Settings) { s.Token = "tk_abcdef123" },
			"/", "Bearer tk_abcdef123", 5, []any{"rotating_light", "picket"}},
		{"recovery with basic auth under a path", "/ntfy/", notifytest.Recovery(), func(s *Settings) { s.Username, s.Password = "phil", "pw-123456" },
			"/ntfy/", basic, 3, []any{"white_check_mark", "picket"}},
		{"warning without auth", "/ntfy", warning(), nil,
			"/ntfy/", "", 4, []any{"warning", "picket"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, okReply)
			n := newNotifier(t, srv.URL+tc.path, func(s *Settings) {
				s.Tags = []string{"picket"}
				if tc.edit != nil {
					tc.edit(s)
				}
			})
			notifytest.Deliver(t, n, tc.msg)
			want := map[string]any{
				"topic": "picket-alerts", "title": tc.msg.Title, "message": tc.msg.Text,
				"priority": tc.wantPrio, "tags": tc.wantTags, "click": tc.msg.URL,
				"actions": []any{map[string]any{"action": "view", "label": "Open incident", "url": tc.msg.URL}},
			}
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: tc.wantPath,
				Header: map[string]string{"Authorization": tc.wantAuth, "Content-Type": "application/json"}, JSON: want})
		})
	}
}

func warning() notify.Message {
	m := notifytest.Problem()
	m.Severity, m.Status = notify.SeverityWarning, "degraded"
	return m
}

func TestMessageLimits(t *testing.T) {
	n := newNotifier(t, "https://ntfy.example", func(s *Settings) { s.Priorities = map[string]int{"critical": 4} })
	m := notifytest.Problem()
	m.Text, m.URL = strings.Repeat("é", 3000), ""
	got := n.message(m)
	if len(got.Message) > maxMessage || !strings.HasSuffix(got.Message, "…") {
		t.Errorf("message of %d bytes not cut to %d", len(got.Message), maxMessage)
	}
	if got.Priority != 4 || got.Actions != nil || got.Click != "" {
		t.Errorf("message = %+v", got)
	}
	m.Text, m.Severity = "", "unknown"
	if got := n.message(m); got.Message != m.Title || got.Priority != 4 {
		t.Errorf("empty text: message = %+v", got)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("published", 200, okReply, "", false),
		notifytest.Case("empty object", 200, `{}`, "unexpected reply", false),
		notifytest.Case("not a message", 200, `{"id":"x","event":"keepalive"}`, "unexpected reply", false),
		notifytest.Case("not json", 200, `<html>proxy</html>`, "unexpected reply", false),
	}, notifytest.HTTPErrors(map[int]string{
		400: `{"code":40009,"http":400,"error":"invalid request: topic invalid"}`,
		401: `{"code":40101,"http":401,"error":"unauthorized"}`,
		403: `{"code":40301,"http":403,"error":"forbidden"}`,
		404: `{"code":40401,"http":404,"error":"page not found"}`,
		429: `{"code":42901,"http":429,"error":"limit reached: too many requests"}`,
		500: `{"code":50001,"http":500,"error":"internal server error"}`,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, nil))
	})
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, func(s *Settings) { s.Timeout = 200 * time.Millisecond }))
	})
}

func TestErrorsHideSecrets(t *testing.T) {
	for _, tc := range []struct {
		name    string
		edit    func(*Settings)
		secrets []string
	}{
		{"token", func(s *Settings) { s.Token = "tk_s3cr3ttoken" }, []string{"tk_s3cr3ttoken"}},
		{"basic", func(s *Settings) { s.Username, s.Password = "phil", "s3cr3tpass" },
			[]string{"s3cr3tpass", base64.StdEncoding.EncodeToString([]byte("phil:s3cr3tpass"))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Echo(http.StatusUnauthorized, func(r notifytest.Request) string {
				return fmt.Sprintf(`{"code":40101,"http":401,"error":"unauthorized: %s"}`, r.Header.Get("Authorization"))
			})
			notifytest.CheckRejected(t, newNotifier(t, srv.URL, tc.edit), "", tc.secrets...)
		})
	}
}

func TestValidation(t *testing.T) {
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(s *Settings) {}, ""),
		notifytest.Setting("default server", func(s *Settings) { s.Server = "" }, ""),
		notifytest.Setting("no topic", func(s *Settings) { s.Topic = "" }, "topic"),
		notifytest.Setting("bad topic", func(s *Settings) { s.Topic = "a/b" }, "topic"),
		notifytest.Setting("server scheme", func(s *Settings) { s.Server = "ntfy.sh" }, "server"),
		notifytest.Setting("server credentials", func(s *Settings) { s.Server = "https://u:p@ntfy.example" }, "server"),
		notifytest.Setting("server password hidden", func(s *Settings) { s.Server = "ftp://u:s3cr3t@ntfy.example" }, "server"),
		notifytest.Setting("token and user", func(s *Settings) { s.Token, s.Username, s.Password = "tk", "u", "p" }, "token"),
		notifytest.Setting("user without password", func(s *Settings) { s.Username = "u" }, "password"),
		notifytest.Setting("password without user", func(s *Settings) { s.Password = "p" }, "username"),
		notifytest.Setting("token and file", func(s *Settings) { s.Token, s.TokenFile = "tk", "/x" }, "token"),
		notifytest.Setting("missing password file", func(s *Settings) { s.Username, s.PasswordFile = "u", "/nonexistent/pw" }, "password_file"),
		notifytest.Setting("priority range", func(s *Settings) { s.Priorities["critical"] = 6 }, "priorities.critical"),
		notifytest.Setting("priority severity", func(s *Settings) { s.Priorities["fatal"] = 5 }, "priorities"),
		notifytest.Setting("empty tag", func(s *Settings) { s.Tags = []string{""} }, "tags"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = 0 }, "timeout"),
		notifytest.Setting("several", func(s *Settings) { s.Topic, s.Timeout = "", -1 }, "timeout, topic"),
	}, "s3cr3t")
}
