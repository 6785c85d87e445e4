package ntfy

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const okReply = `{"id":"hwQ2YpKdmg","time":1700000000,"event":"message","topic":"picket-alerts","message":"x"}`

// newServer starts a stand-in ntfy server that accepts every message.
func newServer(t *testing.T) *notifytest.Server {
	t.Helper()
	srv := notifytest.NewServer(t)
	srv.Set(http.StatusOK, okReply)
	return srv
}

// newNotifier builds a notifier for server from settings changed by edit.
func newNotifier(t *testing.T, server string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := NewSettings()
	s.Server, s.Topic = server, "picket-alerts"
	if edit != nil {
		edit(s)
	}
	n, err := New(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
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
			srv := newServer(t)
			n := newNotifier(t, srv.URL+tc.path, func(s *Settings) {
				s.Tags = []string{"picket"}
				if tc.edit != nil {
					tc.edit(s)
				}
			})
			if retry, err := n.Notify(context.Background(), tc.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			r := srv.Requests()[0]
			got := []string{r.Method, r.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type")}
			if diff := cmp.Diff([]string{"POST", tc.wantPath, tc.wantAuth, "application/json"}, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"topic": "picket-alerts", "title": tc.msg.Title, "message": tc.msg.Text,
				"priority": tc.wantPrio, "tags": tc.wantTags, "click": tc.msg.URL,
				"actions": []any{map[string]any{"action": "view", "label": "Open incident", "url": tc.msg.URL}},
			}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
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
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("published", 200, okReply, "", false),
		notifytest.Case("empty object", 200, `{}`, "unexpected reply", false),
		notifytest.Case("not a message", 200, `{"id":"x","event":"keepalive"}`, "unexpected reply", false),
		notifytest.Case("not json", 200, `<html>proxy</html>`, "unexpected reply", false),
		notifytest.Case("bad request", 400, `{"code":40009,"http":400,"error":"invalid request: topic invalid"}`, "HTTP 400", false),
		notifytest.Case("unauthorized", 401, `{"code":40101,"http":401,"error":"unauthorized"}`, "HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"code":40301,"http":403,"error":"forbidden"}`, "HTTP 403", false),
		notifytest.Case("not found", 404, `{"code":40401,"http":404,"error":"page not found"}`, "HTTP 404", false),
		notifytest.Case("rate limited", 429, `{"code":42901,"http":429,"error":"limit reached: too many requests"}`, "HTTP 429", true),
		notifytest.Case("server error", 500, `{"code":50001,"http":500,"error":"internal server error"}`, "HTTP 500", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
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
			srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
				w.WriteHeader(http.StatusUnauthorized)
				fmt.Fprintf(w, `{"code":40101,"http":401,"error":"unauthorized: %s"}`, r.Header.Get("Authorization"))
			}
			_, err := newNotifier(t, srv.URL, tc.edit).Notify(context.Background(), notifytest.Problem())
			if err == nil {
				t.Fatal("Notify succeeded")
			}
			for _, s := range tc.secrets {
				if strings.Contains(err.Error(), s) {
					t.Errorf("error %q contains %q", err, s)
				}
			}
		})
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Settings)
		want []string
	}{
		{"valid", func(s *Settings) {}, nil},
		{"default server", func(s *Settings) { s.Server = "" }, nil},
		{"no topic", func(s *Settings) { s.Topic = "" }, []string{"topic"}},
		{"bad topic", func(s *Settings) { s.Topic = "a/b" }, []string{"topic"}},
		{"server scheme", func(s *Settings) { s.Server = "ntfy.sh" }, []string{"server"}},
		{"server credentials", func(s *Settings) { s.Server = "https://u:p@ntfy.example" }, []string{"server"}},
		{"token and user", func(s *Settings) { s.Token, s.Username, s.Password = "tk", "u", "p" }, []string{"token"}},
		{"user without password", func(s *Settings) { s.Username = "u" }, []string{"password"}},
		{"password without user", func(s *Settings) { s.Password = "p" }, []string{"username"}},
		{"token and file", func(s *Settings) { s.Token, s.TokenFile = "tk", "/x" }, []string{"token"}},
		{"missing password file", func(s *Settings) { s.Username, s.PasswordFile = "u", "/nonexistent/pw" }, []string{"password_file"}},
		{"priority range", func(s *Settings) { s.Priorities["critical"] = 6 }, []string{"priorities.critical"}},
		{"priority severity", func(s *Settings) { s.Priorities["fatal"] = 5 }, []string{"priorities"}},
		{"empty tag", func(s *Settings) { s.Tags = []string{""} }, []string{"tags"}},
		{"timeout", func(s *Settings) { s.Timeout = 0 }, []string{"timeout"}},
		{"several", func(s *Settings) { s.Topic, s.Timeout = "", -1 }, []string{"timeout", "topic"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSettings()
			s.Topic = "picket-alerts"
			tc.edit(s)
			_, err := s.Notifier()
			if diff := cmp.Diff(tc.want, notifytest.Fields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestValidationHidesServerPassword(t *testing.T) {
	s := NewSettings()
	s.Topic, s.Server = "x", "ftp://u:s3cr3t@ntfy.example"
	if _, err := s.Notifier(); err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error = %v", err)
	}
}
