package discord

import (
	"net/url"
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

// payload renders m as one embed: the title linked to the incident, the
// text, one field per check, the colour of the status and the time of the
// change.
func payload(m notify.Message) body {
	e := embed{
		Title:       truncate(m.Title, maxTitle),
		Description: truncate(m.Text, maxDescription),
		Color:       color(m),
		Fields:      fields(m.Checks),
	}
	if linkable(m.URL) {
		e.URL = m.URL
	}
	if !m.Time.IsZero() {
		e.Timestamp = m.Time.UTC().Format(time.RFC3339)
	}
	return body{Embeds: []embed{e}, AllowedMentions: mentions{Parse: []string{}}}
}

// fields is one field per check, "Billing API" over "down — connection
// refused"; past maxFields a last field counts the rest.
func fields(checks []notify.Check) []field {
	var out []field
	for i, c := range checks {
		if i == maxFields {
			out = append(out, field{Name: "…", Value: "and " + strconv.Itoa(len(checks)-maxFields) + " more"})
			break
		}
		name := c.Name
		if name == "" {
			name = c.ID
		}
		value := c.Status
		if c.Reason != "" {
			value += " — " + c.Reason
		}
		if value == "" {
			value = "-" // Discord refuses an empty value
		}
		out = append(out, field{Name: truncate(name, maxFieldName), Value: truncate(value, maxFieldValue)})
	}
	return out
}

// color is red, amber or green by the check's status, else by severity.
func color(m notify.Message) int {
	switch m.Status {
	case "down":
		return red
	case "degraded":
		return amber
	case "up":
		return green
	}
	switch m.Severity {
	case notify.SeverityCritical:
		return red
	case notify.SeverityWarning:
		return amber
	}
	return blue
}

// linkable reports whether u is an absolute web link an embed can carry.
func linkable(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// truncate cuts s to at most n characters, marking the cut with "…".
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
