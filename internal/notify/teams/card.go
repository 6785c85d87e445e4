package teams

import (
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

// colors are the title's colours by tone: Attention, Warning or Good, and
// the default for information.
var colors = [...]string{notify.ToneNeutral: "", notify.ToneBad: "Attention", notify.ToneWarning: "Warning", notify.ToneGood: "Good"}

// envelope renders m as an Adaptive Card 1.4 in its message envelope.
func envelope(m notify.Message) message {
	body := []element{{
		Type: "TextBlock", Text: notify.Clip(m.Title, maxTitle), Weight: "Bolder", Size: "Medium",
		Color: colors[notify.ToneOf(m)], Wrap: true,
	}}
	if m.Text != "" {
		body = append(body, element{Type: "TextBlock", Text: notify.Clip(m.Text, maxText), Wrap: true})
	}
	if len(m.Checks) > 0 {
		body = append(body, element{Type: "FactSet", Facts: notify.ListChecks(m.Checks, maxChecks, checkFact, moreFact)})
	}
	c := card{
		Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.4",
		Body: body,
	}
	if notify.IsWebLink(m.URL) {
		c.Actions = []action{{Type: "Action.OpenUrl", Title: "Open in Picket", URL: m.URL}}
	}
	return message{Type: "message", Attachments: []attachment{{
		ContentType: "application/vnd.microsoft.card.adaptive", Content: c,
	}}}
}

// checkFact is "Billing API: down — connection refused".
func checkFact(c notify.Check) fact {
	return fact{Title: notify.Clip(c.Label(), maxFact), Value: notify.Clip(c.State(), maxFact)}
}

// moreFact counts the checks past maxChecks.
func moreFact(n int) fact {
	return fact{Title: "…", Value: "and " + strconv.Itoa(n) + " more"}
}
