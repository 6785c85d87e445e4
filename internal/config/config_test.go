package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/picket-monitor/picket/internal/dispatch"
	"github.com/picket-monitor/picket/internal/probe"
)

// ignoreBuilt leaves out what Load builds rather than decodes; tests check
// those separately.
var ignoreBuilt = cmp.Options{
	cmpopts.IgnoreFields(Check{}, "Settings", "Prober", "Fingerprint"),
	cmpopts.IgnoreFields(Channel{}, "Settings", "Notifier", "Fingerprint"),
	cmpopts.IgnoreFields(Config{}, "RuleSet"),
}

func TestLoadValid(t *testing.T) {
	abs, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	defaultServer := DefaultServer()
	defaultServer.DataDir = filepath.Join(abs, "data")
	tests := []struct {
		file string
		want *Config
	}{
		{"valid-empty.yaml", &Config{Server: defaultServer, Defaults: DefaultDefaults(), Alerting: dispatch.DefaultConfig(), Agents: DefaultAgents()}},
		{"valid-comments-only.yaml", &Config{Server: defaultServer, Defaults: DefaultDefaults(), Alerting: dispatch.DefaultConfig(), Agents: DefaultAgents()}},
		{"valid-no-checks.yaml", &Config{Server: withListen(defaultServer, "127.0.0.1:9090"), Defaults: DefaultDefaults(), Alerting: dispatch.DefaultConfig(), Agents: DefaultAgents()}},
		{"valid-minimal.yaml", &Config{Server: defaultServer, Defaults: DefaultDefaults(), Alerting: dispatch.DefaultConfig(), Agents: DefaultAgents(), Checks: []Check{withDefaultAlerting(Check{
			ID: "web", Name: "web", Type: "http", Target: "http://127.0.0.1:8080/",
			Interval: 30 * time.Second, Timeout: 24 * time.Second, Confirm: 2,
		})}}},
		{"valid-alerting.yaml", alertingConfig(defaultServer)},
		{"valid-full.yaml", fullConfig()},
		{"valid-anchors.yaml", &Config{Server: defaultServer, Defaults: DefaultDefaults(), Alerting: dispatch.DefaultConfig(), Agents: DefaultAgents(), Checks: []Check{
			webCheck("web-1", "http://127.0.0.1:8081/health", 15*time.Second),
			webCheck("web-2", "http://127.0.0.1:8082/health", 15*time.Second),
			webCheck("web-3", "http://127.0.0.1:8083/health", 30*time.Second),
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			file := filepath.Join("testdata", tt.file)
			got, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.want.File = file
			if diff := cmp.Diff(tt.want, got, ignoreBuilt, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Load(%s) mismatch (-want +got):\n%s", file, diff)
			}
			assertBuilt(t, got)
		})
	}
}

func withListen(s Server, addr string) Server {
	s.Listen = addr
	return s
}

func webCheck(id, target string, interval time.Duration) Check {
	return withDefaultAlerting(Check{
		ID: id, Name: id, Type: "http", Target: target,
		Interval: interval, Timeout: interval * 4 / 5, Confirm: 2,
		Labels: map[string]string{"team": "web"},
	})
}

// withDefaultAlerting sets the alerting fields of c as a file that sets
// none of them leaves them: DefaultDefaults, retrying at the interval.
func withDefaultAlerting(c Check) Check {
	def := DefaultDefaults()
	c.Recover, c.RetryInterval, c.Severity, c.Flapping = def.Recover, c.Interval, def.Severity, def.Flapping
	return c
}

// withDefaultAlertingDefaults sets the alerting fields of d to their
// defaults.
func withDefaultAlertingDefaults(d Defaults) Defaults {
	def := DefaultDefaults()
	d.Recover, d.RetryInterval, d.Severity, d.Flapping = def.Recover, def.RetryInterval, def.Severity, def.Flapping
	return d
}

func fullConfig() *Config {
	return &Config{
		Server: Server{
			Listen: "0.0.0.0:8080", NATSListen: "", DataDir: "/var/lib/picket",
			Retention: 720 * time.Hour, MaxConcurrency: 50,
		},
		Defaults: withDefaultAlertingDefaults(Defaults{Interval: time.Minute, Timeout: 4 * time.Second, Confirm: 3}),
		Alerting: dispatch.DefaultConfig(),
		Agents:   DefaultAgents(),
		Checks: []Check{withDefaultAlerting(Check{
			ID: "billing-api", Name: "Billing API", Type: "http", Target: "https://127.0.0.1:8443/health",
			Interval: 10 * time.Second, Timeout: 5 * time.Second, Confirm: 1,
			Labels:       map[string]string{"team": "payments", "env": "prod"},
			DependsOn:    []string{"edge-router"},
			DegradedWhen: DegradedWhen{LatencyOver: 300 * time.Millisecond},
		}), withDefaultAlerting(Check{
			ID: "edge-router", Name: "edge-router", Type: "tls", Target: "127.0.0.1:443",
			Interval: 5 * time.Second, Timeout: 4 * time.Second, Confirm: 3,
		}), withDefaultAlerting(Check{
			ID: "db", Name: "db", Type: "tcp", Target: "127.0.0.1:5432",
			Interval: time.Minute, Timeout: 4 * time.Second, Confirm: 3,
		})},
	}
}

// assertBuilt checks what Load builds for every check: settings of the
// check's type, a prober and a fingerprint.
func assertBuilt(t *testing.T, c *Config) {
	t.Helper()
	hex := regexp.MustCompile(`^[0-9a-f]{32}$`)
	for _, chk := range c.Checks {
		typ, _ := probe.Lookup(chk.Type)
		if got, want := typeName(chk.Settings), typeName(typ.New()); got != want {
			t.Errorf("check %s: settings are %s, want %s", chk.ID, got, want)
		}
		if chk.Prober == nil {
			t.Errorf("check %s: no prober", chk.ID)
		}
		if !hex.MatchString(chk.Fingerprint) {
			t.Errorf("check %s: fingerprint %q is not 32 hex digits", chk.ID, chk.Fingerprint)
		}
	}
}

func typeName(v any) string { return fmt.Sprintf("%T", v) }

// TestSettingsDecoded checks that type-specific keys reach the settings,
// over the defaults New gave them.
func TestSettingsDecoded(t *testing.T) {
	c, err := Load("testdata/valid-full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	chk, ok := c.Check("billing-api")
	if !ok {
		t.Fatal(`Check("billing-api") not found`)
	}
	typ, _ := probe.Lookup("http")
	want := typ.New().(*probe.HTTPSettings)
	want.Expect.Status = probe.StatusRanges{{Lo: 200, Hi: 200}, {Lo: 204, Hi: 204}}
	want.Expect.BodyContains = `"status":"UP"`
	if diff := cmp.Diff(want, chk.Settings); diff != "" {
		t.Errorf("settings mismatch (-want +got):\n%s", diff)
	}
}

func TestConfigCheck(t *testing.T) {
	c := fullConfig()
	tests := []struct {
		id     string
		wantOK bool
	}{
		{"db", true},
		{"edge-router", true},
		{"nope", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, ok := c.Check(tt.id)
			if ok != tt.wantOK {
				t.Fatalf("Check(%q) ok = %v, want %v", tt.id, ok, tt.wantOK)
			}
			if ok && (got.ID != tt.id || got != &c.Checks[checkIndex(c, tt.id)]) {
				t.Errorf("Check(%q) = %p (id %q), want the config's own check", tt.id, got, got.ID)
			}
		})
	}
}

func checkIndex(c *Config, id string) int {
	for i := range c.Checks {
		if c.Checks[i].ID == id {
			return i
		}
	}
	return -1
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "picket.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestParseDataDir(t *testing.T) {
	tests := []struct {
		name, file, yaml, want string
	}{
		{"default", "/etc/picket/picket.yaml", "", "/etc/picket/data"},
		{"relative", "/etc/picket/picket.yaml", "server: {data_dir: ../var/picket}", "/etc/var/picket"},
		{"absolute", "/etc/picket/picket.yaml", "server: {data_dir: /srv/picket}", "/srv/picket"},
		{"file in working directory", "picket.yaml", "server: {data_dir: state}", "state"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(tt.file, []byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if c.Server.DataDir != tt.want {
				t.Errorf("DataDir = %q, want %q", c.Server.DataDir, tt.want)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{"picket.yaml", 12, 5, "checks[2].interval", `invalid duration "5x" (want a Go duration like 30s)`},
			`picket.yaml:12:5: checks[2].interval: invalid duration "5x" (want a Go duration like 30s)`},
		{Problem{"picket.yaml", 3, 0, "", "invalid YAML: oops"}, "picket.yaml:3: invalid YAML: oops"},
		{Problem{"picket.yaml", 0, 0, "", "parser failed"}, "picket.yaml: parser failed"},
		{Problem{"", 0, 0, "server", "bad"}, "server: bad"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.p.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSettingsDoNotShadowCommonFields guards against a probe type with a
// setting named like a common check field, which could never be set.
func TestSettingsDoNotShadowCommonFields(t *testing.T) {
	common := make(map[string]bool)
	for _, f := range structFields(reflect.TypeFor[Check]()) {
		common[f.name] = true
	}
	for _, name := range probe.Names() {
		t.Run(name, func(t *testing.T) {
			typ, _ := probe.Lookup(name)
			for _, f := range structFields(reflect.TypeOf(typ.New()).Elem()) {
				if common[f.name] {
					t.Errorf("setting %q is also a common check field", f.name)
				}
			}
		})
	}
}
