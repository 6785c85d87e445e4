package pushover

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	testToken = "apptok0123456789abcdefghijklmn"
	testUser  = "userkey0123456789abcdefghijklm"
	okReply   = `{"status":1,"request":"647d2300-702c-4b38-8b2f-d56326ae460b"}`
)

// newServer starts a stand-in Pushover API that accepts every request.
func newServer(t *testing.T) *notifytest.Server {
	t.Helper()
	srv := notifytest.NewServer(t)
	srv.Set(http.StatusOK, okReply)
	return srv
}

// newNotifier builds a notifier for the server from settings changed by
// edit.
func newNotifier(t *testing.T, srv string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := NewSettings()
	s.APIURL, s.Token, s.User = srv+"/1/messages.json", testToken, testUser
	if edit != nil {
		edit(s)
	}
	n, err := New(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// sent is one request as path and decoded form.
type sent struct {
	Path string
	Form map[string][]string
}

// sentBy decodes the requests srv received, checking their content type.
func sentBy(t *testing.T, srv *notifytest.Server) []sent {
	t.Helper()
	var out []sent
	for _, r := range srv.Requests() {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("%s %s with content type %q", r.Method, r.Path, r.Header.Get("Content-Type"))
		}
		f, err := url.ParseQuery(string(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sent{Path: r.Path, Form: f})
	}
	return out
}

// message is the form Pushover gets for m at priority p.
func message(m notify.Message, p string, extra url.Values) sent {
	f := url.Values{
		"token": {testToken}, "user": {testUser}, "message": {m.Text}, "title": {m.Title},
		"priority": {p}, "timestamp": {strconv.FormatInt(m.Time.Unix(), 10)},
		"url": {m.URL}, "url_title": {"Open incident"},
	}
	for k, v := range extra {
		f[k] = v
	}
	return sent{Path: "/1/messages.json", Form: f}
}

func TestRequests(t *testing.T) {
	emergency := func(s *Settings) { s.Emergency, s.Device, s.Sound = true, "phone,tablet", "siren" }
	dev := url.Values{"device": {"phone,tablet"}, "sound": {"siren"}}
	alarm := url.Values{"device": {"phone,tablet"}, "sound": {"siren"}, "retry": {"60"}, "expire": {"3600"}, "tags": {"picket-inc-42"}}
	cancel := sent{Path: "/1/receipts/cancel_by_tag/picket-inc-42.json", Form: url.Values{"token": {testToken}}}
	ack := notifytest.Problem()
	ack.Kind, ack.ID = notify.KindAck, "inc-42/ack"
	tests := []struct {
		name string
		edit func(*Settings)
		msg  notify.Message
		want []sent
	}{
		{"problem", nil, notifytest.Problem(), []sent{message(notifytest.Problem(), "1", nil)}},
		{"recovery", nil, notifytest.Recovery(), []sent{message(notifytest.Recovery(), "-1", nil)}},
		{"emergency problem", emergency, notifytest.Problem(), []sent{message(notifytest.Problem(), "2", alarm)}},
		{"emergency recovery cancels first", emergency, notifytest.Recovery(), []sent{cancel, message(notifytest.Recovery(), "-1", dev)}},
		{"emergency ack cancels first", emergency, ack, []sent{cancel, message(ack, "1", dev)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t)
			if retry, err := newNotifier(t, srv.URL, tc.edit).Notify(context.Background(), tc.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			if diff := cmp.Diff(tc.want, sentBy(t, srv)); diff != "" {
				t.Errorf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFailedCancelHoldsTheMessage(t *testing.T) {
	for _, tc := range []struct {
		status    int
		wantRetry bool
	}{{500, true}, {400, false}} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(tc.status, `{"status":0,"errors":["x"]}`)
			n := newNotifier(t, srv.URL, func(s *Settings) { s.Emergency = true })
			retry, err := n.Notify(context.Background(), notifytest.Recovery())
			if err == nil || retry != tc.wantRetry || len(srv.Requests()) != 1 {
				t.Errorf("Notify = %v, %v after %d requests; want one failed cancel", retry, err, len(srv.Requests()))
			}
		})
	}
}

func TestFormat(t *testing.T) {
	n := newNotifier(t, "https://api.example", func(s *Settings) { s.HTML, s.URLTitle = true, "" })
	m := notifytest.Problem()
	m.Text = "5 < 6 & \"quoted\""
	f := n.form(m)
	if got := []string{f.Get("message"), f.Get("html"), f.Get("url_title")}; !cmp.Equal(got, []string{"5 &lt; 6 &amp; &#34;quoted&#34;", "1", ""}) {
		t.Errorf("html form = %q", got)
	}
	m.Title, m.Text, m.URL, m.Severity = strings.Repeat("t", 300), strings.Repeat("<", 1100), "https://x/"+strings.Repeat("u", 600), "unknown"
	f = n.form(m)
	msg := f.Get("message")
	if len([]rune(f.Get("title"))) != maxTitle || len([]rune(msg)) > maxMessage || !strings.HasSuffix(msg, "&lt;…") {
		t.Errorf("not clipped: title %d, message %d characters ending %q", len([]rune(f.Get("title"))), len([]rune(msg)), msg[len(msg)-12:])
	}
	if f.Has("url") || f.Get("priority") != "0" {
		t.Errorf("long URL kept or unknown severity not warning: %v", f)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("accepted", 200, okReply, "", false),
		notifytest.Case("status 0", 200, `{"status":0,"errors":["message cannot be blank"],"request":"x"}`, "rejected: message cannot be blank", false),
		notifytest.Case("no status", 200, `{}`, "reply without status 1", false),
		notifytest.Case("not json", 200, `ok`, "reply is not JSON", false),
		notifytest.Case("invalid user", 400, `{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0,"request":"x"}`, "HTTP 400", false),
		notifytest.Case("unauthorized", 401, `{"status":0}`, "HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"status":0}`, "HTTP 403", false),
		notifytest.Case("not found", 404, `not found`, "HTTP 404", false),
		notifytest.Case("over quota", 429, `{"status":0,"errors":["application is over its quota"]}`, "HTTP 429", true),
		notifytest.Case("server error", 500, ``, "HTTP 500", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, nil))
	}, testToken, testUser)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, func(s *Settings) { s.Timeout = 200 * time.Millisecond }))
	}, testToken, testUser)
}

