package pagerduty

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Limits of the Events API v2.
const (
	maxSummary  = 1024 // characters of payload.summary
	maxDedupKey = 255  // characters of dedup_key
)

// Notifier sends events to one PagerDuty integration.
type Notifier struct {
	http    *notify.HTTP
	enqueue string // the full URL of /v2/enqueue
	key     secret.Secret
}

// New validates s and returns a notifier. A problem with a field is a
// *fielderr.Error naming it; several are joined.
func New(s Settings) (*Notifier, error) {
	enqueue, key, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{http: notify.NewHTTP(s.Timeout, false).Hiding(key.Reveal()), enqueue: enqueue, key: key}, nil
}

// Notify sends m as one event: trigger for a problem, reminder, flapping
// or test; acknowledge for an acknowledgement; resolve for a recovery or
// the end of flapping. It is accepted when PagerDuty answers 2xx with
// status "success" and our dedup key. Retry is true for network errors,
// 429 and 5xx (resending is safe, PagerDuty folds events with one dedup
// key into one alert); false for 400 (an invalid event) and other 4xx.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	ev, err := n.event(m)
	if err != nil {
		return false, err
	}
	reply, retry, err := n.http.PostJSON(ctx, n.enqueue, nil, ev)
	if err != nil {
		return retry, fmt.Errorf("sending the %s event: %w", ev.EventAction, err)
	}
	var r struct {
		Status   string `json:"status"`
		Message  string `json:"message"`
		DedupKey string `json:"dedup_key"`
	}
	if err := json.Unmarshal(reply, &r); err != nil || r.Status != "success" {
		return true, n.http.Scrub(fmt.Errorf("sending the %s event: not accepted: %s", ev.EventAction, notify.Excerpt(reply)))
	}
	if r.DedupKey != "" && r.DedupKey != ev.DedupKey {
		return false, fmt.Errorf("sending the %s event: PagerDuty used dedup key %q, not %q", ev.EventAction, r.DedupKey, ev.DedupKey)
	}
	return false, nil
}

// event is an Events API v2 alert event.
type event struct {
	RoutingKey  string   `json:"routing_key"`
	EventAction string   `json:"event_action"`
	DedupKey    string   `json:"dedup_key"`
	Payload     *payload `json:"payload,omitempty"`
	Client      string   `json:"client,omitempty"`
	ClientURL   string   `json:"client_url,omitempty"`
	Links       []link   `json:"links,omitempty"`
}

type payload struct {
	Summary       string  `json:"summary"`
	Source        string  `json:"source"`
	Severity      string  `json:"severity"`
	Timestamp     string  `json:"timestamp,omitempty"`
	CustomDetails details `json:"custom_details"`
}

type details struct {
	Text   string            `json:"text"`
	Checks []check           `json:"checks,omitempty"`
	Labels map[string]string `json:"labels,omitempty"`
}

type check struct {
	ID     string `json:"id"`
	Name   string `json:"name,omitempty"`
	Target string `json:"target,omitempty"`
	Status string `json:"status,omitempty"`
	Reason string `json:"reason,omitempty"`
}

type link struct {
	Href string `json:"href"`
	Text string `json:"text,omitempty"`
}

// event builds the event for m. Acknowledge and resolve events carry only
// the dedup key: PagerDuty ignores a payload on them.
func (n *Notifier) event(m notify.Message) (event, error) {
	act, err := action(m.Kind)
	if err != nil {
		return event{}, err
	}
	ev := event{RoutingKey: n.key.Reveal(), EventAction: act, DedupKey: notify.IncidentKey(m, maxDedupKey)}
	if act != "trigger" {
		return ev, nil
	}
	ev.Payload = &payload{
		Summary:       notify.Clip(m.Title, maxSummary),
		Source:        source(m),
		Severity:      severity(m.Severity),
		CustomDetails: details{Text: m.Text, Checks: checks(m.Checks), Labels: m.Labels},
	}
	if !m.Time.IsZero() {
		ev.Payload.Timestamp = m.Time.UTC().Format(time.RFC3339)
	}
	ev.Client = "Picket"
	if m.URL != "" {
		ev.ClientURL = m.URL
		ev.Links = []link{{Href: m.URL, Text: "Incident in Picket"}}
	}
	return ev, nil
}

// actions are the event actions by phase.
var actions = [...]string{notify.PhaseOpen: "trigger", notify.PhaseAck: "acknowledge", notify.PhaseClose: "resolve"}

// action maps a message kind to an event action.
func action(k notify.Kind) (string, error) {
	if a := actions[k.Phase()]; a != "" {
		return a, nil
	}
	return "", fmt.Errorf("message kind %q has no PagerDuty event action", k)
}

// severity maps Picket's severity to PagerDuty's; an unknown one is
// "error", between critical and warning.
func severity(s notify.Severity) string {
	switch s {
	case notify.SeverityCritical, notify.SeverityWarning, notify.SeverityInfo:
		return string(s)
	}
	return "error"
}

// source names the affected system: the first check's target (its
// password redacted), else its id, else "picket".
func source(m notify.Message) string {
	for _, c := range m.Checks {
		if c.Target != "" {
			return secret.RedactURL(c.Target)
		}
		if c.ID != "" {
			return c.ID
		}
	}
	return "picket"
}

func checks(cs []notify.Check) []check {
	var out []check
	for _, c := range cs {
		out = append(out, check{ID: c.ID, Name: c.Name, Target: secret.RedactURL(c.Target), Status: c.Status, Reason: c.Reason})
	}
	return out
}
