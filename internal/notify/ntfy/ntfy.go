package ntfy

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
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
	prio   notify.Levels
	tags   []string
}

// New validates s and returns a notifier. Every problem is reported, as a
// *fielderr.Error naming the setting, joined with errors.Join. An empty
// server means DefaultServer.
func New(s Settings) (*Notifier, error) {
	base, urlErr := notify.CheckBaseURL("server", cmp.Or(s.Server, DefaultServer))
	auth, hide, authErr := authorization(s)
	prio, prioErr := notify.ParseLevels("priorities", defaultPriorities(), s.Priorities, notify.Between(1, 5))
	err := errors.Join(urlErr, checkTopic(s.Topic), authErr, prioErr, checkTags(s.Tags), notify.CheckTimeout(s.Timeout))
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if auth != "" {
		h.Set("Authorization", auth)
	}
	return &Notifier{
		http: notify.NewHTTP(s.Timeout, s.InsecureSkipVerify).Hiding(hide...),
		url:  base + "/", topic: s.Topic, header: h, prio: prio, tags: append([]string(nil), s.Tags...),
	}, nil
}

// authorization returns the Authorization header value: Bearer for a
// token, Basic for a username and password, "" for neither; and the
// secrets errors must not show: the resolved credential and the header's.
func authorization(s Settings) (string, []string, error) {
	token, terr := notify.PickSecret("token", s.Token, s.TokenFile)
	pass, perr := notify.PickSecret("password", s.Password, s.PasswordFile)
	if err := errors.Join(terr, perr); err != nil {
		return "", nil, err
	}
	switch {
	case token != "" && (s.Username != "" || pass != ""):
		return "", nil, fielderr.Errorf("token", "set token, or username and password, not both")
	case token != "":
		return "Bearer " + token.Reveal(), []string{token.Reveal()}, nil
	case s.Username != "" && pass == "":
		return "", nil, fielderr.Errorf("password", "is required with username")
	case s.Username == "" && pass != "":
		return "", nil, fielderr.Errorf("username", "is required with password")
	case s.Username != "":
		cred := base64.StdEncoding.EncodeToString([]byte(s.Username + ":" + pass.Reveal()))
		return "Basic " + cred, []string{pass.Reveal(), cred}, nil
	}
	return "", nil, nil
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
		return retry, fmt.Errorf("publishing to ntfy: %w", err)
	}
	var reply struct{ ID, Event string }
	if err := json.Unmarshal(body, &reply); err != nil || reply.ID == "" || reply.Event != "message" {
		return false, n.http.Scrub(fmt.Errorf("publishing to ntfy: unexpected reply: %s", notify.Excerpt(body)))
	}
	return false, nil
}

// message formats m: the title as ntfy's title, the text as plain text
// (Markdown off), the incident link as the click action and a button.
func (n *Notifier) message(m notify.Message) Message {
	text := m.TextOrTitle()
	out := Message{
		Topic: n.topic, Title: m.Title, Message: truncate(text, maxMessage),
		Priority: n.prio.Of(m.Severity), Tags: append([]string{emoji(m)}, n.tags...), Click: m.URL,
	}
	if m.URL != "" {
		out.Actions = []Action{{Action: "view", Label: "Open incident", URL: m.URL}}
	}
	return out
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
