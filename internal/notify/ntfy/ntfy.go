package ntfy

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// maxMessage is the largest message ntfy keeps as text; a longer one
// becomes an attachment, which a server may not allow.
const maxMessage = 4096

// Notifier publishes messages to one ntfy topic.
type Notifier struct {
	http   *notify.HTTP
	url    string // the server's root URL
	topic  string
	header http.Header
	prio   map[notify.Severity]int
	tags   []string
	// secrets are scrubbed from error texts, in case a server or a proxy
	// in front of it echoes the request.
	secrets []string
}

// New validates s and returns a notifier. Every problem is reported, as a
// *notify.FieldError naming the setting, joined with errors.Join.
func New(s Settings) (*Notifier, error) {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	root, err := rootURL(s.Server)
	add(err)
	add(checkTopic(s.Topic))
	auth, err := authorization(s)
	add(err)
	prio, err := levels(s.Priorities)
	add(err)
	add(checkTags(s.Tags))
	add(checkTimeout(s.Timeout))
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	h := http.Header{"User-Agent": {"picket"}}
	var secrets []string
	if auth != "" {
		h.Set("Authorization", auth)
		_, cred, _ := strings.Cut(auth, " ")
		secrets = []string{auth, cred, s.Token.Reveal(), s.Password.Reveal()}
	}
	return &Notifier{
		http: notify.NewHTTP(s.Timeout, s.InsecureSkipVerify), url: root, topic: s.Topic,
		header: h, prio: prio, tags: append([]string(nil), s.Tags...), secrets: secrets,
	}, nil
}

// authorization returns the Authorization header value: Bearer for a
// token, Basic for a username and password, "" for neither.
func authorization(s Settings) (string, error) {
	token, terr := pick("token", s.Token, s.TokenFile)
	pass, perr := pick("password", s.Password, s.PasswordFile)
	if err := errors.Join(terr, perr); err != nil {
		return "", err
	}
	switch {
	case token != "" && (s.Username != "" || pass != ""):
		return "", notify.Fieldf("token", "set token, or username and password, not both")
	case token != "":
		return "Bearer " + token.Reveal(), nil
	case s.Username != "" && pass == "":
		return "", notify.Fieldf("password", "is required with username")
	case s.Username == "" && pass != "":
		return "", notify.Fieldf("username", "is required with password")
	case s.Username != "":
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(s.Username+":"+pass.Reveal())), nil
	}
	return "", nil
}

// Message is the JSON body ntfy takes at its root URL.
type Message struct {
	Topic    string   `json:"topic"`
	Title    string   `json:"title,omitempty"`
	Message  string   `json:"message"`
	Priority int      `json:"priority"`
	Tags     []string `json:"tags,omitempty"`
	Click    string   `json:"click,omitempty"`
	Actions  []Action `json:"actions,omitempty"`
}

// Action is an ntfy action button.
type Action struct {
	Action string `json:"action"`
	Label  string `json:"label"`
	URL    string `json:"url"`
}

// Notify publishes m once. Success is a 2xx reply that is the published
// message: JSON with an "id" and the event "message".
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	body, retry, err := n.http.PostJSON(ctx, n.url, n.header, n.message(m))
	if err != nil {
		return retry, scrub(fmt.Errorf("publishing to ntfy: %w", err), n.secrets)
	}
	var reply struct{ ID, Event string }
	if err := json.Unmarshal(body, &reply); err != nil || reply.ID == "" || reply.Event != "message" {
		return false, scrub(fmt.Errorf("publishing to ntfy: unexpected reply: %s", notify.Excerpt(body)), n.secrets)
	}
	return false, nil
}

// message formats m: the title as ntfy's title, the text as plain text
// (Markdown off), the incident link as the click action and a button.
func (n *Notifier) message(m notify.Message) Message {
	text := m.Text
	if text == "" {
		text = m.Title
	}
	out := Message{
		Topic: n.topic, Title: m.Title, Message: truncate(text, maxMessage),
		Priority: n.priority(m.Severity), Tags: append([]string{emoji(m)}, n.tags...), Click: m.URL,
	}
	if m.URL != "" {
		out.Actions = []Action{{Action: "view", Label: "Open incident", URL: m.URL}}
	}
	return out
}

// priority maps a severity; one Picket does not know gets warning's.
func (n *Notifier) priority(s notify.Severity) int {
	if p, ok := n.prio[s]; ok {
		return p
	}
	return n.prio[notify.SeverityWarning]
}

// emoji returns the tag that ntfy shows as the message's emoji.
func emoji(m notify.Message) string {
	switch m.Kind {
	case notify.KindRecovery:
		return "white_check_mark"
	case notify.KindAck:
		return "eyes"
	case notify.KindFlapping:
		return "repeat"
	case notify.KindStable:
		return "heavy_check_mark"
	case notify.KindTest:
		return "test_tube"
	}
	switch m.Severity {
	case notify.SeverityWarning:
		return "warning"
	case notify.SeverityInfo:
		return "information_source"
	}
	return "rotating_light"
}

// truncate cuts s to at most max bytes on a rune boundary, marking the cut.
func truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const mark = "…"
	cut := max - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}

// scrub replaces every secret (of 4 bytes or more) in err's text by
// secret.Redacted; an error without one is returned as it is.
func scrub(err error, secrets []string) error {
	text := err.Error()
	for _, s := range secrets {
		if len(s) >= 4 {
			text = strings.ReplaceAll(text, s, secret.Redacted)
		}
	}
	if text == err.Error() {
		return err
	}
	return errors.New(text)
}
