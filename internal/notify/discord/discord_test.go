package discord

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	hookPath   = "/api/webhooks/1234567890/WeBhOoK-SeCrEt"
	hookSecret = "WeBhOoK-SeCrEt"
)

// newNotifier decodes doc strictly into fresh settings, as config does,
// and builds the notifier.
func newNotifier(t *testing.T, doc string) *Notifier {
	t.Helper()
	return notifytest.FromYAML(t, NewSettings, New, doc)
}

func TestRequest(t *testing.T) {
	tests := []struct {
		name, extra, query string
		msg                notify.Message
		want               string
	}{
		{"problem", "\nusername: Picket", "wait=true", notifytest.Problem(), `{"username": "Picket", "allowed_mentions": {"parse": []},
			"embeds": [{"title": "DOWN: Billing API — connection refused", "url": "https://picket.example/incidents/inc-42",
			"description": "Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42",
			"color": 15158332, "timestamp": "2026-11-21T20:00:00Z",
			"fields": [{"name": "Billing API", "value": "down — connection refused", "inline": false}]}]}`},
		{"recovery into a thread", "", "thread_id=99&wait=true", notifytest.Recovery(), `{"allowed_mentions": {"parse": []},
			"embeds": [{"title": "UP: Billing API — back after 12m", "url": "https://picket.example/incidents/inc-42",
			"description": "Up again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42",
			"color": 3066993, "timestamp": "2026-11-21T20:00:00Z",
			"fields": [{"name": "Billing API", "value": "up — HTTP 200", "inline": false}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusOK, `{"id":"1111","channel_id":"2222"}`)
			hook := srv.URL + hookPath
			if strings.Contains(tt.query, "thread_id") {
				hook += "?thread_id=99"
			}
			notifytest.Deliver(t, newNotifier(t, "webhook_url: "+hook+tt.extra), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: hookPath, RawQuery: tt.query,
				Header: map[string]string{"Content-Type": "application/json"}, JSON: tt.want})
		})
	}
}

func TestPayload(t *testing.T) {
	m := notifytest.Problem()
	m.Status, m.Severity, m.URL, m.Text, m.Time = "", notify.SeverityWarning, "", "", time.Time{}
	m.Checks = nil
	for i := range 12 {
		m.Checks = append(m.Checks, notify.Check{ID: "c" + string(rune('a'+i))})
	}
	b, err := json.Marshal(payload(m))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Embeds []struct {
			URL    string  `json:"url"`
			Color  int     `json:"color"`
			Fields []field `json:"fields"`
		} `json:"embeds"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	e := got.Embeds[0]
	if e.URL != "" || e.Color != amber || len(e.Fields) != maxFields+1 {
		t.Fatalf("embed url %q colour %x with %d fields; want no url, amber, %d fields", e.URL, e.Color, len(e.Fields), maxFields+1)
	}
	want := []field{{Name: "ca", Value: "-"}, {Name: "…", Value: "and 2 more"}}
	if d := cmp.Diff(want, []field{e.Fields[0], e.Fields[maxFields]}); d != "" {
		t.Errorf("fields (-want +got):\n%s", d)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("saved", 200, `{"id":"1111"}`, "", false),
		notifytest.Case("no content", 204, ``, "", false),
		notifytest.Case("invalid form body", 400, `{"message": "Invalid Form Body", "code": 50035}`, "HTTP 400: {\"message\": \"Invalid Form Body\"", false),
		notifytest.Case("invalid token", 401, `{"message": "Invalid Webhook Token", "code": 50027}`, "Invalid Webhook Token", false),
		notifytest.Case("deleted webhook", 404, `{"message": "Unknown Webhook", "code": 10015}`, "Unknown Webhook", false),
		notifytest.Case("rate limited", 429, `{"message": "You are being rate limited.", "retry_after": 1.5, "global": false}`, "retry_after", true),
	}, notifytest.HTTPErrors(map[int]string{
		403: `{"message": "Missing Access", "code": 50001}`,
		500: `{"message": "500: Internal Server Error", "code": 0}`,
		502: `<html>bad gateway</html>`,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, "webhook_url: "+srv.URL+hookPath))
	}, hookSecret)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, "webhook_url: "+base+hookPath+"\ntimeout: 200ms"))
	}, hookSecret)
}

func TestEchoedWebhook(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusNotFound, func(r notifytest.Request) string { return "Cannot POST " + r.URI })
	notifytest.CheckRejected(t, newNotifier(t, "webhook_url: "+srv.URL+hookPath), "", hookSecret)
}

func TestSettings(t *testing.T) {
	hookFile := notifytest.File(t, "https://discord.com"+hookPath)
	const hook = "webhook_url: https://discord.com" + hookPath
	notifytest.CheckDocs(t, NewSettings, New, []notifytest.Doc{
		notifytest.Setting("webhook", hook, ""),
		notifytest.Setting("webhook file and username", "webhook_url_file: "+hookFile+"\nusername: Picket", ""),
		notifytest.Setting("no webhook", "username: Picket", "webhook_url"),
		notifytest.Setting("webhook and file", hook+"\nwebhook_url_file: "+hookFile, "webhook_url"),
		notifytest.Setting("missing file", "webhook_url_file: "+notifytest.Missing(t), "webhook_url_file"),
		notifytest.Setting("not a URL", "webhook_url: discord.com"+hookPath, "webhook_url"),
		notifytest.Setting("unparsable", "webhook_url: \"https://discord.com"+hookPath+"%zz\"", "webhook_url"),
		notifytest.Setting("reserved username", hook+"\nusername: My Discord Bot", "username"),
		notifytest.Setting("long username", hook+"\nusername: "+strings.Repeat("p", 81), "username"),
		notifytest.Setting("zero timeout", hook+"\ntimeout: 0s", "timeout"),
	}, hookSecret)
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.WebhookURL = "https://discord.com" + hookPath
	notifytest.CheckValid(t, s)
}
