package slack

import (
	"net/url"
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

// payload renders m: the title in bold over the text, the checks when
// there are several, and a button to the incident.
func payload(m notify.Message) message {
	title := mrkdwn.Replace(truncate(m.Title, maxTitle))
	body := "*" + title + "*"
	if m.Text != "" {
		body += "\n" + mrkdwn.Replace(truncate(m.Text, maxText))
	}
	blocks := []block{{Type: "section", Text: &text{Type: "mrkdwn", Text: body}}}
	if len(m.Checks) > 1 {
		blocks = append(blocks, block{Type: "section", Text: &text{Type: "mrkdwn", Text: checkList(m.Checks)}})
	}
	if linkable(m.URL) {
		blocks = append(blocks, block{Type: "actions", Elements: []button{{
			Type: "button", Text: text{Type: "plain_text", Text: "Open in Picket"}, URL: m.URL,
		}}})
	}
	return message{Text: title, Attachments: []attachment{{Color: color(m), Blocks: blocks}}}
}

// checkList is one line per check, "• *Billing API*: down — connection
// refused", at most maxChecks of them.
func checkList(checks []notify.Check) string {
	lines := make([]string, 0, maxChecks+1)
	for i, c := range checks {
		if i == maxChecks {
			lines = append(lines, "… and "+strconv.Itoa(len(checks)-maxChecks)+" more")
			break
		}
		name := c.Name
		if name == "" {
			name = c.ID
		}
		line := "*" + name + "*: " + c.Status
		if c.Reason != "" {
			line += " — " + c.Reason
		}
		lines = append(lines, "• "+mrkdwn.Replace(truncate(line, maxLine)))
	}
	return strings.Join(lines, "\n")
}

// color is the attachment's bar: danger, warning or good by the check's
// status, else by severity; none for information.
func color(m notify.Message) string {
	switch m.Status {
	case "down":
		return "danger"
	case "degraded":
		return "warning"
	case "up":
		return "good"
	}
	switch m.Severity {
	case notify.SeverityCritical:
		return "danger"
	case notify.SeverityWarning:
		return "warning"
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
