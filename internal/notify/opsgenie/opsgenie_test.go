package opsgenie

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const key = "eb243592-faa2-4ba2-a551q-1afdf565c889"

const accepted = `{"result":"Request will be processed","took":0.302,"requestId":"43a29c5c-3dbf-4fa4-9c26-f4f71023e120"}`

// valid returns settings that each case of TestSettingsErrors breaks in
// one place.
func valid() *Settings {
	s := NewSettings()
	s.APIKey = key
	return s
}

func newNotifier(t *testing.T, apiURL string, timeout time.Duration) *Notifier {
	t.Helper()
	s := valid()
	s.APIURL, s.Tags, s.Timeout = apiURL, []string{"prod"}, timeout
	return notifytest.Build(t, New, s)
}

func TestNotifyRequest(t *testing.T) {
	ack := notifytest.Problem()
	ack.ID, ack.Kind, ack.Title = "inc-42/ack", notify.KindAck, "ACK: Billing API — taken by ana"
	tests := []struct {
		name      string
		msg       notify.Message
		wantPath  string
		wantQuery string
		want      map[string]any
	}{
		{"problem creates", notifytest.Problem(), "/v2/alerts", "", map[string]any{
			"message": "DOWN: Billing API — connection refused", "alias": "inc-42",
			"description": notifytest.Problem().Text, "priority": "P1", "source": "Picket",
			"tags":    []any{"prod"},
			"details": map[string]any{"team": "payments", "incident_url": "https://picket.example/incidents/inc-42"},
		}},
		{"recovery closes", notifytest.Recovery(), "/v2/alerts/inc-42/close", "identifierType=alias", map[string]any{
			"source": "Picket", "user": "Picket", "note": "UP: Billing API — back after 12m",
		}},
		{"ack acknowledges", ack, "/v2/alerts/inc-42/acknowledge", "identifierType=alias", map[string]any{
			"source": "Picket", "user": "Picket", "note": "ACK: Billing API — taken by ana",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusAccepted, accepted)
			notifytest.Deliver(t, newNotifier(t, srv.URL+"/", 2*time.Second), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: tt.wantPath, RawQuery: tt.wantQuery,
				Header: map[string]string{"Authorization": "GenieKey " + key}, JSON: tt.want})
		})
	}
}

func TestAlertFields(t *testing.T) {
	n := &Notifier{}
	m := notify.Message{Kind: notify.KindProblem, Severity: notify.SeverityWarning, Title: strings.Repeat("x", 200),
		Text: "slow", URL: "https://p.example/i/1", Labels: map[string]string{"incident_url": "mine"}}
	a := n.alert(m, "a")
	want := alert{Message: strings.Repeat("x", 129) + "…", Alias: "a", Description: "slow\nhttps://p.example/i/1",
		Priority: "P3", Source: "Picket", Details: map[string]string{"incident_url": "mine"}}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("alert (-want +got):\n%s", diff)
	}
	for sev, want := range map[notify.Severity]string{notify.SeverityCritical: "P1", notify.SeverityInfo: "P5", "": "P3"} {
		if got := priority(sev); got != want {
			t.Errorf("priority(%q) = %s, want %s", sev, got, want)
		}
	}
	if _, body, _, _ := n.request(notify.Message{Kind: notify.KindProblem, GroupKey: strings.Repeat("k", 600)}); len(body.(alert).Alias) > maxAlias {
		t.Errorf("alias has %d characters", len(body.(alert).Alias))
	}
	if _, _, _, err := n.request(notify.Message{Kind: notify.KindRecovery}); err == nil {
		t.Error("closing an alert without an alias made a request")
	}
}

func TestNotifyReplies(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("accepted", 202, accepted, "", false),
		notifytest.Case("no request id", 202, `{"result":"?"}`, "reply without requestId", true),
	}, notifytest.HTTPErrors(map[int]string{
		400: `{"message":"Request body is not processable","took":0.001,"requestId":"x"}`,
		401: `{"message":"Key format is not valid!","took":0,"requestId":"x"}`,
		403: `{"message":"forbidden"}`,
		404: `{"message":"not found"}`,
		422: `{"message":"Request body is not processable. Please check the errors.","errors":{"message":"Message can not be empty."}}`,
		429: `{"message":"too many"}`,
		500: ``,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, srv.URL, 2*time.Second))
	}, key)
}

func TestKeyNeverInError(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusUnauthorized, func(r notifytest.Request) string {
		return `{"message":"bad key ` + r.Header.Get("Authorization") + `"}`
	})
	notifytest.CheckRejected(t, newNotifier(t, srv.URL, 2*time.Second), "", key)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, base, 200*time.Millisecond))
	}, key)
}

func TestSettingsErrors(t *testing.T) {
	keyFile := notifytest.File(t, key)
	missing := notifytest.Missing(t)
	notifytest.CheckEdits(t, valid, []notifytest.Edit[Settings]{
		notifytest.Setting("valid", func(*Settings) {}, ""),
		notifytest.Setting("key file", func(s *Settings) { s.APIKey, s.APIKeyFile = "", keyFile }, ""),
		notifytest.Setting("eu", func(s *Settings) { s.APIURL = "https://api.eu.opsgenie.com" }, ""),
		notifytest.Setting("bad api url", func(s *Settings) { s.APIURL = "api.opsgenie.com" }, "api_url"),
		notifytest.Setting("no key", func(s *Settings) { s.APIKey = "" }, "api_key"),
		notifytest.Setting("key and file", func(s *Settings) { s.APIKeyFile = keyFile }, "api_key"),
		notifytest.Setting("missing key file", func(s *Settings) { s.APIKey, s.APIKeyFile = "", missing }, "api_key_file"),
		notifytest.Setting("empty tag", func(s *Settings) { s.Tags = []string{"ok", ""} }, "tags.1"),
		notifytest.Setting("long tag", func(s *Settings) { s.Tags = []string{strings.Repeat("t", 51)} }, "tags.0"),
		notifytest.Setting("too many tags", func(s *Settings) { s.Tags = make([]string, 21) }, "tags"),
		notifytest.Setting("timeout", func(s *Settings) { s.Timeout = -1 }, "timeout"),
	}, key)
}

func TestSettingsYAML(t *testing.T) {
	doc := "api_url: https://api.eu.opsgenie.com\napi_key_file: /etc/picket/opsgenie.key\ntags: [picket, prod]\n"
	notifytest.CheckDecoded(t, doc, NewSettings(), &Settings{APIURL: "https://api.eu.opsgenie.com",
		APIKeyFile: "/etc/picket/opsgenie.key", Tags: []string{"picket", "prod"}, Timeout: notify.DefaultTimeout})
}
