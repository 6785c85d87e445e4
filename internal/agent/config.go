// Package agent is the runtime of `picket agent`, the host agent: it loads
// the agent's own config file, collects host metrics every second into
// batches, keeps them in an on-disk spool until the server acknowledges
// them, sends the process table with its births and deaths, and answers
// the server's commands (live mode, the process table, the actions its
// config allows) over one NATS connection. The protocol is described in
// docs/agent.md.
package agent

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/agent/spool"
)

// Defaults of the agent's config.
const (
	DefaultSpoolDir        = "/var/lib/picket-agent/spool"
	DefaultSpoolMax        = spool.DefaultMaxBytes
	DefaultInterval        = time.Second
	DefaultProcessInterval = 5 * time.Second
	DefaultBatchInterval   = 5 * time.Second
	DefaultActionTimeout   = 30 * time.Second
)

// Config is the agent's config file. LoadConfig fills the defaults and
// resolves relative paths against the file's directory.
type Config struct {
	// File is the path the config was loaded from.
	File string `yaml:"-"`
	// ID names this host to the server; it must match the id the server's
	// config gives this agent's key.
	ID string `yaml:"id"`
	// Servers are nats:// (or tls://) URLs of the server's NATS, or of
	// several nodes of a cluster; the agent fails over between them.
	Servers []string `yaml:"servers"`
	// KeyFile holds the agent's NKey seed; it must not be readable by
	// group or others.
	KeyFile string `yaml:"key_file"`
	// TLS, when set, makes the connection use TLS.
	TLS *TLS `yaml:"tls"`
	// SpoolDir keeps the batches not yet acknowledged; default
	// DefaultSpoolDir.
	SpoolDir string `yaml:"spool_dir"`
	// SpoolMax bounds the spool's size in bytes; default 256 MiB.
	SpoolMax ByteSize `yaml:"spool_max"`
	// Interval is how often metrics are collected; default 1 s.
	Interval time.Duration `yaml:"interval"`
	// ProcessInterval is how often the process table is read and sent;
	// default 5 s.
	ProcessInterval time.Duration `yaml:"process_interval"`
	// BatchInterval is how often the collected metrics are sent; default 5 s.
	BatchInterval time.Duration `yaml:"batch_interval"`
	// Collectors switch collectors off by name: {cpu: {enabled: false}}.
	Collectors map[string]CollectorConfig `yaml:"collectors"`
	// Actions are the only commands the server may ask this agent to run.
	Actions []Action `yaml:"actions"`
}

// TLS configures the connection's TLS.
type TLS struct {
	// CAFile is a PEM bundle of the authorities that sign the server's
	// certificate; empty means the system's.
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify accepts any server certificate. For tests only.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// CollectorConfig is the config of one collector.
type CollectorConfig struct {
	// Enabled is true unless set to false.
	Enabled *bool `yaml:"enabled"`
}

// Action is a command the server may ask the agent to run by name. The
// argv is fixed: nothing from the request is added, and no shell runs it.
type Action struct {
	Name    string        `yaml:"name"`
	Command []string      `yaml:"command"`
	Timeout time.Duration `yaml:"timeout"` // default 30 s
}

// Enabled reports whether the collector with the given name is enabled.
func (c *Config) Enabled(name string) bool {
	cc, ok := c.Collectors[name]
	return !ok || cc.Enabled == nil || *cc.Enabled
}

// maxConfigBytes bounds the config file; an agent's config is a few lines.
const maxConfigBytes = 1 << 20

// LoadConfig reads, checks and completes the agent config at path. Every
// problem found is reported, each as "path:line: field: message", joined
// in one error.
func LoadConfig(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading agent config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxConfigBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading agent config: %w", err)
	}
	if len(data) > maxConfigBytes {
		return nil, fmt.Errorf("reading agent config %s: larger than %d bytes", path, maxConfigBytes)
	}
	return parseConfig(path, data)
}

// parseConfig decodes data strictly, then fills defaults and checks.
func parseConfig(path string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, problemOf(path, nil, err)
	}
	pos := positionsOf(&root)
	cfg := &Config{File: path}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, problemOf(path, pos, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%sa second YAML document starts here; the agent's config is one document", at(path, next.Line))
	}
	cfg.File = path
	cfg.fillDefaults()
	if err := cfg.check(&problems{file: path, pos: pos}); err != nil {
		return nil, err
	}
	return cfg, nil
}

func (c *Config) fillDefaults() {
	dir := filepath.Dir(c.File)
	c.SpoolDir = resolve(dir, or(c.SpoolDir, DefaultSpoolDir))
	if c.KeyFile != "" {
		c.KeyFile = resolve(dir, c.KeyFile)
	}
	if c.TLS != nil && c.TLS.CAFile != "" {
		c.TLS.CAFile = resolve(dir, c.TLS.CAFile)
	}
	if c.SpoolMax == 0 {
		c.SpoolMax = DefaultSpoolMax
	}
	c.Interval = orDuration(c.Interval, DefaultInterval)
	c.ProcessInterval = orDuration(c.ProcessInterval, DefaultProcessInterval)
	c.BatchInterval = orDuration(c.BatchInterval, DefaultBatchInterval)
	for i := range c.Actions {
		c.Actions[i].Timeout = orDuration(c.Actions[i].Timeout, DefaultActionTimeout)
	}
}

func resolve(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func orDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}
