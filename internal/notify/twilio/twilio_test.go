package twilio

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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

func newNotifier(t *testing.T, apiURL, mode string, to ...string) *Notifier {
	t.Helper()
	s := NewSettings()
	s.APIURL, s.AccountSID, s.AuthToken, s.From, s.To = apiURL, sid, token, from, to
	s.Mode, s.Timeout = mode, 2*time.Second
	n, err := New(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// form decodes a recorded form body.
func form(t *testing.T, r notifytest.Request) url.Values {
	t.Helper()
	v, err := url.ParseQuery(string(r.Body))
	if err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
	return v
}

func TestNotifyRequest(t *testing.T) {
	problem := notifytest.Problem()
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
			if retry, err := newNotifier(t, srv.URL+"/", tt.mode, ana).Notify(context.Background(), tt.msg); err != nil {
				t.Fatalf("Notify = %v, %v", retry, err)
			}
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if want := "/2010-04-01/Accounts/" + sid + tt.path; r.Method != http.MethodPost || r.Path != want {
				t.Errorf("request = %s %s, want POST %s", r.Method, r.Path, want)
			}
			if got, want := r.Header.Get("Authorization"), "Basic "+base64.StdEncoding.EncodeToString([]byte(sid+":"+token)); got != want {
				t.Errorf("Authorization = %q, want %q", got, want)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
				t.Errorf("Content-Type = %q", ct)
			}
			if diff := cmp.Diff(tt.want, form(t, r)); diff != "" {
				t.Errorf("form (-want +got):\n%s", diff)
			}
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
	notifytest.CheckReplies(t, []notifytest.Reply{
		notifytest.Case("created", 201, created, "", false),
		notifytest.Case("no sid", 201, `{"status":"queued"}`, ana+": reply without sid", false),
		notifytest.Case("invalid number", 400, `{"code":21211,"message":"The 'To' number +1 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`, ana+": HTTP 400", false),
		notifytest.Case("unauthorized", 401, `{"code":20003,"message":"Authenticate","status":401}`, ana+": HTTP 401", false),
		notifytest.Case("forbidden", 403, `{"code":20403,"message":"Forbidden","status":403}`, ana+": HTTP 403", false),
		notifytest.Case("not found", 404, `{"code":20404,"message":"not found","status":404}`, ana+": HTTP 404", false),
		notifytest.Case("rate limited", 429, `{"code":20429,"message":"Too Many Requests","status":429}`, ana+": HTTP 429", true),
		notifytest.Case("server error", 500, `{"code":20500,"message":"Internal Server Error","status":500}`, ana+": HTTP 500", true),
	}, func(t *testing.T, srv *notifytest.Server) (bool, error) {
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
				again = append(again, form(t, r).Get("To"))
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
	srv.Reply = func(w http.ResponseWriter, r notifytest.Request) {
		user, pass, _ := (&http.Request{Header: r.Header}).BasicAuth()
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"code":20003,"message":"bad credentials ` + user + `:` + pass + `"}`))
	}
	_, err := newNotifier(t, srv.URL, ModeCall, ana).Notify(context.Background(), notifytest.Problem())
	if err == nil || strings.Contains(err.Error(), token) {
		t.Fatalf("err = %v, want an error without the token", err)
	}
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		s := NewSettings()
		s.APIURL, s.AccountSID, s.AuthToken, s.From, s.To = base, sid, token, from, []string{ana}
		s.Timeout = 200 * time.Millisecond
		n, err := New(*s)
		if err != nil {
			t.Fatal(err)
		}
		return notifytest.Send(n)
	}, token)
}

func TestSettingsErrors(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "twilio.token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(*Settings)
		field  string // "" means valid
	}{
		{"valid", func(*Settings) {}, ""},
		{"call", func(s *Settings) { s.Mode = ModeCall }, ""},
		{"token file", func(s *Settings) { s.AuthToken, s.AuthTokenFile = "", tokenFile }, ""},
		{"sender id for sms", func(s *Settings) { s.From = "Picket" }, ""},
		{"basic voice", func(s *Settings) { s.Mode, s.Voice, s.Language = ModeCall, "woman", "" }, ""},
		{"mode", func(s *Settings) { s.Mode = "fax" }, "mode"},
		{"api url", func(s *Settings) { s.APIURL = "api.twilio.com" }, "api_url"},
		{"no sid", func(s *Settings) { s.AccountSID = "" }, "account_sid"},
		{"sid with slash", func(s *Settings) { s.AccountSID = "AC1/../x" }, "account_sid"},
		{"no token", func(s *Settings) { s.AuthToken = "" }, "auth_token"},
		{"token and file", func(s *Settings) { s.AuthTokenFile = tokenFile }, "auth_token"},
		{"no from", func(s *Settings) { s.From = "" }, "from"},
		{"sender id for a call", func(s *Settings) { s.Mode, s.From = ModeCall, "Picket" }, "from"},
		{"digits as sender id", func(s *Settings) { s.From = "14155550100" }, "from"},
		{"no to", func(s *Settings) { s.To = nil }, "to"},
		{"local number", func(s *Settings) { s.To = []string{ana, "0171 123456"} }, "to.1"},
		{"number with spaces", func(s *Settings) { s.To = []string{"+44 20 7183 8750"} }, "to.0"},
		{"too long", func(s *Settings) { s.To = []string{"+1234567890123456"} }, "to.0"},
		{"twice", func(s *Settings) { s.To = []string{ana, ben, ana} }, "to.2"},
		{"voice", func(s *Settings) { s.Mode, s.Voice = ModeCall, `Polly.Joanna"/>` }, "voice"},
		{"language", func(s *Settings) { s.Mode, s.Language = ModeCall, "english" }, "language"},
		{"timeout", func(s *Settings) { s.Timeout = -1 }, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSettings()
			s.AccountSID, s.AuthToken, s.From, s.To = sid, token, from, []string{ana}
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
	doc := "mode: call\naccount_sid: " + sid + "\nauth_token_file: /etc/picket/twilio.token\nfrom: '" + from +
		"'\nto: ['" + ana + "', '" + ben + "']\nvoice: Polly.Matthew\n"
	s := NewSettings()
	notifytest.Decode(t, doc, s)
	want := &Settings{Mode: ModeCall, APIURL: DefaultAPIURL, AccountSID: sid, AuthTokenFile: "/etc/picket/twilio.token",
		From: from, To: []string{ana, ben}, Voice: "Polly.Matthew", Language: DefaultLanguage, Timeout: notify.DefaultTimeout}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}
