package opsgenie

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Limits of the Alert API, in characters.
const (
	maxMessage     = 130
	maxAlias       = 512
	maxDescription = 15000
)

// source is what Opsgenie shows as the alert's source and the actor of
// closes and acknowledgements.
const source = "Picket"

// Notifier sends alerts to one Opsgenie API integration.
type Notifier struct {
	http *notify.HTTP
	base string // API URL without a trailing slash
	key  secret.Secret
	tags []string
}

// New validates s and returns a notifier. A problem with a field is a
// *fielderr.Error naming it; several are joined.
func New(s Settings) (*Notifier, error) {
	base, key, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{http: notify.NewHTTP(s.Timeout, false).Hiding(key.Reveal()), base: base, key: key, tags: s.Tags}, nil
}

// alert is the body of "create alert".
type alert struct {
	Message     string            `json:"message"`
	Alias       string            `json:"alias"`
	Description string            `json:"description,omitempty"`
	Priority    string            `json:"priority"`
	Source      string            `json:"source"`
	Tags        []string          `json:"tags,omitempty"`
	Details     map[string]string `json:"details,omitempty"`
}

// action is the body of "close alert" and "acknowledge alert".
type action struct {
	Source string `json:"source"`
	User   string `json:"user"`
	Note   string `json:"note,omitempty"`
}

// Notify creates an alert for a problem, reminder, flapping or test
// (Opsgenie folds an alert with an open alias into the existing one),
// acknowledges it for an acknowledgement and closes it for a recovery or
// the end of flapping. It is accepted when Opsgenie answers 2xx with a
// requestId; Opsgenie then processes the request asynchronously. Retry is
// true for network errors, 429 and 5xx; false for 400, 401, 403, 422 and
// other 4xx.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	u, body, what, err := n.request(m)
	if err != nil {
		return false, err
	}
	hdr := http.Header{"Authorization": {"GenieKey " + n.key.Reveal()}}
	reply, retry, err := n.http.PostJSON(ctx, u, hdr, body)
	if err != nil {
		return retry, fmt.Errorf("%s: %w", what, err)
	}
	var r struct {
		Result    string `json:"result"`
		RequestID string `json:"requestId"`
	}
	if json.Unmarshal(reply, &r) != nil || r.RequestID == "" {
		// Resending is safe: the alias keeps it to one alert.
		return true, n.http.Scrub(fmt.Errorf("%s: reply without requestId: %s", what, notify.Excerpt(reply)))
	}
	return false, nil
}

// request returns the URL and body for m and says what it does, for errors.
func (n *Notifier) request(m notify.Message) (u string, body any, what string, err error) {
	alias := notify.IncidentKey(m, maxAlias)
	byAlias := n.base + "/v2/alerts/" + url.PathEscape(alias)
	phase := m.Kind.Phase()
	switch {
	case phase == notify.PhaseOpen:
		return n.base + "/v2/alerts", n.alert(m, alias), "creating the alert", nil
	case phase != notify.PhaseNone && alias == "":
		return "", nil, "", fmt.Errorf("a %s message without group key or id names no alert", m.Kind)
	case phase == notify.PhaseAck:
		return byAlias + "/acknowledge?identifierType=alias", action{source, source, m.Title}, "acknowledging the alert", nil
	case phase == notify.PhaseClose:
		return byAlias + "/close?identifierType=alias", action{source, source, m.Title}, "closing the alert", nil
	}
	return "", nil, "", fmt.Errorf("message kind %q has no Opsgenie alert action", m.Kind)
}

func (n *Notifier) alert(m notify.Message, alias string) alert {
	desc := m.Text
	if m.URL != "" && !strings.Contains(desc, m.URL) {
		desc = strings.TrimSpace(desc + "\n" + m.URL)
	}
	details := make(map[string]string, len(m.Labels)+1)
	for k, v := range m.Labels {
		details[k] = v
	}
	if _, taken := details["incident_url"]; !taken && m.URL != "" {
		details["incident_url"] = m.URL
	}
	if len(details) == 0 {
		details = nil
	}
	return alert{
		Message:     notify.Clip(m.Title, maxMessage),
		Alias:       alias,
		Description: notify.Clip(desc, maxDescription),
		Priority:    priority(m.Severity),
		Source:      source,
		Tags:        n.tags,
		Details:     details,
	}
}

// priority maps Picket's severity to Opsgenie's P1 (critical) to P5
// (informational); an unknown severity is P3, Opsgenie's own default.
func priority(s notify.Severity) string {
	switch s {
	case notify.SeverityCritical:
		return "P1"
	case notify.SeverityWarning:
		return "P3"
	case notify.SeverityInfo:
		return "P5"
	}
	return "P3"
}
