// Package config owns Picket's one YAML file: its schema and defaults, a
// strict decoder that places every problem at the file, line and column
// that causes it, and the validation that makes a bad config fail when it
// is loaded rather than when a check first runs. An empty file, or one
// with no checks, is a valid config: a server with nothing to check yet.
package config

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/dispatch"
	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/rule/promrule"
	"gopkg.in/yaml.v3"
)

// Config is one loaded, validated config file.
type Config struct {
	// File is the path the config was read from, as given to Load or Parse.
	File     string
	Server   Server
	Defaults Defaults
	Checks   []Check
	// Channels are where notifications go, each built at load.
	Channels []Channel
	// Policies say what happens while an incident is open: reminders.
	Policies []Policy
	// Maintenance windows mute the checks they match; each is validated
	// (compiled) at load.
	Maintenance []mute.Window
	// Alerting is how notifications are routed, grouped and worded: the
	// top-level sections routes and default_route, and alerting for the
	// rest. Unset fields keep dispatch.DefaultConfig.
	Alerting dispatch.Config
	// Rules are PromQL alerting and recording rules and presets, as
	// written; RuleSet is them checked and expanded, ready to run.
	// Agents are the host agents allowed to connect; each also has a host
	// check in Checks.
	Agents  Agents
	Rules   promrule.Config
	RuleSet *promrule.Set
}

// Server is how the server itself runs. The zero Server is not useful;
// DefaultServer returns the defaults.
type Server struct {
	// Listen is the address of the HTTP API and UI.
	Listen string `yaml:"listen"`
	// NATSListen is the address of the embedded NATS server that agents
	// connect to; empty means it does not listen.
	NATSListen string `yaml:"nats_listen"`
	// NATSTLS, when set, makes that listener accept TLS clients only.
	NATSTLS NATSTLS `yaml:"nats_tls"`
	// DataDir holds the TSDB and NATS state. After Load or Parse it is
	// resolved against the config file's directory.
	DataDir string `yaml:"data_dir"`
	// Retention is how long the TSDB keeps samples.
	Retention time.Duration `yaml:"retention"`
	// MaxConcurrency bounds the checks running at once.
	MaxConcurrency int `yaml:"max_concurrency"`
}

// DefaultServer returns the server settings of a file that sets none.
func DefaultServer() Server {
	return Server{
		Listen:         "127.0.0.1:7070",
		NATSListen:     "127.0.0.1:7071",
		DataDir:        "./data",
		Retention:      15 * 24 * time.Hour,
		MaxConcurrency: 1000,
	}
}

// Defaults are inherited by every check that does not set its own.
type Defaults struct {
	Interval time.Duration `yaml:"interval"`
	// Timeout zero means 80% of each check's interval.
	Timeout time.Duration `yaml:"timeout"`
	// Confirm is how many consecutive failures make a check hard down.
	Confirm int `yaml:"confirm"`
	// Recover is how many consecutive successes make a check hard up.
	Recover int `yaml:"recover"`
	// RetryInterval zero means each check's own interval; a check with a
	// shorter interval than this retries at its interval.
	RetryInterval time.Duration `yaml:"retry_interval"`
	Severity      Severity      `yaml:"severity"`
	Flapping      Flapping      `yaml:"flapping"`
}

// DefaultDefaults returns the defaults of a file that sets none: every 30s,
// a timeout of 80% of the interval, two failures to confirm and one
// success to recover, retries at the interval, critical when down and
// warning when degraded, and flapping from 30% of changes over the last
// 21 results until under 20%.
func DefaultDefaults() Defaults {
	return Defaults{
		Interval: 30 * time.Second, Confirm: 2, Recover: 1,
		Severity: Severity{Down: notify.SeverityCritical, Degraded: notify.SeverityWarning},
		Flapping: Flapping{Window: 21, High: 30, Low: 20},
	}
}

// Check returns the check with the given id.
func (c *Config) Check(id string) (*Check, bool) {
	return byID(c.Checks, id, func(ch *Check) string { return ch.ID })
}

