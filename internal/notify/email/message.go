package email

import (
	"fmt"
	"html"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/picket-monitor/picket/internal/notify"
)

// Headers Picket adds so that mail filters can sort notifications.
const (
	HeaderIncident = gomail.Header("X-Picket-Incident") // the message's GroupKey
	HeaderKind     = gomail.Header("X-Picket-Kind")     // problem, recovery, ...
	HeaderSeverity = gomail.Header("X-Picket-Severity") // critical, warning, info
)

// message renders m as a multipart/alternative email: Title as the
// subject, Text as text/plain and HTML (or Text, escaped) as text/html.
func (n *Notifier) message(m notify.Message) *gomail.Msg {
	msg := gomail.NewMsg()
	msg.FromMailAddress(n.cfg.from)
	msg.ToMailAddress(n.cfg.to...)
	msg.Subject(n.cfg.subjectPrefix + oneLine(m.Title))
	date := m.Time
	if date.IsZero() {
		date = time.Now()
	}
	msg.SetDateWithValue(date)
	domain := idDomain(n.cfg.from.Address)
	if m.ID != "" {
		msg.SetMessageIDWithValue(MessageID(m.ID, domain))
	} else {
		msg.SetMessageID()
	}
	if m.GroupKey != "" {
		root := "<" + ThreadID(m.GroupKey, domain) + ">"
		msg.SetGenHeader(gomail.HeaderReferences, root)
		msg.SetGenHeader(gomail.HeaderInReplyTo, root)
		msg.SetGenHeader(HeaderIncident, oneLine(m.GroupKey))
	}
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	setLevel(msg, m)
	msg.SetBodyString(gomail.TypeTextPlain, plainBody(m))
	msg.AddAlternativeString(gomail.TypeTextHTML, htmlBody(m))
	return msg
}

// setLevel writes Kind and Severity headers and marks a critical page as
// important, which most mail clients show.
func setLevel(msg *gomail.Msg, m notify.Message) {
	if m.Kind != "" {
		msg.SetGenHeader(HeaderKind, oneLine(string(m.Kind)))
	}
	if m.Severity != "" {
		msg.SetGenHeader(HeaderSeverity, oneLine(string(m.Severity)))
	}
	if m.Severity == notify.SeverityCritical && (m.Kind == notify.KindProblem || m.Kind == notify.KindReminder) {
		msg.SetImportance(gomail.ImportanceHigh)
	}
}

// MessageID is the Message-ID (without angle brackets) of the message
// with notification id id: the same id gives the same Message-ID, so a
// re-sent notification is recognisable.
func MessageID(id, domain string) string { return "picket." + idPart(id) + "@" + domain }

// ThreadID is the id every message of incident groupKey refers to in
// References and In-Reply-To, so mail clients show them as one thread.
// It never collides with a MessageID: idPart escapes every dot.
func ThreadID(groupKey, domain string) string {
	return "picket.incident." + idPart(groupKey) + "@" + domain
}

// idPart makes s safe inside a Message-ID: letters, digits and -_/+ stay,
// every other byte becomes =XX, so distinct ids stay distinct.
func idPart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-_/+", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "=%02X", c)
		}
	}
	return b.String()
}

// idDomain is the right side of Picket's Message-IDs: the sender's domain
// when it is plain ASCII, else "picket.invalid".
func idDomain(addr string) string {
	d := addr[strings.LastIndexByte(addr, '@')+1:]
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return "picket.invalid"
		}
	}
	if d == "" {
		return "picket.invalid"
	}
	return d
}

// plainBody is Text, with the incident link added when Text lacks it.
func plainBody(m notify.Message) string {
	if m.URL != "" && !strings.Contains(m.Text, m.URL) {
		return strings.TrimRight(m.Text, "\n") + "\n\n" + m.URL
	}
	return m.Text
}

// htmlBody is m.HTML, or else Text escaped, one line per line, with the
// incident URL as a link.
func htmlBody(m notify.Message) string {
	if m.HTML != "" {
		return m.HTML
	}
	link := ""
	if m.URL != "" {
		u := html.EscapeString(m.URL)
		link = `<a href="` + u + `">` + u + `</a>`
	}
	lines := strings.Split(strings.TrimRight(m.Text, "\n"), "\n")
	for i, l := range lines {
		if link != "" && strings.TrimSpace(l) == m.URL {
			lines[i] = link
			continue
		}
		lines[i] = html.EscapeString(l)
	}
	out := "<p>" + strings.Join(lines, "<br>\n") + "</p>"
	if link != "" && !strings.Contains(m.Text, m.URL) {
		out += "\n<p>" + link + "</p>"
	}
	return out
}

// oneLine keeps a header value on one line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' }), " ")
}
