package matrix

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one Matrix room.
type Notifier struct {
	http    *notify.HTTP
	base    string // homeserver URL without a trailing slash
	room    string
	token   secret.Secret
	msgtype string
}

// New validates s and returns a notifier. A problem with a field is a
// *fielderr.Error naming it; several are joined.
func New(s Settings) (*Notifier, error) {
	base, token, err := s.validate()
	if err != nil {
		return nil, err
	}
	return &Notifier{
		http:    notify.NewHTTP(s.Timeout, s.InsecureSkipVerify).Hiding(token.Reveal()),
		base:    base,
		room:    s.RoomID,
		token:   token,
		msgtype: s.MsgType,
	}, nil
}

// content is the m.room.message event content.
type content struct {
	MsgType       string `json:"msgtype"`
	Body          string `json:"body"`
	Format        string `json:"format"`
	FormattedBody string `json:"formatted_body"`
}

// Notify sends m as one room message. It is accepted when the homeserver
// answers 2xx with an event_id. The transaction id derives from m.ID, so a
// retry after a lost reply does not post the message twice. Retry is
// true for network errors, 429, 5xx and M_LIMIT_EXCEEDED; false for
// M_FORBIDDEN, M_UNKNOWN_TOKEN and other 4xx.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	b, err := json.Marshal(render(m, n.msgtype))
	if err != nil {
		return false, fmt.Errorf("encoding the message: %w", err)
	}
	u := n.base + "/_matrix/client/v3/rooms/" + url.PathEscape(n.room) + "/send/m.room.message/" + txnID(m.ID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, u, bytes.NewReader(b))
	if err != nil {
		return false, errors.New("building the request: invalid homeserver URL")
	}
	req.Header.Set("Authorization", "Bearer "+n.token.Reveal())
	req.Header.Set("Content-Type", "application/json")
	reply, retry, err := n.http.Do(ctx, req)
	if err != nil {
		return retryable(reply, retry), fmt.Errorf("sending to the room: %w", err)
	}
	var ok struct {
		EventID string `json:"event_id"`
	}
	if json.Unmarshal(reply, &ok) != nil || ok.EventID == "" {
		// Resending is safe: the homeserver deduplicates by transaction id.
		return true, n.http.Scrub(fmt.Errorf("sending to the room: reply without event_id: %s", notify.Excerpt(reply)))
	}
	return false, nil
}

// retryable judges a failed send by the Matrix error code in the reply,
// falling back to the HTTP judgement when there is none.
func retryable(reply []byte, byStatus bool) bool {
	var e struct {
		ErrCode string `json:"errcode"`
	}
	_ = json.Unmarshal(reply, &e)
	switch e.ErrCode {
	case "M_LIMIT_EXCEEDED":
		return true
	case "M_FORBIDDEN", "M_UNKNOWN_TOKEN", "M_MISSING_TOKEN":
		return false
	}
	return byStatus
}

// txnID derives the transaction id from the message id: the same on every
// retry of one notification, different between notifications. A message
// without an id gets a random one.
func txnID(id string) string {
	if id == "" {
		return "picket-" + rand.Text()
	}
	sum := sha256.Sum256([]byte(id))
	return "picket-" + hex.EncodeToString(sum[:16])
}

// render formats m: the title as a coloured bold headline, then the body
// (the pipeline's HTML when it has some, else the escaped text), then a
// link to the incident unless the body already carries it.
func render(m notify.Message, msgtype string) content {
	plain := m.Title
	if m.Text != "" {
		plain += "\n\n" + m.Text
	}
	if m.URL != "" && !strings.Contains(m.Text, m.URL) {
		plain += "\n" + m.URL
	}
	var h strings.Builder
	fmt.Fprintf(&h, `<p><strong><font color="%s">%s</font></strong></p>`, colour(m), html.EscapeString(m.Title))
	body := m.HTML
	if body == "" && m.Text != "" {
		body = "<p>" + strings.ReplaceAll(html.EscapeString(m.Text), "\n", "<br>") + "</p>"
	}
	h.WriteString(body)
	if m.URL != "" && !strings.Contains(body, html.EscapeString(m.URL)) {
		fmt.Fprintf(&h, `<p><a href="%s">Open in Picket</a></p>`, html.EscapeString(m.URL))
	}
	return content{MsgType: msgtype, Body: plain, Format: "org.matrix.custom.html", FormattedBody: h.String()}
}

// colour is the headline's colour: green for an end, blue for an
// acknowledgement, else by severity.
func colour(m notify.Message) string {
	switch {
	case m.Kind == notify.KindRecovery || m.Kind == notify.KindStable:
		return "#2e7d32"
	case m.Kind == notify.KindAck || m.Severity == notify.SeverityInfo:
		return "#1565c0"
	case m.Severity == notify.SeverityWarning:
		return "#ef6c00"
	default:
		return "#c62828"
	}
}
