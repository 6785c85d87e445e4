package config

import (
	"net"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// minInterval is the shortest interval a check may have.
const minInterval = time.Second

// server decodes and validates the server section.
func (d *decoder) server(n *yaml.Node, c *Config) {
	d.decodeStruct(n, &c.Server, "server")
	d.natsTLS(n, &c.Server.NATSTLS)
	s := c.Server
	d.checkAddr(n, "listen", s.Listen, false)
	d.checkAddr(n, "nats_listen", s.NATSListen, true)
	if s.NATSListen != "" && s.NATSListen == s.Listen {
		d.add(valueAt(n, "nats_listen"), "server.nats_listen", "is the same address as listen")
	}
	if s.DataDir == "" {
		d.add(valueAt(n, "data_dir"), "server.data_dir", "must not be empty")
	}
	if s.Retention <= 0 {
		d.add(valueAt(n, "retention"), "server.retention", "must be positive, got %s", s.Retention)
	}
	if s.MaxConcurrency < 1 {
		d.add(valueAt(n, "max_concurrency"), "server.max_concurrency", "must be at least 1, got %d", s.MaxConcurrency)
	}
}

// checkAddr reports a listen address that is not host:port with a numeric
// port. An empty address is allowed only where it disables listening.
func (d *decoder) checkAddr(n *yaml.Node, key, addr string, emptyOK bool) {
	if addr == "" && emptyOK {
		return
	}
	_, port, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = strconv.ParseUint(port, 10, 16)
	}
	if err != nil {
		d.add(valueAt(n, key), "server."+key, "invalid address %q (want host:port like 127.0.0.1:7070)", addr)
	}
}

// defaults decodes and validates the defaults section. An invalid value is
// reported and replaced by its default, so that the checks inheriting it
// do not repeat the same problem.
func (d *decoder) defaults(n *yaml.Node, c *Config) {
	d.decodeStruct(n, &c.Defaults, "defaults")
	def, v := DefaultDefaults(), &c.Defaults
	if msg := intervalProblem(v.Interval); msg != "" {
		d.add(valueAt(n, "interval"), "defaults.interval", "%s", msg)
		v.Interval = def.Interval
	}
	if msg := timeoutProblem(v.Timeout, v.Interval); msg != "" {
		d.add(valueAt(n, "timeout"), "defaults.timeout", "%s", msg)
		v.Timeout = def.Timeout
	}
	if msg := confirmProblem(v.Confirm); msg != "" {
		d.add(valueAt(n, "confirm"), "defaults.confirm", "%s", msg)
		v.Confirm = def.Confirm
	}
	d.alertingDefaults(n, v)
}

// alertingDefaults validates the alerting defaults like defaults does the
// others, replacing each invalid value by its default.
func (d *decoder) alertingDefaults(n *yaml.Node, v *Defaults) {
	def := DefaultDefaults()
	if msg := confirmProblem(v.Recover); msg != "" {
		d.add(valueAt(n, "recover"), "defaults.recover", "%s", msg)
		v.Recover = def.Recover
	}
	if r := v.RetryInterval; r != 0 {
		if msg := retryProblem(r, v.Interval); msg != "" {
			d.add(valueAt(n, "retry_interval"), "defaults.retry_interval", "%s", msg)
			v.RetryInterval = def.RetryInterval
		}
	}
	if probs := severityProblems(v.Severity); len(probs) > 0 {
		d.addKeyProblems(n, "defaults", "severity", probs)
		v.Severity = def.Severity
	}
	if probs := flappingProblems(v.Flapping); len(probs) > 0 {
		d.addKeyProblems(n, "defaults", "flapping", probs)
		v.Flapping = def.Flapping
	}
}

func intervalProblem(iv time.Duration) string {
	if iv < minInterval {
		return "must be at least " + minInterval.String() + ", got " + iv.String()
	}
	return ""
}

// timeoutProblem checks a timeout as written, where zero means automatic.
func timeoutProblem(to, iv time.Duration) string {
	switch {
	case to < 0:
		return "must not be negative, got " + to.String()
	case to > iv:
		return "timeout " + to.String() + " is longer than the interval " + iv.String()
	}
	return ""
}

func confirmProblem(n int) string {
	if n < 1 {
		return "must be at least 1, got " + strconv.Itoa(n)
	}
	return ""
}
