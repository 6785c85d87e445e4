// Package telegram sends notifications to a Telegram chat, group, topic or
// channel through the Bot API's sendMessage method, formatted as HTML, and
// judges each send by the Bot API's own "ok" field.
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// Notifier sends messages to one Telegram chat.
type Notifier struct {
	http     *notify.HTTP
	apiURL   string
	token    secret.Secret // in the request path; never in an error
	chatID   string
	threadID int64
	silent   map[notify.Kind]bool
}

// New validates s and returns a notifier. Problems are *fielderr.Error
// values naming the setting, joined.
func New(s Settings) (*Notifier, error) {
	tok, err := s.validate()
	if err != nil {
		return nil, err
	}
	n := &Notifier{
		http:     notify.NewHTTP(s.Timeout, false).Hiding(tokenKey(tok)),
		apiURL:   strings.TrimRight(s.APIURL, "/"),
		token:    tok,
		chatID:   s.ChatID,
		threadID: s.MessageThreadID,
		silent:   make(map[notify.Kind]bool, len(s.SilentKinds)),
	}
	for _, k := range s.SilentKinds {
		n.silent[k] = true
	}
	return n, nil
}

// Notify sends m once; see notify.Notifier.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	_, retry, err = n.Send(ctx, m)
	return retry, err
}

// Send sends m once, like Notify, and also returns the message_id that
// Telegram gave the new message, so that replies to it can be matched to
// the incident.
func (n *Notifier) Send(ctx context.Context, m notify.Message) (messageID int64, retry bool, err error) {
	u := n.apiURL + "/bot" + n.token.Reveal() + "/sendMessage"
	body, retry, err := n.http.PostJSON(ctx, u, nil, n.request(m))
	if body == nil {
		if err == nil {
			err = errors.New("empty reply")
		}
		return 0, retry, n.http.Scrub(fmt.Errorf("telegram sendMessage: %w", err))
	}
	messageID, retry, err = judge(body, retry, err)
	if err != nil {
		return 0, retry, n.http.Scrub(fmt.Errorf("telegram sendMessage: %w", err))
	}
	return messageID, false, nil
}

// tokenKey is the secret part of a bot token, after the colon; the bot id
// before it is public. Errors never hold it, in case a server quotes the
// request path back (a proxy's "Cannot POST /bot123:…/sendMessage").
func tokenKey(tok secret.Secret) string {
	_, key, _ := strings.Cut(tok.Reveal(), ":")
	return key
}

// sendMessage is the body of a sendMessage request.
type sendMessage struct {
	ChatID              string       `json:"chat_id"`
	MessageThreadID     int64        `json:"message_thread_id,omitempty"`
	Text                string       `json:"text"`
	ParseMode           string       `json:"parse_mode"`
	LinkPreviewOptions  *linkPreview `json:"link_preview_options,omitempty"`
	DisableNotification bool         `json:"disable_notification,omitempty"`
}

// linkPreview turns off the preview card Telegram would otherwise draw for
// the incident link, which only repeats the message.
type linkPreview struct {
	IsDisabled bool `json:"is_disabled"`
}

func (n *Notifier) request(m notify.Message) sendMessage {
	return sendMessage{
		ChatID:              n.chatID,
		MessageThreadID:     n.threadID,
		Text:                format(m),
		ParseMode:           "HTML",
		LinkPreviewOptions:  &linkPreview{IsDisabled: true},
		DisableNotification: n.silent[m.Kind],
	}
}

// reply is the Bot API's answer to every method.
type reply struct {
	OK          bool   `json:"ok"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter      int   `json:"retry_after"`
		MigrateToChatID int64 `json:"migrate_to_chat_id"`
	} `json:"parameters"`
	Result struct {
		MessageID int64 `json:"message_id"`
	} `json:"result"`
}

// judge reads the Bot API's reply. A reply with "ok": false is a failure
// whatever the HTTP status; it is worth retrying for flood control (429)
// and server errors (5xx) only. httpRetry and httpErr are what the HTTP
// exchange said, used when the body is not a Bot API reply.
func judge(body []byte, httpRetry bool, httpErr error) (int64, bool, error) {
	var r reply
	if err := json.Unmarshal(body, &r); err != nil || (!r.OK && r.ErrorCode == 0) {
		if httpErr != nil {
			return 0, httpRetry, httpErr
		}
		return 0, false, fmt.Errorf("not a Bot API reply: %s", notify.Excerpt(body))
	}
	if r.OK {
		if httpErr != nil {
			return 0, httpRetry, httpErr
		}
		return r.Result.MessageID, false, nil
	}
	retry := r.ErrorCode == 429 || r.ErrorCode >= 500
	msg := fmt.Sprintf("error %d: %s", r.ErrorCode, r.Description)
	if r.Parameters.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %ds)", r.Parameters.RetryAfter)
	}
	if r.Parameters.MigrateToChatID != 0 {
		msg += fmt.Sprintf(" (the group is now chat_id %d)", r.Parameters.MigrateToChatID)
	}
	return 0, retry, errors.New(msg)
}
