// Package channel is the one list of notification channel types; config
// validation is derived from it. Adding a channel means adding its package
// under internal/notify and one line here.
package channel

import (
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/discord"
	"github.com/picket-monitor/picket/internal/notify/email"
	"github.com/picket-monitor/picket/internal/notify/gotify"
	"github.com/picket-monitor/picket/internal/notify/matrix"
	"github.com/picket-monitor/picket/internal/notify/ntfy"
	"github.com/picket-monitor/picket/internal/notify/opsgenie"
	"github.com/picket-monitor/picket/internal/notify/pagerduty"
	"github.com/picket-monitor/picket/internal/notify/pushover"
	"github.com/picket-monitor/picket/internal/notify/slack"
	"github.com/picket-monitor/picket/internal/notify/teams"
	"github.com/picket-monitor/picket/internal/notify/telegram"
	"github.com/picket-monitor/picket/internal/notify/twilio"
	"github.com/picket-monitor/picket/internal/notify/webhook"
	"github.com/picket-monitor/picket/internal/registry"
)

// Type describes one kind of channel: its name in config and how to make
// fresh settings for it.
type Type struct {
	Name    string
	Summary string
	New     func() notify.Settings
}

var types = registry.New("channel type", func(t Type) string { return t.Name },
	Type{Name: "discord", Summary: "a Discord webhook, as an embed", New: func() notify.Settings { return discord.NewSettings() }},
	Type{Name: "email", Summary: "email over SMTP (STARTTLS or TLS), plain text and HTML", New: func() notify.Settings { return email.NewSettings() }},
	Type{Name: "gotify", Summary: "a Gotify server's application messages", New: func() notify.Settings { return gotify.NewSettings() }},
	Type{Name: "ntfy", Summary: "an ntfy topic, on ntfy.sh or your own server", New: func() notify.Settings { return ntfy.NewSettings() }},
	Type{Name: "matrix", Summary: "a Matrix room, through the client-server API", New: func() notify.Settings { return matrix.NewSettings() }},
	Type{Name: "opsgenie", Summary: "Opsgenie alerts: create, acknowledge, close by alias", New: func() notify.Settings { return opsgenie.NewSettings() }},
	Type{Name: "pagerduty", Summary: "PagerDuty Events API v2: trigger, acknowledge, resolve", New: func() notify.Settings { return pagerduty.NewSettings() }},
	Type{Name: "pushover", Summary: "Pushover, with emergency priority that repeats until acknowledged", New: func() notify.Settings { return pushover.NewSettings() }},
	Type{Name: "slack", Summary: "Slack, by incoming webhook or bot token (chat.postMessage)", New: func() notify.Settings { return slack.NewSettings() }},
	Type{Name: "teams", Summary: "Microsoft Teams, by Workflows webhook (Adaptive Card)", New: func() notify.Settings { return teams.NewSettings() }},
	Type{Name: "telegram", Summary: "a Telegram chat, topic or channel, through the Bot API", New: func() notify.Settings { return telegram.NewSettings() }},
	Type{Name: "twilio", Summary: "SMS or a voice call through a Twilio-compatible API", New: func() notify.Settings { return twilio.NewSettings() }},
	Type{Name: "webhook", Summary: "an HTTP request with a JSON or templated body", New: func() notify.Settings { return webhook.NewSettings() }},
)

// Lookup returns the type with the given name.
func Lookup(name string) (Type, bool) { return types.Lookup(name) }

// Names returns the registered type names, sorted.
func Names() []string { return types.Names() }
