// Package matrix sends notifications to one Matrix room through a
// homeserver's client-server API, as the user whose access token it holds.
// A retried send reuses its transaction id, so the homeserver stores the
// message once however often the pipeline retries it.
package matrix

import (
	"errors"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/secret"
)

// The message types a channel may send.
const (
	MsgTypeText   = "m.text"   // the default: clients notify members as for any message
	MsgTypeNotice = "m.notice" // a bot notice: the default push rules do not notify for it
)

// Settings are the fields of a matrix channel.
type Settings struct {
	// Homeserver is the base URL of the client-server API, e.g.
	// https://matrix.example.org (required).
	Homeserver string `yaml:"homeserver"`
	// AccessToken (or AccessTokenFile) authenticates the sending user.
	AccessToken     secret.Secret `yaml:"access_token"`
	AccessTokenFile string        `yaml:"access_token_file"`
	// RoomID is the room's id, "!opaque:server" (required). Aliases
	// ("#ops:server") are rejected rather than resolved at every send.
	RoomID string `yaml:"room_id"`
	// MsgType is m.text (default) or m.notice.
	MsgType            string        `yaml:"msgtype"`
	Timeout            time.Duration `yaml:"timeout"` // default notify.DefaultTimeout
	InsecureSkipVerify bool          `yaml:"insecure_skip_verify"`
}

// NewSettings returns settings with their defaults: msgtype m.text and
// timeout notify.DefaultTimeout.
func NewSettings() *Settings {
	return &Settings{MsgType: MsgTypeText, Timeout: notify.DefaultTimeout}
}

// Notifier validates the settings and returns a ready notifier.
func (s *Settings) Notifier() (notify.Notifier, error) { return notify.NotifierOf(New(*s)) }

// validate checks every field and returns the homeserver URL without a
// trailing slash and the resolved access token. Problems are joined
// *fielderr.Error values.
func (s Settings) validate() (base string, token secret.Secret, err error) {
	var errs []error
	base, err = notify.CheckBaseURL("homeserver", s.Homeserver)
	errs = append(errs, err)
	token, err = notify.RequireSecret("access_token", s.AccessToken, s.AccessTokenFile)
	errs = append(errs, err, checkRoom(s.RoomID))
	if s.MsgType != MsgTypeText && s.MsgType != MsgTypeNotice {
		errs = append(errs, fielderr.Errorf("msgtype", "%q: want %s or %s", s.MsgType, MsgTypeText, MsgTypeNotice))
	}
	errs = append(errs, notify.CheckTimeout(s.Timeout))
	return base, token, errors.Join(errs...)
}

// checkRoom accepts a room id. Room versions before 12 write it
// "!opaque:server", version 12 drops the server part, so only the sigil
// is required.
func checkRoom(id string) error {
	switch {
	case id == "":
		return fielderr.Errorf("room_id", "is required")
	case strings.HasPrefix(id, "#"):
		return fielderr.Errorf("room_id", "%q is a room alias; give the room id (it starts with !, see the room's advanced settings)", id)
	case !strings.HasPrefix(id, "!") || len(id) < 2 || strings.ContainsAny(id, " \t\r\n/"):
		return fielderr.Errorf("room_id", "%q: want a room id like !abc123:example.org", id)
	}
	return nil
}
