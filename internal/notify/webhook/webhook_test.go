package webhook

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
	"github.com/picket-monitor/picket/internal/secret"
)

// newNotifier builds a notifier from settings changed by edit.
func newNotifier(t *testing.T, u string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := NewSettings()
	s.URL = secret.Secret(u)
	if edit != nil {
		edit(s)
	}
	n, err := New(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// wantJSON is the documented default body for m.
func wantJSON(m notify.Message) map[string]any {
	c := m.Checks[0]
	return map[string]any{
		"id": m.ID, "group_key": m.GroupKey, "kind": string(m.Kind), "severity": string(m.Severity),
		"status": m.Status, "title": m.Title, "text": m.Text, "url": m.URL,
		"time": m.Time.UTC().Format(time.RFC3339),
		"checks": []any{map[string]any{
			"id": c.ID, "name": c.Name, "target": c.Target, "status": c.Status, "reason": c.Reason,
		}},
		"labels": map[string]any{"team": "payments"},
	}
}

func TestDefaultBody(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  notify.Message
	}{
		{"problem", notifytest.Problem()},
		{"recovery", notifytest.Recovery()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			n := newNotifier(t, srv.URL+"/hooks/picket?x=1", func(s *Settings) {
				s.Headers = map[string]secret.Secret{"X-Token": "tok-123456"}
			})
			if retry, err := n.Notify(context.Background(), tc.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			got := []string{r.Method, r.Path, r.RawQuery, r.Header.Get("Content-Type"), r.Header.Get("Idempotency-Key"), r.Header.Get("X-Token"), r.Header.Get("User-Agent")}
			want := []string{"POST", "/hooks/picket", "x=1", "application/json", tc.msg.ID, "tok-123456", "picket"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			var body map[string]any
			if err := json.Unmarshal(r.Body, &body); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if diff := cmp.Diff(wantJSON(tc.msg), body); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDefaultBodyRedactsTargetPassword(t *testing.T) {
	m := notifytest.Problem()
	m.Checks[0].Target = "https://user:hunter22@billing.example/health"
	m.Labels = nil
	b, err := json.Marshal(newPayload(m))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "hunter22") || !strings.Contains(string(b), `"labels":{}`) {
		t.Errorf("payload = %s", b)
	}
}

func TestTemplate(t *testing.T) {
	tests := []struct {
		name, tmpl, ct, method  string
		wantBody, wantCT, wantM string
	}{
		{"json template", `{"t":{{json .Title}},"k":"{{.Kind}}"}`, "application/json", "put",
			`{"t":"DOWN: Billing API — connection refused","k":"problem"}`, "application/json", "PUT"},
		{"plain default", `{{.Title}} ({{len .Checks}})`, "", "",
			`DOWN: Billing API — connection refused (1)`, "text/plain; charset=utf-8", "POST"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			n := newNotifier(t, srv.URL, func(s *Settings) {
				s.BodyTemplate, s.ContentType, s.Method = tc.tmpl, tc.ct, tc.method
			})
			if _, err := n.Notify(context.Background(), notifytest.Problem()); err != nil {
				t.Fatal(err)
			}
			r := srv.Requests()[0]
			got := []string{string(r.Body), r.Header.Get("Content-Type"), r.Method}
			if diff := cmp.Diff([]string{tc.wantBody, tc.wantCT, tc.wantM}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestTemplateFailingAtSendIsNotRetried(t *testing.T) {
	srv := notifytest.NewServer(t)
	n := newNotifier(t, srv.URL, func(s *Settings) { s.BodyTemplate = `{{(index .Checks 0).Name}}` })
	m := notifytest.Problem()
	m.Checks = nil
	retry, err := n.Notify(context.Background(), m)
	if err == nil || retry {
		t.Errorf("Notify = %v, %v; want an error, no retry", retry, err)
	}
	if len(srv.Requests()) != 0 {
		t.Error("a request was sent")
	}
}

func TestStatus(t *testing.T) {
	var cases []notifytest.Reply
	for _, st := range []int{200, 202, 204} {
		cases = append(cases, notifytest.Reply{Name: fmt.Sprint(st), Status: st, Body: `{"error":"x"}`})
	}
	for _, st := range []int{400, 401, 403, 404, 429, 500, 503} {
		cases = append(cases, notifytest.Reply{Name: fmt.Sprint(st), Status: st, Body: `{"error":"x"}`,
			Err: fmt.Sprintf("HTTP %d", st), Retry: st == 429 || st >= 500})
	}
	notifytest.CheckReplies(t, cases, func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, nil))
	})
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base+"/hook/s3cr3tpath", func(s *Settings) { s.Timeout = 200 * time.Millisecond }))
	}, "s3cr3tpath")
}

func TestErrorsHideSecrets(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
		// An echoing receiver: everything it got comes back in the error.
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "bad %s %s auth=%s", r.Path, r.RawQuery, r.Header.Get("Authorization"))
	}
	n := newNotifier(t, srv.URL+"/T0001/B0002/s3cr3tpath?key=qwerty99", func(s *Settings) {
		s.Headers = map[string]secret.Secret{"Authorization": "Bearer sup3rsecret"}
	})
	retry, err := n.Notify(context.Background(), notifytest.Problem())
	if err == nil || retry {
		t.Fatalf("Notify = %v, %v; want a non-retryable error", retry, err)
	}
	for _, s := range []string{"s3cr3tpath", "qwerty99", "sup3rsecret", srv.URL} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error %q contains %q", err, s)
		}
	}
}

