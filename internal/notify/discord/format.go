package discord

import (
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
)

// Limits that keep an embed within Discord's (title 256, description
// 4096, 25 fields, 6000 characters in all).
const (
	maxTitle       = 256
	maxDescription = 3000
	maxFields      = 10
	maxFieldName   = 100
	maxFieldValue  = 200
)

// The embed colours, as Discord's 0xRRGGBB integers.
const (
	red   = 0xE74C3C
	amber = 0xF1C40F
	green = 0x2ECC71
	blue  = 0x3498DB
)

// body is an execute-webhook request.
type body struct {
	Username        string   `json:"username,omitempty"`
	Embeds          []embed  `json:"embeds"`
	AllowedMentions mentions `json:"allowed_mentions"`
}

// mentions with an empty parse list keeps an "@everyone" in a check's
// reason from pinging the server.
type mentions struct {
	Parse []string `json:"parse"`
}

type embed struct {
	Title       string  `json:"title,omitempty"`
	Description string  `json:"description,omitempty"`
	URL         string  `json:"url,omitempty"`
	Color       int     `json:"color"`
	Timestamp   string  `json:"timestamp,omitempty"`
	Fields      []field `json:"fields,omitempty"`
}

type field struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"`
}

// colors are the embed colours by tone.
var colors = [...]int{notify.ToneNeutral: blue, notify.ToneBad: red, notify.ToneWarning: amber, notify.ToneGood: green}

// payload renders m as one embed: the title linked to the incident, the
// text, one field per check, the colour of the status and the time of the
// change.
func payload(m notify.Message) body {
	e := embed{
		Title:       notify.Clip(m.Title, maxTitle),
		Description: notify.Clip(m.Text, maxDescription),
		Color:       colors[notify.ToneOf(m)],
		Fields:      notify.ListChecks(m.Checks, maxFields, checkField, moreField),
	}
	if notify.IsWebLink(m.URL) {
		e.URL = m.URL
	}
	if !m.Time.IsZero() {
		e.Timestamp = m.Time.UTC().Format(time.RFC3339)
	}
	return body{Embeds: []embed{e}, AllowedMentions: mentions{Parse: []string{}}}
}

// checkField is "Billing API" over "down — connection refused".
func checkField(c notify.Check) field {
	value := c.State()
	if value == "" {
		value = "-" // Discord refuses an empty value
	}
	return field{Name: notify.Clip(c.Label(), maxFieldName), Value: notify.Clip(value, maxFieldValue)}
}

// moreField counts the checks past maxFields.
func moreField(n int) field {
	return field{Name: "…", Value: "and " + strconv.Itoa(n) + " more"}
}
