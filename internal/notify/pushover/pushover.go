package pushover

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Pushover's limits, in characters.
const (
	maxTitle   = 250
	maxMessage = 1024
	maxURL     = 512
)

// Notifier sends messages to one Pushover user or group.
type Notifier struct {
	http          *notify.HTTP
	api           *url.URL // the message endpoint
	token, user   secret.Secret
	device, sound string
	prio          notify.Levels
	emergency     bool
	retry, expire int // seconds, for emergency alerts
	html          bool
	urlTitle      string
}

// New validates s and returns a notifier. Every problem is reported, as a
// *fielderr.Error naming the setting, joined with errors.Join.
func New(s Settings) (*Notifier, error) {
	api, apiErr := checkAPIURL(s.APIURL)
	token, tokErr := key("token", s.Token, s.TokenFile)
	user, userErr := key("user", s.User, s.UserFile)
	prio, prioErr := notify.ParseLevels("priorities", defaultPriorities(), s.Priorities, checkLevel)
	if err := errors.Join(apiErr, tokErr, userErr, prioErr, checkOptions(s)); err != nil {
		return nil, err
	}
	return &Notifier{
		http: notify.NewHTTP(s.Timeout, false).Hiding(token.Reveal(), user.Reveal()), api: api, token: token, user: user,
		device: s.Device, sound: s.Sound, prio: prio, emergency: s.Emergency,
		retry: int(s.EmergencyRetry.Seconds()), expire: int(s.EmergencyExpire.Seconds()),
		html: s.HTML, urlTitle: s.URLTitle,
	}, nil
}

// Notify sends m once. Success is a 2xx reply whose "status" is 1. With
// emergency on, an acknowledgement or a recovery first cancels the
// incident's emergency alert; if that fails, m is not sent and the
// cancel's error is returned, so a retry does both.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	if tag := tagOf(m.GroupKey); n.emergency && tag != "" && (m.Kind == notify.KindAck || m.Kind == notify.KindRecovery) {
		u := *n.api
		u.Path = path.Join(path.Dir(u.Path), "receipts", "cancel_by_tag", tag+".json")
		u.RawPath = ""
		if retry, err := n.post(ctx, u.String(), url.Values{"token": {n.token.Reveal()}}); err != nil {
			return retry, fmt.Errorf("cancelling the emergency alert: %w", err)
		}
	}
	if retry, err := n.post(ctx, n.api.String(), n.form(m)); err != nil {
		return retry, fmt.Errorf("sending to pushover: %w", err)
	}
	return false, nil
}

// post sends form and checks the reply: HTTP status, then "status": 1.
func (n *Notifier) post(ctx context.Context, u string, form url.Values) (retry bool, err error) {
	body, retry, err := n.http.PostForm(ctx, u, nil, form)
	if err != nil {
		return retry, err
	}
	var reply struct {
		Status int      `json:"status"`
		Errors []string `json:"errors"`
	}
	switch err := json.Unmarshal(body, &reply); {
	case err != nil:
		return false, n.http.Scrub(fmt.Errorf("reply is not JSON: %s", notify.Excerpt(body)))
	case reply.Status != 1 && len(reply.Errors) > 0:
		return false, n.http.Scrub(fmt.Errorf("rejected: %s", strings.Join(reply.Errors, "; ")))
	case reply.Status != 1:
		return false, n.http.Scrub(fmt.Errorf("reply without status 1: %s", notify.Excerpt(body)))
	}
	return false, nil
}

// form formats m: the title as Pushover's title, the text as the message
// (escaped in HTML mode), the incident link as the supplementary URL and
// the time of the change as the message's time.
func (n *Notifier) form(m notify.Message) url.Values {
	text := m.TextOrTitle()
	text = notify.Clip(text, maxMessage)
	f := url.Values{"token": {n.token.Reveal()}, "user": {n.user.Reveal()}, "message": {text}}
	if n.html {
		f.Set("message", clipEscaped(html.EscapeString(text), maxMessage))
		f.Set("html", "1")
	}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("title", notify.Clip(m.Title, maxTitle))
	set("device", n.device)
	set("sound", n.sound)
	if m.URL != "" && utf8.RuneCountInString(m.URL) <= maxURL {
		f.Set("url", m.URL)
		set("url_title", n.urlTitle)
	}
	if !m.Time.IsZero() {
		f.Set("timestamp", strconv.FormatInt(m.Time.Unix(), 10))
	}
	p := n.priority(m)
	f.Set("priority", strconv.Itoa(p))
	if p == 2 {
		f.Set("retry", strconv.Itoa(n.retry))
		f.Set("expire", strconv.Itoa(n.expire))
		set("tags", tagOf(m.GroupKey))
	}
	return f
}

// priority maps m's severity, one Picket does not know as warning; with
// emergency on, a critical problem or reminder is an emergency (2).
func (n *Notifier) priority(m notify.Message) int {
	if n.emergency && m.Severity == notify.SeverityCritical && (m.Kind == notify.KindProblem || m.Kind == notify.KindReminder) {
		return 2
	}
	return n.prio.Of(m.Severity)
}

// tagOf is the Pushover tag of an incident's emergency alerts, which a
// later cancel names; "" when there is no group key.
func tagOf(groupKey string) string {
	if groupKey == "" {
		return ""
	}
	safe := strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z') {
			return r
		}
		return '_'
	}, groupKey)
	return "picket-" + safe
}

// clipEscaped clips escaped HTML without cutting an entity in two: every
// '&' in it starts one.
func clipEscaped(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	cut := string([]rune(s)[:max-1])
	if i := strings.LastIndexByte(cut, '&'); i >= 0 && !strings.Contains(cut[i:], ";") {
		cut = cut[:i]
	}
	return cut + "…"
}