func TestValidation(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	urlFile := filepath.Join(t.TempDir(), "url")
	if err := os.WriteFile(urlFile, []byte("https://hooks.example/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Settings)
		want []string
	}{
		{"valid", func(s *Settings) {}, nil},
		{"url from file", func(s *Settings) { s.URL, s.URLFile = "", urlFile }, nil},
		{"no url", func(s *Settings) { s.URL = "" }, []string{"url"}},
		{"url not http", func(s *Settings) { s.URL = "ftp://x/y" }, []string{"url"}},
		{"url and file", func(s *Settings) { s.URLFile = urlFile }, []string{"url"}},
		{"missing url file", func(s *Settings) { s.URL, s.URLFile = "", missing }, []string{"url_file"}},
		{"method", func(s *Settings) { s.Method = "GET" }, []string{"method"}},
		{"header name", func(s *Settings) { s.Headers = map[string]secret.Secret{"Bad Name": "x"} }, []string{"headers"}},
		{"header value", func(s *Settings) { s.Headers = map[string]secret.Secret{"X-A": "a\r\nB: c"} }, []string{"headers.X-A"}},
		{"reserved header", func(s *Settings) { s.Headers = map[string]secret.Secret{"content-type": "x"} }, []string{"headers.content-type"}},
		{"template syntax", func(s *Settings) { s.BodyTemplate = "{{.Title" }, []string{"body_template"}},
		{"template field", func(s *Settings) { s.BodyTemplate = "{{.Nope}}" }, []string{"body_template"}},
		{"content type", func(s *Settings) { s.ContentType = "not a type;;" }, []string{"content_type"}},
		{"timeout", func(s *Settings) { s.Timeout = 0 }, []string{"timeout"}},
		{"several", func(s *Settings) { s.Method, s.Timeout = "DELETE", -1 }, []string{"method", "timeout"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSettings()
			s.URL = "https://hooks.example/x"
			tc.edit(s)
			_, err := s.Notifier()
			if diff := cmp.Diff(tc.want, notifytest.Fields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}

func TestValidationHidesURL(t *testing.T) {
	s := NewSettings()
	s.URL = "ftp://hooks.example/s3cr3t"
	_, err := s.Notifier()
	if err == nil || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("error = %v", err)
	}
}
