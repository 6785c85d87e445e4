package twilio

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	sid   = "AC0123456789abcdef0123456789abcdef"
	token = "t0k3n-5ecret-0123456789abcdef"
	from  = "+14155550100"
	ana   = "+14155550111"
	ben   = "+442071838750"
)

const created = `{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}`

// valid returns settings that each case of TestSettingsErrors breaks in
// one place.
func valid() *Settings {
	s := NewSettings()
	s.AccountSID, s.AuthToken, s.From, s.To = sid, token, from, []string{ana}
	return s
}

func newNotifier(t *testing.T, apiURL, mode string, to ...string) *Notifier {
	t.Helper()
	s := valid()
	s.APIURL, s.To, s.Mode, s.Timeout = apiURL, to, mode, 2*time.Second
	return notifytest.Build(t, New, s)
}

func TestNotifyRequest(t *testing.T) {
	problem := notifytest.Problem()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(sid+":"+token))
	tests := []struct {
		name, mode, path string
		msg              notify.Message
		want             url.Values
	}{
		{"sms problem", ModeSMS, "/Messages.json", problem, url.Values{"To": {ana}, "From": {from},
			"Body": {problem.Title + "\n" + problem.Text}}},
		{"sms recovery", ModeSMS, "/Messages.json", notifytest.Recovery(), url.Values{"To": {ana}, "From": {from},
			"Body": {"UP: Billing API — back after 12m\nUp again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42"}}},
		{"call problem", ModeCall, "/Calls.json", problem, url.Values{"To": {ana}, "From": {from}, "Twiml": {
			`<Response><Say voice="Polly.Joanna" language="en-US"><prosody rate="90%">Message from Picket.<break time="300ms"/>` +
				`DOWN: Billing API — connection refused.<break time="500ms"/>Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.</prosody></Say>` +
				`<Pause length="1"/><Say voice="Polly.Joanna" language="en-US"><prosody rate="90%">Again.<break time="300ms"/>` +
				`DOWN: Billing API — connection refused.<break time="500ms"/>Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.</prosody></Say></Response>`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusCreated, created)
			notifytest.Deliver(t, newNotifier(t, srv.URL+"/", tt.mode, ana), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: "/2010-04-01/Accounts/" + sid + tt.path,
				Header: map[string]string{"Authorization": basic, "Content-Type": "application/x-www-form-urlencoded"},
				Form:   tt.want})
		})
	}
}

func TestSMSBodyLimit(t *testing.T) {
	m := notify.Message{Title: "DOWN", Text: strings.Repeat("😀", 1000)} // 2 UTF-16 units each
	b := smsBody(m)
	if n := len(utf16.Encode([]rune(b))); n != maxSMS || !strings.HasSuffix(b, "😀…") {
		t.Errorf("body has %d UTF-16 units, ends %q; want a cut at %d", n, b[len(b)-7:], maxSMS)
	}
	if short := smsBody(notify.Message{Title: "T", URL: "https://x"}); short != "T\nhttps://x" {
		t.Errorf("smsBody = %q", short)
	}
}

func TestNotifyReplies(t *testing.T) {
	errs := notifytest.HTTPErrors(map[int]string{
		400: `{"code":21211,"message":"The 'To' number +1 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`,
		401: `{"code":20003,"message":"Authenticate","status":401}`,
		403: `{"code":20403,"message":"Forbidden","status":403}`,
		404: `{"code":20404,"message":"not found","status":404}`,
		429: `{"code":20429,"message":"Too Many Requests","status":429}`,
		500: `{"code":20500,"message":"Internal Server Error","status":500}`,
	})
	for i := range errs {
		errs[i].Err = ana + ": " + errs[i].Err // the number that failed leads
	}
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("created", 201, created, "", false),
		notifytest.Case("no sid", 201, `{"status":"queued"}`, ana+": reply without sid", false),
	}, errs...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, ModeSMS, ana))
	}, token)
}

