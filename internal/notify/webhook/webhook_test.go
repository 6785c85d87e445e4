package webhook

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
	"github.com/picket-monitor/picket/internal/secret"
)

// valid returns settings that each case of TestValidation breaks in one
// place.
func valid() *Settings {
	s := NewSettings()
	s.URL = "https://hooks.example/x"
	return s
}

// newNotifier builds a notifier from settings changed by edit.
func newNotifier(t *testing.T, u string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := valid()
	s.URL = secret.Secret(u)
	return notifytest.Build(t, New, s, edit)
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
			notifytest.Deliver(t, n, tc.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: "/hooks/picket", RawQuery: "x=1",
				Header: map[string]string{"Content-Type": "application/json", "Idempotency-Key": tc.msg.ID,
					"X-Token": "tok-123456", "User-Agent": "picket"},
				JSON: wantJSON(tc.msg)})
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
	const body = `{"error":"x"}`
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("200", 200, body, "", false),
		notifytest.Case("202", 202, body, "", false),
		notifytest.Case("204", 204, body, "", false),
	}, notifytest.HTTPErrors(map[int]string{400: body, 401: body, 403: body, 404: body, 429: body, 500: body, 503: body})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
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
	// An echoing receiver: everything it got comes back in the error.
	srv.Echo(http.StatusBadRequest, func(r notifytest.Request) string {
		return fmt.Sprintf("bad %s %s auth=%s", r.Path, r.RawQuery, r.Header.Get("Authorization"))
	})
	n := newNotifier(t, srv.URL+"/T0001/B0002/s3cr3tpath?key=qwerty99", func(s *Settings) {
		s.Headers = map[string]secret.Secret{"Authorization": "Bearer sup3rsecret"}
	})
	notifytest.CheckRejected(t, n, "", "s3cr3tpath", "qwerty99", "sup3rsecret", srv.URL)
}

func TestValidation(t *testing.T) {
	urlFile := notifytest.File(t, "https://hooks.example/x")
	missing := notifytest.Missing(t)
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(s *Settings) {}, ""),
		notifytest.Setting("url from file", func(s *Settings) { s.URL, s.URLFile = "", urlFile }, ""),
		notifytest.Setting("no url", func(s *Settings) { s.URL = "" }, "url"),
		notifytest.Setting("url not http", func(s *Settings) { s.URL = "ftp://x/y" }, "url"),
		notifytest.Setting("url hidden", func(s *Settings) { s.URL = "ftp://hooks.example/s3cr3t" }, "url"),
		notifytest.Setting("url and file", func(s *Settings) { s.URLFile = urlFile }, "url"),
		notifytest.Setting("missing url file", func(s *Settings) { s.URL, s.URLFile = "", missing }, "url_file"),
		notifytest.Setting("method", func(s *Settings) { s.Method = "GET" }, "method"),
		notifytest.Setting("header name", func(s *Settings) { s.Headers = map[string]secret.Secret{"Bad Name": "x"} }, "headers"),
		notifytest.Setting("header value", func(s *Settings) { s.Headers = map[string]secret.Secret{"X-A": "a\r\nB: c"} }, "headers.X-A"),
		notifytest.Setting("reserved header", func(s *Settings) { s.Headers = map[string]secret.Secret{"content-type": "x"} }, "headers.content-type"),
		notifytest.Setting("template syntax", func(s *Settings) { s.BodyTemplate = "{{.Title" }, "body_template"),
		notifytest.Setting("template field", func(s *Settings) { s.BodyTemplate = "{{.Nope}}" }, "body_template"),
		notifytest.Setting("content type", func(s *Settings) { s.ContentType = "not a type;;" }, "content_type"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = 0 }, "timeout"),
		notifytest.Setting("several", func(s *Settings) { s.Method, s.Timeout = "DELETE", -1 }, "method, timeout"),
	}, "s3cr3t")
}