// Load reads and parses the config file at path. Relative paths in it
// (server.data_dir, every *_file setting) are resolved against the
// absolute directory of path. A file that cannot be read gives a wrapped
// I/O error (errors.Is(err, fs.ErrNotExist) works); a file that can be
// read but is wrong gives Problems.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return parse(path, filepath.Dir(abs), data)
}

// Parse parses data as the content of the config file named file, which is
// used in problems and to resolve relative paths: server.data_dir and
// every *_file setting are taken relative to the directory of file. A name
// without a directory, such as "picket check", leaves them relative to
// the working directory. It returns a valid config, or nil and Problems
// listing everything wrong.
func Parse(file string, data []byte) (*Config, error) {
	return parse(file, filepath.Dir(file), data)
}

func parse(file, dir string, data []byte) (*Config, error) {
	d := &decoder{file: file, dir: dir}
	c := &Config{File: file, Server: DefaultServer(), Defaults: DefaultDefaults(), Alerting: dispatch.DefaultConfig(), Agents: DefaultAgents()}
	root := d.readDocument(data)
	if len(d.probs) == 0 || root != nil {
		d.document(root, c)
	}
	if len(d.probs) > 0 {
		return nil, d.probs.sorted()
	}
	if !filepath.IsAbs(c.Server.DataDir) {
		c.Server.DataDir = filepath.Join(dir, c.Server.DataDir)
	}
	return c, nil
}

// section is one top-level key of the file. Sections are decoded in the
// order of sections(), not of the file, so that a section (checks) can use
// the finished ones before it (defaults, channels, policies); alerting
// comes last, as it validates what routes and default_route refer to. decode gets a nil node for a
// section the file leaves out, and must still apply its defaults.
type section struct {
	name   string
	decode func(d *decoder, n *yaml.Node, c *Config)
}

// sections lists the top-level keys. Adding a section is one line here
// and its decode function.
func sections() []section {
	return []section{
		{"server", (*decoder).server},
		{"defaults", (*decoder).defaults},
		{"channels", (*decoder).channels},
		{"policies", (*decoder).policies},
		{"checks", (*decoder).checks},
		{"agents", (*decoder).agents},
		{"maintenance", (*decoder).maintenance},
		{"routes", (*decoder).routes},
		{"default_route", (*decoder).defaultRoute},
		{"alerting", (*decoder).alerting},
		{"rules", (*decoder).rules},
	}
}

// document decodes the root mapping (nil for an empty file) into c.
func (d *decoder) document(root *yaml.Node, c *Config) {
	secs := sections()
	nodes := make([]*yaml.Node, len(secs))
	names := make([]string, len(secs))
	for i, s := range secs {
		names[i] = s.name
	}
	slices.Sort(names)
	if !isNull(root) {
		root = resolve(root)
		if root.Kind != yaml.MappingNode {
			d.add(root, "", "want a mapping with the sections %s, got %s", strings.Join(names, ", "), describe(root))
			return
		}
		d.root = root
		for _, p := range d.entries(root, "") {
			i := slices.IndexFunc(secs, func(s section) bool { return s.name == p.key.Value })
			if i < 0 {
				d.add(p.key, p.key.Value, "unknown field %q at top level; valid: %s", p.key.Value, strings.Join(names, ", "))
				continue
			}
			if nodes[i] == nil {
				nodes[i] = p.val // a duplicate is reported; the first counts
			}
		}
	}
	for i, s := range secs {
		s.decode(d, nodes[i], c)
	}
}

// valueAt returns the node to blame for key of mapping n: its value when
// the key is present, else n itself (which may be nil).
func valueAt(n *yaml.Node, key string) *yaml.Node {
	if _, v := lookup(n, key); v != nil {
		return v
	}
	return n
}

// decodeStruct decodes mapping n (nil: absent) into the struct *v.
func (d *decoder) decodeStruct(n *yaml.Node, v any, path string) {
	d.value(n, reflect.ValueOf(v).Elem(), path)
}
