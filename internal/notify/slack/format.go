package slack

import (
	"strconv"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
)

// Limits that keep a section block under Slack's 3000 characters.
const (
	maxTitle  = 250
	maxText   = 2500
	maxChecks = 10
	maxLine   = 250
)

// message is the body of both a webhook post and chat.postMessage.
type message struct {
	Channel     string       `json:"channel,omitempty"`
	Text        string       `json:"text"` // the notification's preview
	Attachments []attachment `json:"attachments"`
	UnfurlLinks bool         `json:"unfurl_links"`
}

// attachment carries the colour bar; its blocks carry the content.
type attachment struct {
	Color  string  `json:"color,omitempty"`
	Blocks []block `json:"blocks"`
}

type block struct {
	Type     string   `json:"type"`
	Text     *text    `json:"text,omitempty"`
	Elements []button `json:"elements,omitempty"`
}

type text struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type button struct {
	Type string `json:"type"`
	Text text   `json:"text"`
	URL  string `json:"url"`
}

// mrkdwn escapes the three characters Slack's mrkdwn gives a meaning to.
var mrkdwn = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// colors are the attachment's bar by tone: danger, warning or good; none
// for information.
var colors = [...]string{notify.ToneNeutral: "", notify.ToneBad: "danger", notify.ToneWarning: "warning", notify.ToneGood: "good"}

// payload renders m: the title in bold over the text, the checks when
// there are several, and a button to the incident.
func payload(m notify.Message) message {
	title := mrkdwn.Replace(notify.Clip(m.Title, maxTitle))
	body := "*" + title + "*"
	if m.Text != "" {
		body += "\n" + mrkdwn.Replace(notify.Clip(m.Text, maxText))
	}
	blocks := []block{{Type: "section", Text: &text{Type: "mrkdwn", Text: body}}}
	if len(m.Checks) > 1 {
		blocks = append(blocks, block{Type: "section", Text: &text{Type: "mrkdwn", Text: checkList(m.Checks)}})
	}
	if notify.IsWebLink(m.URL) {
		blocks = append(blocks, block{Type: "actions", Elements: []button{{
			Type: "button", Text: text{Type: "plain_text", Text: "Open in Picket"}, URL: m.URL,
		}}})
	}
	return message{Text: title, Attachments: []attachment{{Color: colors[notify.ToneOf(m)], Blocks: blocks}}}
}

// checkList is one line per check, "• *Billing API*: down — connection
// refused", at most maxChecks of them.
func checkList(checks []notify.Check) string {
	lines := notify.ListChecks(checks, maxChecks, func(c notify.Check) string {
		return "• " + mrkdwn.Replace(notify.Clip("*"+c.Label()+"*: "+c.State(), maxLine))
	}, func(n int) string {
		return "… and " + strconv.Itoa(n) + " more"
	})
	return strings.Join(lines, "\n")
}
