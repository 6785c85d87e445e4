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

// valid returns settings that each case of TestValidation breaks in one
// place.
func valid() *Settings {
	s := NewSettings()
	s.Token, s.User = testToken, testUser
	return s
}

// newNotifier builds a notifier for the server from settings changed by
// edit.
func newNotifier(t *testing.T, srv string, edit func(*Settings)) *Notifier {
	t.Helper()
	s := valid()
	s.APIURL = srv + "/1/messages.json"
	return notifytest.Build(t, New, s, edit)
}

// sent is the request Pushover gets to path with form f.
func sent(path string, f url.Values) notifytest.Want {
	return notifytest.Want{Method: http.MethodPost, Path: path, Form: f,
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}}
}

// message is the request Pushover gets for m at priority p.
func message(m notify.Message, p string, extra url.Values) notifytest.Want {
	f := url.Values{
		"token": {testToken}, "user": {testUser}, "message": {m.Text}, "title": {m.Title},
		"priority": {p}, "timestamp": {strconv.FormatInt(m.Time.Unix(), 10)},
		"url": {m.URL}, "url_title": {"Open incident"},
	}
	for k, v := range extra {
		f[k] = v
	}
	return sent("/1/messages.json", f)
}

func TestRequests(t *testing.T) {
	emergency := func(s *Settings) { s.Emergency, s.Device, s.Sound = true, "phone,tablet", "siren" }
	dev := url.Values{"device": {"phone,tablet"}, "sound": {"siren"}}
	alarm := url.Values{"device": {"phone,tablet"}, "sound": {"siren"}, "retry": {"60"}, "expire": {"3600"}, "tags": {"picket-inc-42"}}
	cancel := sent("/1/receipts/cancel_by_tag/picket-inc-42.json", url.Values{"token": {testToken}})
	ack := notifytest.Problem()
	ack.Kind, ack.ID = notify.KindAck, "inc-42/ack"
	tests := []struct {
		name string
		edit func(*Settings)
		msg  notify.Message
		want []notifytest.Want
	}{
		{"problem", nil, notifytest.Problem(), []notifytest.Want{message(notifytest.Problem(), "1", nil)}},
		{"recovery", nil, notifytest.Recovery(), []notifytest.Want{message(notifytest.Recovery(), "-1", nil)}},
		{"emergency problem", emergency, notifytest.Problem(), []notifytest.Want{message(notifytest.Problem(), "2", alarm)}},
		{"emergency recovery cancels first", emergency, notifytest.Recovery(), []notifytest.Want{cancel, message(notifytest.Recovery(), "-1", dev)}},
		{"emergency ack cancels first", emergency, ack, []notifytest.Want{cancel, message(ack, "1", dev)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, okReply)
			notifytest.Deliver(t, newNotifier(t, srv.URL, tc.edit), tc.msg)
			srv.Check(t, tc.want...)
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
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("accepted", 200, okReply, "", false),
		notifytest.Case("status 0", 200, `{"status":0,"errors":["message cannot be blank"],"request":"x"}`, "rejected: message cannot be blank", false),
		notifytest.Case("no status", 200, `{}`, "reply without status 1", false),
		notifytest.Case("not json", 200, `ok`, "reply is not JSON", false),
	}, notifytest.HTTPErrors(map[int]string{
		400: `{"user":"invalid","errors":["user identifier is not a valid user, group, or subscribed user key"],"status":0,"request":"x"}`,
		401: `{"status":0}`,
		403: `{"status":0}`,
		404: `not found`,
		429: `{"status":0,"errors":["application is over its quota"]}`,
		500: ``,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
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
	srv.Echo(http.StatusBadRequest, func(r notifytest.Request) string {
		return fmt.Sprintf(`{"status":0,"errors":["bad request: %s"]}`, r.Body)
	})
	notifytest.CheckRejected(t, newNotifier(t, srv.URL, nil), "", testToken, testUser)
}

func TestValidation(t *testing.T) {
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(s *Settings) {}, ""),
		notifytest.Setting("default api url", func(s *Settings) { s.APIURL = "" }, ""),
		notifytest.Setting("api url", func(s *Settings) { s.APIURL = "api.pushover.net" }, "api_url"),
		notifytest.Setting("no token", func(s *Settings) { s.Token = "" }, "token"),
		notifytest.Setting("email as user", func(s *Settings) { s.User = "me@example.com" }, "user"),
		notifytest.Setting("user and file", func(s *Settings) { s.UserFile = "/x" }, "user"),
		notifytest.Setting("missing token file", func(s *Settings) { s.Token, s.TokenFile = "", "/nonexistent/token" }, "token_file"),
		notifytest.Setting("device", func(s *Settings) { s.Device = "my phone" }, "device"),
		notifytest.Setting("sound", func(s *Settings) { s.Sound = "a b" }, "sound"),
		notifytest.Setting("priority 2", func(s *Settings) { s.Priorities["critical"] = 2 }, "priorities.critical"),
		notifytest.Setting("priority range", func(s *Settings) { s.Priorities["info"] = -3 }, "priorities.info"),
		notifytest.Setting("priority severity", func(s *Settings) { s.Priorities["major"] = 1 }, "priorities"),
		notifytest.Setting("retry too short", func(s *Settings) { s.EmergencyRetry = 10 * time.Second }, "emergency_retry"),
		notifytest.Setting("expire too long", func(s *Settings) { s.EmergencyExpire = 4 * time.Hour }, "emergency_expire"),
		notifytest.Setting("url title", func(s *Settings) { s.URLTitle = strings.Repeat("x", 101) }, "url_title"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = 0 }, "timeout"),
		notifytest.Setting("several", func(s *Settings) { s.Token, s.User = "", "" }, "token, user"),
	}, testToken, testUser)
}