func TestErrorsHideKeys(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"status":0,"errors":["bad request: %s"]}`, r.Body)
	}
	_, err := newNotifier(t, srv.URL, nil).Notify(context.Background(), notifytest.Problem())
	if err == nil || strings.Contains(err.Error(), testToken) || strings.Contains(err.Error(), testUser) {
		t.Errorf("error = %v", err)
	}
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Settings)
		want []string
	}{
		{"valid", func(s *Settings) {}, nil},
		{"default api url", func(s *Settings) { s.APIURL = "" }, nil},
		{"api url", func(s *Settings) { s.APIURL = "api.pushover.net" }, []string{"api_url"}},
		{"no token", func(s *Settings) { s.Token = "" }, []string{"token"}},
		{"email as user", func(s *Settings) { s.User = "me@example.com" }, []string{"user"}},
		{"user and file", func(s *Settings) { s.UserFile = "/x" }, []string{"user"}},
		{"missing token file", func(s *Settings) { s.Token, s.TokenFile = "", "/nonexistent/token" }, []string{"token_file"}},
		{"device", func(s *Settings) { s.Device = "my phone" }, []string{"device"}},
		{"sound", func(s *Settings) { s.Sound = "a b" }, []string{"sound"}},
		{"priority 2", func(s *Settings) { s.Priorities["critical"] = 2 }, []string{"priorities.critical"}},
		{"priority range", func(s *Settings) { s.Priorities["info"] = -3 }, []string{"priorities.info"}},
		{"priority severity", func(s *Settings) { s.Priorities["major"] = 1 }, []string{"priorities"}},
		{"retry too short", func(s *Settings) { s.EmergencyRetry = 10 * time.Second }, []string{"emergency_retry"}},
		{"expire too long", func(s *Settings) { s.EmergencyExpire = 4 * time.Hour }, []string{"emergency_expire"}},
		{"url title", func(s *Settings) { s.URLTitle = strings.Repeat("x", 101) }, []string{"url_title"}},
		{"timeout", func(s *Settings) { s.Timeout = 0 }, []string{"timeout"}},
		{"several", func(s *Settings) { s.Token, s.User = "", "" }, []string{"token", "user"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSettings()
			s.Token, s.User = testToken, testUser
			tc.edit(s)
			_, err := s.Notifier()
			if diff := cmp.Diff(tc.want, notifytest.Fields(err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}
