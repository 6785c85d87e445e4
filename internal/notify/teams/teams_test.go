package teams

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/notifytest"
)

const (
	hookPath  = "/workflows/0a1b2c/triggers/manual/paths/invoke"
	hookQuery = "api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SiGnAtUrE-secret123"
	sig       = "SiGnAtUrE-secret123"
)

// newNotifier decodes doc strictly into fresh settings, as config does,
// and builds the notifier.
func newNotifier(t *testing.T, doc string) *Notifier {
	t.Helper()
	return notifytest.FromYAML(t, NewSettings, New, doc)
}

func hookDoc(base string) string { return `webhook_url: "` + base + hookPath + "?" + hookQuery + `"` }

// wantCard is the envelope of a card with the given title, colour, text
// and fact value for the Billing API check.
func wantCard(title, color, text, value string) string {
	return `{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
		"content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
		"body": [
			{"type": "TextBlock", "text": "` + title + `", "weight": "Bolder", "size": "Medium", "color": "` + color + `", "wrap": true},
			{"type": "TextBlock", "text": "` + text + `", "wrap": true},
			{"type": "FactSet", "facts": [{"title": "Billing API", "value": "` + value + `"}]}],
		"actions": [{"type": "Action.OpenUrl", "title": "Open in Picket", "url": "https://picket.example/incidents/inc-42"}]}}]}`
}

func TestRequest(t *testing.T) {
	tests := []struct {
		name string
		msg  notify.Message
		want string
	}{
		{"problem", notifytest.Problem(), wantCard("DOWN: Billing API — connection refused", "Attention",
			`Down since 2026-11-21 20:00:00 UTC (2m ago), checked from node-a.\nhttps://picket.example/incidents/inc-42`,
			"down — connection refused")},
		{"recovery", notifytest.Recovery(), wantCard("UP: Billing API — back after 12m", "Good",
			`Up again at 2026-11-21 20:12:00 UTC after 12m down.\nhttps://picket.example/incidents/inc-42`,
			"up — HTTP 200")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := notifytest.NewServer(t)
			srv.Set(http.StatusAccepted, "")
			notifytest.Deliver(t, newNotifier(t, hookDoc(srv.URL)), tt.msg)
			srv.Check(t, notifytest.Want{Method: http.MethodPost, Path: hookPath, RawQuery: hookQuery,
				Header: map[string]string{"Content-Type": "application/json"}, JSON: tt.want})
		})
	}
}

func TestEnvelope(t *testing.T) {
	m := notifytest.Problem()
	m.Status, m.Severity, m.URL, m.Text = "degraded", notify.SeverityWarning, "", ""
	m.Checks = append(m.Checks, notify.Check{ID: "edge", Status: "degraded"})
	want := `{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
		"content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
		"body": [
			{"type": "TextBlock", "text": "DOWN: Billing API — connection refused", "weight": "Bolder", "size": "Medium", "color": "Warning", "wrap": true},
			{"type": "FactSet", "facts": [{"title": "Billing API", "value": "down — connection refused"}, {"title": "edge", "value": "degraded"}]}]}}]}`
	b, err := json.Marshal(envelope(m))
	if err != nil {
		t.Fatal(err)
	}
	if d := notifytest.JSONDiff(t, want, b); d != "" {
		t.Errorf("envelope (-want +got):\n%s", d)
	}
}

func TestReply(t *testing.T) {
	notifytest.CheckReplies(t, append([]notifytest.Reply{
		notifytest.Case("accepted", 202, ``, "", false),
		notifytest.Case("ok", 200, `1`, "", false),
		notifytest.Case("bad card", 400, `{"error":{"code":"InvalidRequestContent","message":"The input body for trigger 'manual' of type 'Request' must be of type JSON"}}`, "InvalidRequestContent", false),
		notifytest.Case("deleted flow", 404, `{"error":{"code":"WorkflowNotFound","message":"The workflow was not found."}}`, "WorkflowNotFound", false),
	}, notifytest.HTTPErrors(map[int]string{
		401: `{"error":{"code":"DirectApiAuthorizationRequired","message":"The request must be authenticated."}}`,
		403: `{"error":{"code":"Forbidden"}}`,
		429: `{"error":{"code":"WorkflowTriggerIsThrottled"}}`,
		500: `{"error":{"code":"InternalServerError"}}`,
		503: ``,
	})...), func(t *testing.T, srv *notifytest.Server) (bool, error) {
		return notifytest.Send(newNotifier(t, hookDoc(srv.URL)))
	}, sig)
}

func TestUnreachable(t *testing.T) {
	notifytest.CheckUnreachable(t, func(t *testing.T, base string) (bool, error) {
		return notifytest.Send(newNotifier(t, hookDoc(base)+"\ntimeout: 200ms"))
	}, sig)
}

func TestEchoedSignature(t *testing.T) {
	srv := notifytest.NewServer(t)
	srv.Echo(http.StatusBadRequest, func(r notifytest.Request) string {
		q, _ := url.ParseQuery(r.RawQuery)
		return "bad request to " + r.URI + " sig " + q.Get("sig")
	})
	notifytest.CheckRejected(t, newNotifier(t, hookDoc(srv.URL)), "", sig)
}

func TestSettings(t *testing.T) {
	hookFile := notifytest.File(t, "https://prod.westus.logic.azure.com"+hookPath+"?"+hookQuery)
	hook := hookDoc("https://prod.westus.logic.azure.com")
	notifytest.CheckDocs(t, NewSettings, New, []notifytest.Doc{
		notifytest.Setting("webhook", hook, ""),
		notifytest.Setting("webhook file", "webhook_url_file: "+hookFile, ""),
		notifytest.Setting("no webhook", "timeout: 5s", "webhook_url"),
		notifytest.Setting("webhook and file", hook+"\nwebhook_url_file: "+hookFile, "webhook_url"),
		notifytest.Setting("missing file", "webhook_url_file: "+notifytest.Missing(t), "webhook_url_file"),
		notifytest.Setting("not a URL", `webhook_url: "prod.westus.logic.azure.com`+hookPath+"?"+hookQuery+`"`, "webhook_url"),
		notifytest.Setting("unparsable", `webhook_url: "https://prod.westus.logic.azure.com`+hookPath+"?"+hookQuery+`%zz\n"`, "webhook_url"),
		notifytest.Setting("negative timeout", hook+"\ntimeout: -5s", "timeout"),
	}, sig)
}

func TestSettingsImplementsNotifier(t *testing.T) {
	s := NewSettings()
	s.WebhookURL = "https://prod.westus.logic.azure.com" + hookPath + "?" + hookQuery
	notifytest.CheckValid(t, s)
}
