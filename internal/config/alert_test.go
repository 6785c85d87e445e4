package config

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/dispatch"
	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/notify/telegram"
	"github.com/picket-monitor/picket/internal/notify/webhook"
)

// alertingConfig is what testdata/valid-alerting.yaml decodes to.
func alertingConfig(server Server) *Config {
	defs := Defaults{
		Interval: 30 * time.Second, Confirm: 3, Recover: 2, RetryInterval: 10 * time.Second,
		Severity: Severity{Down: notify.SeverityCritical, Degraded: notify.SeverityInfo},
		Flapping: Flapping{Window: 11, High: 40, Low: 25},
	}
	check := func(id, typ, target string, interval time.Duration) Check {
		return Check{
			ID: id, Name: id, Type: typ, Target: target, Interval: interval, Timeout: interval * 4 / 5,
			Confirm: defs.Confirm, Recover: defs.Recover, RetryInterval: min(defs.RetryInterval, interval),
			Severity: defs.Severity, Flapping: defs.Flapping,
		}
	}
	billing := check("billing-api", "http", "http://127.0.0.1:8443/health", 10*time.Second)
	billing.Confirm, billing.Recover, billing.RetryInterval = 2, 3, 2*time.Second
	billing.Severity.Degraded = notify.SeverityWarning
	billing.Notify, billing.Policy = []string{"ops-telegram", "hook"}, "payments"
	billing.Flapping.High = 50
	cache := check("cache", "tcp", "127.0.0.1:6379", 30*time.Second)
	cache.Policy = "quiet"
	alerting := dispatch.DefaultConfig()
	alerting.URL, alerting.GroupWindow, alerting.GroupBy = "https://picket.example.com", 30*time.Second, []string{"team"}
	alerting.Templates.Title = "{{.Status | upper}}: {{.Name}}"
	alerting.Routes = []dispatch.Route{
		{Match: dispatch.Match{Labels: map[string]string{"team": "payments"}}, Channels: []string{"ops-telegram"}, Policy: "payments", Continue: true},
		{Match: dispatch.Match{Checks: []string{"db", "cache"}}, Channels: []string{"hook"}},
	}
	alerting.DefaultRoute = &dispatch.Route{Channels: []string{"hook"}, Policy: "standard"}
	return &Config{
		Server: server, Defaults: defs, Alerting: alerting, Agents: DefaultAgents(),
		Channels: []Channel{{ID: "ops-telegram", Type: "telegram"}, {ID: "hook", Type: "webhook"}},
		Policies: []Policy{
			{ID: "payments", Reminders: []time.Duration{5 * time.Minute, 15 * time.Minute, time.Hour, 4 * time.Hour}},
			{ID: "quiet", Reminders: []time.Duration{}},
			{ID: "standard", Reminders: []time.Duration{10 * time.Minute, 30 * time.Minute, time.Hour}},
		},
		Checks: []Check{billing, check("db", "tcp", "127.0.0.1:5432", 5*time.Second), cache},
		Maintenance: []mute.Window{
			{ID: "sunday-patching", Cron: "0 2 * * SUN", Duration: 2 * time.Hour, Timezone: "Europe/Berlin",
				Match: mute.Match{Labels: map[string]string{"env": "prod"}}},
			{ID: "db-upgrade", Name: "Database upgrade", Start: "2026-03-01 22:00", End: "2026-03-02 01:00",
				Timezone: "America/New_York", Match: mute.Match{Checks: []string{"db"}}},
			{ID: "weekly-backup", Weekly: &mute.Weekly{Days: []string{"mon", "thu"}, At: "03:30"}, Duration: 30 * time.Minute},
		},
	}
}

// TestLoadAlerting checks what TestLoadValid cannot: what is built for
// channels and windows, and that an explicitly empty reminder list stays
// apart from a missing one.
func TestLoadAlerting(t *testing.T) {
	c, err := Load("testdata/valid-alerting.yaml")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if p, ok := c.Policy("quiet"); !ok || p.Reminders == nil || len(p.Reminders) != 0 {
		t.Errorf("policy quiet: reminders = %#v, want empty and not nil", p.Reminders)
	}
	tg, ok := c.Channel("ops-telegram")
	if !ok {
		t.Fatal(`Channel("ops-telegram") not found`)
	}
	abs, err := filepath.Abs("testdata/telegram.token")
	if err != nil {
		t.Fatal(err)
	}
	if got := tg.Settings.(*telegram.Settings).BotTokenFile; got != abs {
		t.Errorf("bot_token_file = %q, want it resolved to %q", got, abs)
	}
	hook, _ := c.Channel("hook")
	if got := hook.Settings.(*webhook.Settings).Headers["Authorization"].Reveal(); got != "Bearer s3cr3t" {
		t.Errorf("webhook header Authorization = %q, want the value written", got)
	}
	for _, ch := range c.Channels {
		if ch.Notifier == nil || len(ch.Fingerprint) != 32 {
			t.Errorf("channel %s: notifier %v, fingerprint %q; want both built", ch.ID, ch.Notifier, ch.Fingerprint)
		}
	}
	if _, ok := c.Channel("nope"); ok {
		t.Error(`Channel("nope") found`)
	}
	at := time.Date(2026, 3, 1, 22, 30, 0, 0, time.FixedZone("EST", -5*3600))
	if _, _, ok := c.Maintenance[1].ActiveAt(at); !ok {
		t.Errorf("window db-upgrade is not active at %s; was it validated?", at)
	}
}
