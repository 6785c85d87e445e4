package telegram

import (
	"fmt"
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
	title := escaper.Replace(notify.Clip(m.Title, maxTitle))
	if notify.IsWebLink(m.URL) {
		title = `<a href="` + escaper.Replace(m.URL) + `">` + title + `</a>`
	}
	b.WriteString("<b>" + title + "</b>")
	if m.Text != "" {
		b.WriteString("\n" + escaper.Replace(notify.Clip(m.Text, maxText)))
	}
	if len(m.Checks) > 1 {
		lines := notify.ListChecks(m.Checks, maxChecks, func(c notify.Check) string {
			return "• " + escaper.Replace(notify.Clip(c.Label()+": "+c.State(), maxTitle))
		}, func(n int) string {
			return fmt.Sprintf("… and %d more", n)
		})
		b.WriteString("\n\n" + strings.Join(lines, "\n"))
	}
	return b.String()
}
