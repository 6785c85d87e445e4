package twilio

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"unicode/utf16"

	"github.com/picket-monitor/picket/internal/notify"
)

// maxSMS is the longest message body Twilio accepts, in characters
// (counted here in UTF-16 units, as a phone counts them).
const maxSMS = 1600

// Notifier sends text messages or calls to a list of numbers.
type Notifier struct {
	http     *notify.HTTP
	endpoint string      // Messages.json or Calls.json of the account
	auth     http.Header // basic authentication with the account's sid and token
	mode     string
	from     string
	to       []string
	voice    string
	language string

	reached *reached // numbers already reached, so a retry skips them
}

// New validates s and returns a notifier. A problem with a field is a
// *fielderr.Error naming it; several are joined.
func New(s Settings) (*Notifier, error) {
	base, token, err := s.validate()
	if err != nil {
		return nil, err
	}
	cred := base64.StdEncoding.EncodeToString([]byte(s.AccountSID + ":" + token.Reveal()))
	resource := "/Messages.json"
	if s.Mode == ModeCall {
		resource = "/Calls.json"
	}
	return &Notifier{
		http:     notify.NewHTTP(s.Timeout, false).Hiding(token.Reveal(), cred),
		endpoint: base + "/2010-04-01/Accounts/" + url.PathEscape(s.AccountSID) + resource,
		auth:     http.Header{"Authorization": {"Basic " + cred}}, mode: s.Mode, from: s.From,
		to: append([]string(nil), s.To...), voice: s.Voice, language: s.Language,
		reached: newReached(256),
	}, nil
}

// Notify sends m to every number, one request each, and succeeds when
// every number was reached: Twilio answered 2xx with the new message's or
// call's sid. A failure names the numbers that failed and why. Retry is
// true only when every failure is retryable (network errors, 429, 5xx): a
// rejected number (4xx) would fail again. Numbers reached by an earlier
// attempt of the same message (same m.ID, remembered in memory for the
// last 256 messages) are skipped, so a retry does not page them twice.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	form := url.Values{"From": {n.from}}
	if n.mode == ModeCall {
		form.Set("Twiml", twiml(m, n.voice, n.language))
	} else {
		form.Set("Body", smsBody(m))
	}
	var errs []error
	retry := true
	for _, to := range n.to {
		if n.reached.has(m.ID, to) {
			continue
		}
		r, err := n.send(ctx, to, form)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", to, err))
			retry = retry && r
			continue
		}
		n.reached.add(m.ID, to)
	}
	if len(errs) == 0 {
		return false, nil
	}
	return retry, fmt.Errorf("%s failed for %d of %d numbers: %w", n.mode, len(errs), len(n.to), errors.Join(errs...))
}

// send makes one request for one number.
func (n *Notifier) send(ctx context.Context, to string, form url.Values) (bool, error) {
	f := url.Values{"To": {to}}
	for k, v := range form {
		f[k] = v
	}
	reply, retry, err := n.http.PostForm(ctx, n.endpoint, n.auth, f)
	if err != nil {
		return retry, err
	}
	var r struct {
		SID string `json:"sid"`
	}
	if json.Unmarshal(reply, &r) != nil || r.SID == "" {
		// Not retried: the number may have been reached already.
		return false, n.http.Scrub(fmt.Errorf("reply without sid: %s", notify.Excerpt(reply)))
	}
	return false, nil
}

// smsBody is the title, then the text, cut to what one message may hold.
func smsBody(m notify.Message) string {
	b := m.Title
	if m.Text != "" {
		b += "\n" + m.Text
	} else if m.URL != "" {
		b += "\n" + m.URL
	}
	return clipUTF16(b, maxSMS)
}

// clipUTF16 shortens s to at most max UTF-16 units, marking a cut with "…".
func clipUTF16(s string, max int) string {
	if len(utf16.Encode([]rune(s))) <= max {
		return s
	}
	units := 0
	for i, r := range s {
		if units+utf16.RuneLen(r) > max-1 {
			return s[:i] + "…"
		}
		units += utf16.RuneLen(r)
	}
	return s
}

// reached remembers, for the last few message ids, which numbers a
// message reached. It lives in memory only: a restart or a failover to
// another node forgets it.
type reached struct {
	mu    sync.Mutex // protects the fields below
	ids   map[string]map[string]bool
	order []string // message ids, oldest first
	max   int
}

func newReached(max int) *reached {
	return &reached{ids: map[string]map[string]bool{}, max: max}
}

func (r *reached) has(id, number string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return id != "" && r.ids[id][number]
}

func (r *reached) add(id, number string) {
	if id == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids[id] == nil {
		if len(r.order) == r.max {
			delete(r.ids, r.order[0])
			r.order = r.order[1:]
		}
		r.ids[id] = map[string]bool{}
		r.order = append(r.order, id)
	}
	r.ids[id][number] = true
}
