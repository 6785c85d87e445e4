package teams

import (
	"net/url"
	"strconv"

	"github.com/picket-monitor/picket/internal/notify"
)

// Limits that keep a card readable and well under the webhook's 28 KB.
const (
	maxTitle  = 256
	maxText   = 3000
	maxChecks = 10
	maxFact   = 200
)

// message is the envelope a Workflows webhook reads: a message whose one
// attachment is the Adaptive Card.
type message struct {
	Type        string       `json:"type"`
	Attachments []attachment `json:"attachments"`
}

type attachment struct {
	ContentType string  `json:"contentType"`
	ContentURL  *string `json:"contentUrl"` // always null
	Content     card    `json:"content"`
}

type card struct {
	Schema  string    `json:"$schema"`
	Type    string    `json:"type"`
	Version string    `json:"version"`
	Body    []element `json:"body"`
	Actions []action  `json:"actions,omitempty"`
}

// element is a TextBlock or a FactSet.
type element struct {
	Type   string `json:"type"`
	Text   string `json:"text,omitempty"`
	Weight string `json:"weight,omitempty"`
	Size   string `json:"size,omitempty"`
	Color  string `json:"color,omitempty"`
	Wrap   bool   `json:"wrap,omitempty"`
	Facts  []fact `json:"facts,omitempty"`
}

type fact struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

type action struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// envelope renders m as an Adaptive Card 1.4 in its message envelope.
func envelope(m notify.Message) message {
	body := []element{{
		Type: "TextBlock", Text: truncate(m.Title, maxTitle), Weight: "Bolder", Size: "Medium",
		Color: color(m), Wrap: true,
	}}
	if m.Text != "" {
		body = append(body, element{Type: "TextBlock", Text: truncate(m.Text, maxText), Wrap: true})
	}
	if len(m.Checks) > 0 {
		body = append(body, element{Type: "FactSet", Facts: facts(m.Checks)})
	}
	c := card{
		Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.4",
		Body: body,
	}
	if linkable(m.URL) {
		c.Actions = []action{{Type: "Action.OpenUrl", Title: "Open in Picket", URL: m.URL}}
	}
	return message{Type: "message", Attachments: []attachment{{
		ContentType: "application/vnd.microsoft.card.adaptive", Content: c,
	}}}
}

// facts is one fact per check, "Billing API: down — connection refused";
// past maxChecks a last fact counts the rest.
func facts(checks []notify.Check) []fact {
	var out []fact
	for i, c := range checks {
		if i == maxChecks {
			out = append(out, fact{Title: "…", Value: "and " + strconv.Itoa(len(checks)-maxChecks) + " more"})
			break
		}
		name := c.Name
		if name == "" {
			name = c.ID
		}
		value := c.Status
		if c.Reason != "" {
			value += " — " + c.Reason
		}
		out = append(out, fact{Title: truncate(name, maxFact), Value: truncate(value, maxFact)})
	}
	return out
}

// color is the title's colour: Attention, Warning or Good by the check's
// status, else by severity; the default for information.
func color(m notify.Message) string {
	switch m.Status {
	case "down":
		return "Attention"
	case "degraded":
		return "Warning"
	case "up":
		return "Good"
	}
	switch m.Severity {
	case notify.SeverityCritical:
		return "Attention"
	case notify.SeverityWarning:
		return "Warning"
	}
	return ""
}

// linkable reports whether u is an absolute web link a button can open.
func linkable(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// truncate cuts s to at most n characters, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