func TestSeveralNumbers(t *testing.T) {
	tests := []struct {
		name      string
		status    map[string]int // per number; 201 when missing
		wantRetry bool
		failed    []string
	}{
		{"all reached", nil, false, nil},
		{"one rejected", map[string]int{ben: 400}, false, []string{ben}},
		{"one unavailable", map[string]int{ana: 503}, true, []string{ana}},
		{"both unavailable", map[string]int{ana: 500, ben: 429}, true, []string{ana, ben}},
		{"rejected and unavailable", map[string]int{ana: 400, ben: 500}, false, []string{ana, ben}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
				v, _ := url.ParseQuery(string(r.Body))
				if st, ok := tt.status[v.Get("To")]; ok {
					w.WriteHeader(st)
					w.Write([]byte(`{"code":1,"message":"no"}`))
					return
				}
				w.WriteHeader(http.StatusCreated)
				w.Write([]byte(created))
			}
			n := newNotifier(t, srv.URL, ModeSMS, ana, ben)
			retry, err := n.Notify(context.Background(), notifytest.Problem())
			if retry != tt.wantRetry || (err != nil) != (len(tt.failed) > 0) {
				t.Fatalf("Notify = %v, %v; want retry %v, failures %v", retry, err, tt.wantRetry, tt.failed)
			}
			for _, num := range []string{ana, ben} {
				if want := contains(tt.failed, num); err != nil && strings.Contains(err.Error(), num) != want {
					t.Errorf("error %q: mentions %s = %v, want %v", err, num, !want, want)
				}
			}
			// A retry of the same message goes only to the numbers that failed.
			before := len(srv.Requests())
			n.Notify(context.Background(), notifytest.Problem())
			var again []string
			for _, r := range srv.Requests()[before:] {
				again = append(again, r.Form(t).Get("To"))
			}
			if diff := cmp.Diff(tt.failed, again); diff != "" {
				t.Errorf("retry sent to (-want +got):\n%s", diff)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestReachedForgetsOldest(t *testing.T) {
	r := newReached(2)
	r.add("a", ana)
	r.add("b", ana)
	r.add("c", ana)
	r.add("", ana)
	got := []bool{r.has("a", ana), r.has("b", ana), r.has("c", ana), r.has("c", ben), r.has("", ana)}
	if diff := cmp.Diff([]bool{false, true, true, false, false}, got); diff != "" {
		t.Errorf("has (-want +got):\n%s", diff)
	}
}

func TestTokenNeverInError(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusUnauthorized, func(r notifytest.Request) string {
		user, pass, _ := (&http.Request{Header: r.Header}).BasicAuth()
		return `{"code":20003,"message":"bad credentials ` + user + `:` + pass + `"}`
	})
	notifytest.CheckRejected(t, newNotifier(t, srv.URL, ModeCall, ana), "", token)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		s := valid()
		s.APIURL, s.Timeout = base, 200*time.Millisecond
		return notifytest.Send(notifytest.Build(t, New, s))
	}, token)
}

func TestSettingsErrors(t *testing.T) {
	tokenFile := notifytest.File(t, token)
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(*Settings) {}, ""),
		notifytest.Setting("call", func(s *Settings) { s.Mode = ModeCall }, ""),
		notifytest.Setting("token file", func(s *Settings) { s.AuthToken, s.AuthTokenFile = "", tokenFile }, ""),
		notifytest.Setting("sender id for sms", func(s *Settings) { s.From = "Picket" }, ""),
		notifytest.Setting("basic voice", func(s *Settings) { s.Mode, s.Voice, s.Language = ModeCall, "woman", "" }, ""),
		notifytest.Setting("mode", func(s *Settings) { s.Mode = "fax" }, "mode"),
		notifytest.Setting("api url", func(s *Settings) { s.APIURL = "api.twilio.com" }, "api_url"),
		notifytest.Setting("no sid", func(s *Settings) { s.AccountSID = "" }, "account_sid"),
		notifytest.Setting("sid with slash", func(s *Settings) { s.AccountSID = "AC1/../x" }, "account_sid"),
		notifytest.Setting("no token", func(s *Settings) { s.AuthToken = "" }, "auth_token"),
		notifytest.Setting("token and file", func(s *Settings) { s.AuthTokenFile = tokenFile }, "auth_token"),
		notifytest.Setting("no from", func(s *Settings) { s.From = "" }, "from"),
		notifytest.Setting("sender id for a call", func(s *Settings) { s.Mode, s.From = ModeCall, "Picket" }, "from"),
		notifytest.Setting("digits as sender id", func(s *Settings) { s.From = "14155550100" }, "from"),
		notifytest.Setting("no to", func(s *Settings) { s.To = nil }, "to"),
		notifytest.Setting("local number", func(s *Settings) { s.To = []string{ana, "0171 123456"} }, "to.1"),
		notifytest.Setting("number with spaces", func(s *Settings) { s.To = []string{"+44 20 7183 8750"} }, "to.0"),
		notifytest.Setting("too long", func(s *Settings) { s.To = []string{"+1234567890123456"} }, "to.0"),
		notifytest.Setting("twice", func(s *Settings) { s.To = []string{ana, ben, ana} }, "to.2"),
		notifytest.Setting("voice", func(s *Settings) { s.Mode, s.Voice = ModeCall, `Polly.Joanna"/>` }, "voice"),
		notifytest.Setting("language", func(s *Settings) { s.Mode, s.Language = ModeCall, "english" }, "language"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = -1 }, "timeout"),
	}, token)
}

func TestSettingsYAML(t *testing.T) {
	doc := "mode: call\naccount_sid: " + sid + "\nauth_token_file: /etc/picket/twilio.token\nfrom: '" + from +
		"'\nto: ['" + ana + "', '" + ben + "']\nvoice: Polly.Matthew\n"
	notifytest.CheckDecoded(t, doc, NewSettings(), &Settings{Mode: ModeCall, APIURL: DefaultAPIURL, AccountSID: sid,
		AuthTokenFile: "/etc/picket/twilio.token", From: from, To: []string{ana, ben}, Voice: "Polly.Matthew",
		Language: DefaultLanguage, Timeout: notify.DefaultTimeout})
}
