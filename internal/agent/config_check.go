package agent

import (
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// idPattern is what an agent id and an action name look like; the id is
// a part of NATS subjects.
var idPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$`)

// Bounds of the config's durations and sizes.
const (
	minInterval      = time.Second
	maxInterval      = time.Hour
	maxBatchInterval = time.Minute // keeps a batch well within wire's limits
	minSpoolMax      = 1 << 20
	maxActionTimeout = time.Hour
)

// check reports every problem of a decoded, defaulted config.
func (c *Config) check(ps *problems) error {
	switch {
	case c.ID == "":
		ps.add("id", "required: the name the server's config gives this agent")
	case !idPattern.MatchString(c.ID):
		ps.add("id", "%q is not a valid id (letters, digits, '_' and '-', starting with a letter or digit, at most 64)", c.ID)
	}
	c.checkServers(ps)
	c.checkFiles(ps)
	if c.SpoolMax < minSpoolMax {
		ps.add("spool_max", "%d bytes is too small; at least 1MiB", c.SpoolMax)
	}
	checkDuration(ps, "interval", c.Interval, minInterval, maxInterval)
	checkDuration(ps, "process_interval", c.ProcessInterval, minInterval, maxInterval)
	checkDuration(ps, "batch_interval", c.BatchInterval, minInterval, maxBatchInterval)
	for name := range c.Collectors {
		if _, ok := collector.Lookup(name); !ok {
			ps.add("collectors."+name, "unknown collector (known: %s)", strings.Join(collector.Names(), ", "))
		}
	}
	c.checkActions(ps)
	return ps.err()
}

func checkDuration(ps *problems, field string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		ps.add(field, "%v is out of range [%v, %v]", d, lo, hi)
	}
}

func (c *Config) checkServers(ps *problems) {
	if len(c.Servers) == 0 {
		ps.add("servers", "required: at least one nats://host:port URL")
	}
	for i, s := range c.Servers {
		field := fmt.Sprintf("servers[%d]", i)
		u, err := url.Parse(s)
		switch {
		case err != nil:
			ps.add(field, "%q is not a URL", s)
		case u.Scheme != "nats" && u.Scheme != "tls":
			ps.add(field, "%q: the scheme must be nats:// or tls://", s)
		case u.Hostname() == "":
			ps.add(field, "%q has no host", s)
		case u.User != nil:
			ps.add(field, "%q: credentials do not belong in the URL; the agent authenticates with key_file", s)
		case u.Port() != "" && !validPort(u.Port()):
			ps.add(field, "%q has a bad port", s)
		}
	}
}

func validPort(s string) bool {
	p, err := strconv.Atoi(s)
	return err == nil && p > 0 && p < 65536
}

func (c *Config) checkFiles(ps *problems) {
	if c.KeyFile == "" {
		ps.add("key_file", "required: the agent's NKey seed (picket agent enroll writes one)")
	} else if err := checkKeyFile(c.KeyFile); err != nil {
		ps.add("key_file", "%v", err)
	}
	if c.TLS != nil && c.TLS.CAFile != "" {
		if _, err := caPool(c.TLS.CAFile); err != nil {
			ps.add("tls.ca_file", "%v", err)
		}
	}
}

// checkKeyFile refuses a seed file others may read: whoever reads it can
// pose as this host.
func checkKeyFile(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s is readable by group or others (mode %04o); the seed must be private: chmod 600 %s",
			path, perm, path)
	}
	return nil
}

func (c *Config) checkActions(ps *problems) {
	seen := make(map[string]bool, len(c.Actions))
	for i, a := range c.Actions {
		field := fmt.Sprintf("actions[%d]", i)
		switch {
		case !idPattern.MatchString(a.Name):
			ps.add(field+".name", "%q is not a valid action name (letters, digits, '_' and '-')", a.Name)
		case seen[a.Name]:
			ps.add(field+".name", "action %q is defined twice", a.Name)
		}
		seen[a.Name] = true
		switch {
		case len(a.Command) == 0:
			ps.add(field+".command", "required: the program and its arguments, like [/usr/bin/systemctl, restart, nginx]")
		case !filepath.IsAbs(a.Command[0]):
			ps.add(field+".command", "%q: the program must be an absolute path (no PATH lookup, no shell)", a.Command[0])
		}
		checkDuration(ps, field+".timeout", a.Timeout, time.Second, maxActionTimeout)
	}
}

// ByteSize is a size in bytes, written as a number of bytes or a number
// with a unit, case-insensitive, with an optional space: decimal kB, MB,
// GB, TB, binary KiB, MiB, GiB, TiB. Examples: 268435456, 256MiB, "1.5 GB".
type ByteSize int64

var byteUnits = map[string]float64{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

var byteSizePattern = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s?([A-Za-z]*)$`)

// UnmarshalYAML reads a size.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if m := byteSizePattern.FindStringSubmatch(n.Value); n.Kind == yaml.ScalarNode && m != nil {
		v, err := strconv.ParseFloat(m[1], 64)
		unit, ok := byteUnits[strings.ToLower(m[2])]
		if v *= unit; err == nil && ok && v < 1<<62 {
			*b = ByteSize(math.Round(v))
			return nil
		}
	}
	return &yaml.TypeError{Errors: []string{fmt.Sprintf(
		"line %d: %q is not a size (bytes, or a number with a unit: 64MiB, 1GB)", n.Line, n.Value)}}
}
