package gotify

import (
	"context"
	"encoding/json"
	"fmt"
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

const testToken = "AzyoeNS.D4iJLVa"

const okReply = `{"id":25,"appid":5,"message":"x","title":"y","priority":8,"date":"2026-11-21T20:00:01Z"}`

// newNotifier builds a notifier for server from settings changed by edit.
func newNotifier(t *testing.T, server string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := NewSettings()
	s.Server, s.Token = server, testToken
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
			if retry, err := newNotifier(t, srv.URL+tc.path, nil).Notify(context.Background(), tc.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			r := srv.Requests()[0]
			got := []string{r.Method, r.Path, r.RawQuery, r.Header.Get("X-Gotify-Key"), r.Header.Get("Content-Type")}
			if diff := cmp.Diff([]string{"POST", tc.wantPath, "", testToken, "application/json"}, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"title": tc.msg.Title, "message": tc.msg.Text, "priority": tc.wantPrio,
				"extras": map[string]any{
					"client::display":      map[string]any{"contentType": "text/plain"},
					"client::notification": map[string]any{"click": map[string]any{"url": tc.msg.URL}},
				},
			}
			if diff := cmp.Diff(want, body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
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
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("stored", 200, okReply, "", false),
		notifytest.Case("no id", 200, `{}`, "unexpected reply", false),
		notifytest.Case("not json", 200, `ok`, "unexpected reply", false),
		notifytest.Case("bad request", 400, `{"error":"Bad Request","errorCode":400,"errorDescription":"Field 'message' is required"}`, "HTTP 400", false),
		notifytest.Case("unauthorized", 401, `{"error":"Unauthorized","errorCode":401,"errorDescription":"you need to provide a valid access token or user credentials to access this api"}`, "HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"error":"Forbidden","errorCode":403,"errorDescription":"x"}`, "HTTP 403", false),
		notifytest.Case("not found", 404, `404 page not found`, "HTTP 404", false),
		notifytest.Case("rate limited", 429, `slow down`, "HTTP 429", true),
		notifytest.Case("server error", 500, `{"error":"Internal Server Error","errorCode":500}`, "HTTP 500", true),
		notifytest.Case("bad gateway", 502, `<html>bad gateway</html>`, "HTTP 502", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
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
	srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":"Unauthorized","errorCode":401,"errorDescription":"bad token %s"}`, r.Header.Get("X-Gotify-Key"))
	}
	_, err := newNotifier(t, srv.URL, nil).Notify(context.Background(), notifytest.Problem())
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Errorf("error = %v", err)
	}
}

func TestValidation(t *testing.T) {
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Settings)
		want []string
	}{
		{"valid", func(s *Settings) {}, nil},
		{"token file", func(s *Settings) { s.Token, s.TokenFile = "", tokenFile }, nil},
		{"no server", func(s *Settings) { s.Server = "" }, []string{"server"}},
		{"server scheme", func(s *Settings) { s.Server = "gotify.example" }, []string{"server"}},
		{"token in server query", func(s *Settings) { s.Server = "https://gotify.example/?token=x" }, []string{"server"}},
		{"no token", func(s *Settings) { s.Token = "" }, []string{"token"}},
		{"token and file", func(s *Settings) { s.TokenFile = tokenFile }, []string{"token"}},
		{"missing token file", func(s *Settings) { s.Token, s.TokenFile = "", "/nonexistent/token" }, []string{"token_file"}},
		{"priority range", func(s *Settings) { s.Priorities["info"] = 11 }, []string{"priorities.info"}},
		{"priority severity", func(s *Settings) { s.Priorities["page"] = 1 }, []string{"priorities"}},
		{"timeout", func(s *Settings) { s.Timeout = -time.Second }, []string{"timeout"}},
		{"several", func(s *Settings) { s.Server, s.Token = "", "" }, []string{"server", "token"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSettings()
			s.Server, s.Token = "https://gotify.example", testToken
			tc.edit(s)
			_, err := s.Notifier()
			if diff := cmp.Diff(tc.want, notifytest.Fields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}
