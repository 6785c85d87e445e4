package telegram

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
)

// Limits that keep a message under Telegram's 4096 characters.
const (
	maxTitle  = 256
	maxText   = 3000
	maxChecks = 10
)

// escaper escapes text for Telegram's HTML parse mode, which knows only
// the &lt; &gt; &amp; and &quot; named entities.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

// format renders m as Telegram HTML: the title in bold, linked to the
// incident when m.URL is a web link, then the text, then the checks when
// the message is about more than one (with one, the title says it all).
func format(m notify.Message) string {
	var b strings.Builder
	title := escaper.Replace(truncate(m.Title, maxTitle))
	if linkable(m.URL) {
		title = `<a href="` + escaper.Replace(m.URL) + `">` + title + `</a>`
	}
	b.WriteString("<b>" + title + "</b>")
	if m.Text != "" {
		b.WriteString("\n" + escaper.Replace(truncate(m.Text, maxText)))
	}
	if len(m.Checks) > 1 {
		b.WriteString("\n")
		for i, c := range m.Checks {
			if i == maxChecks {
				fmt.Fprintf(&b, "\n… and %d more", len(m.Checks)-maxChecks)
				break
			}
			b.WriteString("\n• " + escaper.Replace(truncate(checkLine(c), maxTitle)))
		}
	}
	return b.String()
}

// checkLine is "Billing API: down — connection refused".
func checkLine(c notify.Check) string {
	name := c.Name
	if name == "" {
		name = c.ID
	}
	s := name + ": " + c.Status
	if c.Reason != "" {
		s += " — " + c.Reason
	}
	return s
}

// linkable reports whether u is an absolute web link Telegram can open.
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
