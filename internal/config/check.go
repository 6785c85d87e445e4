package config

import (
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
	"gopkg.in/yaml.v3"
)

// Check is one check after defaults are applied. The YAML keys of a check
// are the tagged fields here plus the fields of its probe type's Settings.
type Check struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"` // default: ID
	Type   string `yaml:"type"`
	Target string `yaml:"target"`
	// Interval is how often the check runs, at least 1s.
	Interval time.Duration `yaml:"interval"`
	// Timeout bounds one run. After Load it is never zero: an unset
	// timeout is 80% of Interval. It is at most Interval.
	Timeout time.Duration `yaml:"timeout"`
	// Confirm is how many consecutive failures make the check hard down
	// (or degraded), at least 1.
	Confirm int `yaml:"confirm"`
	// Recover is how many consecutive successes make a failing check hard
	// up again, at least 1.
	Recover int `yaml:"recover"`
	// RetryInterval is how often the check runs while a failure (or a
	// recovery) is not yet confirmed. After Load it is never zero: unset,
	// it is the check's interval. It is at least 1s and at most Interval.
	RetryInterval time.Duration `yaml:"retry_interval"`
	// Labels are added to the check's series and events.
	Labels map[string]string `yaml:"labels"`
	// DependsOn lists the ids of the checks this one needs.
	DependsOn    []string     `yaml:"depends_on"`
	DegradedWhen DegradedWhen `yaml:"degraded_when"`
	// Severity is the severity of the check's incidents, per outcome.
	Severity Severity `yaml:"severity"`
	// Notify lists the ids of the channels the check's notifications go
	// to; when set it overrides the routes. Each names a channel.
	Notify []string `yaml:"notify"`
	// Policy is the id of the check's alerting policy; empty leaves it to
	// the routes.
	Policy   string   `yaml:"policy"`
	Flapping Flapping `yaml:"flapping"`
	// Settings are the decoded type-specific settings.
	Settings probe.Settings `yaml:"-"`
	// Prober is built by Settings.Prober(Target) at load.
	Prober probe.Prober `yaml:"-"`
	// Fingerprint is a hash of everything that defines how the check runs:
	// its common fields after defaults, except the alerting-only ones
	// (Severity, Notify, Policy, Flapping), and its settings as written,
	// in a canonical form that ignores key order, comments and quoting style,
	// and the content of the files its *_file settings name and the
	// values of its secrets. Those are mixed in through an HMAC with a key
	// made once per process, so the fingerprint reveals nothing about them.
	// Equal fingerprints within one process mean the check's job need not
	// change on reload. Alerting-only fields are left out so that editing
	// them does not reset the check's schedule; they are read from the
	// current config instead.
	Fingerprint string `yaml:"-"`
}

// DegradedWhen lists when an answer that was right is still degraded.
type DegradedWhen struct {
	// LatencyOver makes an up result slower than this degraded; zero is
	// off. It must be shorter than the timeout.
	LatencyOver time.Duration `yaml:"latency_over"`
}

// checks decodes the checks section, a list of checks. It comes after
// channels and policies, which checks refer to.
func (d *decoder) checks(n *yaml.Node, c *Config) {
	srcs := d.items(n, "checks", "check", "checks")
	seals := make([][]byte, len(srcs))
	for i, src := range srcs {
		var chk Check
		chk, seals[i] = d.check(src, c.Defaults)
		c.Checks = append(c.Checks, chk)
	}
	d.relations(c.Checks, srcs)
	d.alertingRefs(c, srcs)
	for i := range c.Checks {
		c.Checks[i].Fingerprint = fingerprint(&c.Checks[i], srcs[i].node, seals[i])
	}
}

// check decodes and validates one check, except for its relations to the
// other checks. It also returns the seal of the files and secrets its
// settings use, for its fingerprint.
func (d *decoder) check(src source, defs Defaults) (Check, []byte) {
	c := Check{
		Interval: defs.Interval, Timeout: defs.Timeout, Confirm: defs.Confirm,
		Recover: defs.Recover, RetryInterval: defs.RetryInterval,
		Severity: defs.Severity, Flapping: defs.Flapping,
	}
	settings := d.settingsFor(src)
	targets := []reflect.Value{reflect.ValueOf(&c).Elem()}
	if settings != nil {
		targets = append(targets, reflect.ValueOf(settings).Elem())
	}
	// Without a known type, keys that are not common fields cannot be
	// judged; the type's problem is reported instead.
	d.fields(src.node, src.path, "check", settings == nil, targets...)
	d.required(src, &c)
	d.timing(src, &c)
	d.labels(src, c.Labels)
	c.Settings = settings
	return c, d.build(src, &c)
}

// build resolves the *_file paths of the check's settings, seals the files
// and secrets they use, and then builds the prober, which reads the same
// files (see seal for why in this order). It returns the seal.
func (d *decoder) build(src source, c *Check) []byte {
	if c.Settings == nil {
		return nil
	}
	resolveFiles(c.Settings, d.dir)
	sealed := seal(c.Settings)
	if c.Target != "" {
		c.Prober = d.prober(src, c.Settings, c.Target)
	}
	return sealed
}

// settingsFor returns fresh settings for the check's type, or nil when the
// type is missing or unknown, which it reports.
func (d *decoder) settingsFor(src source) probe.Settings {
	s, _ := typedSettings(d, src, "probe", probe.Names(), func(name string) (func() probe.Settings, bool) {
		t, ok := probe.Lookup(name)
		return t.New, ok
	})
	return s
}

// typedSettings returns fresh settings for the type named in src's "type"
// field, from a registry given by its names and constructors; kind names
// the registry in messages ("probe", "channel"). It reports a missing or
// unknown type and returns false.
func typedSettings[S any](d *decoder, src source, kind string, names []string, newFor func(string) (func() S, bool)) (S, bool) {
	var zero S
	_, tn := lookup(src.node, "type")
	known := strings.Join(names, ", ")
	switch {
	case isNull(tn):
		d.add(src.node, src.path, "missing required field \"type\" (one of %s)", known)
		return zero, false
	case resolve(tn).Kind != yaml.ScalarNode:
		return zero, false // reported when the field is decoded
	}
	name := resolve(tn).Value
	newS, ok := newFor(name)
	if !ok {
		d.add(tn, src.path+".type", "unknown %s type %q; known: %s", kind, name, known)
		return zero, false
	}
	s := newS()
	if v := reflect.ValueOf(s); v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		d.add(tn, src.path+".type", "%s type %q has settings of unsupported Go type %T", kind, name, s)
		return zero, false
	}
	return s, true
}

// required reports missing id and target, and an invalid id; it defaults
// the name to the id.
func (d *decoder) required(src source, c *Check) {
	d.requireKeys(src, "id", "target")
	d.checkID(src, c.ID)
	if _, v := lookup(src.node, "target"); !isNull(v) && c.Target == "" && !d.reported(src.path+".target") {
		d.add(v, src.path+".target", "must not be empty")
	}
	if c.Name == "" {
		c.Name = c.ID
	}
}

// timing validates interval, timeout, confirm, latency_over and the
// alerting settings, resolving an automatic timeout to 80% of the
// interval. Values inherited from defaults were validated there.
func (d *decoder) timing(src source, c *Check) {
	n, p := src.node, src.path
	if _, v := lookup(n, "confirm"); v != nil && confirmProblem(c.Confirm) != "" {
		d.add(v, p+".confirm", "%s", confirmProblem(c.Confirm))
	}
	d.alertSettings(src, c)
	if d.reported(p + ".interval") {
		return
	}
	_, iv := lookup(n, "interval")
	_, tv := lookup(n, "timeout")
	if msg := intervalProblem(c.Interval); iv != nil && msg != "" {
		d.add(iv, p+".interval", "%s", msg)
		return
	}
	d.retry(src, c)
	if d.reported(p + ".timeout") {
		return
	}
	if c.Timeout == 0 {
		c.Timeout = c.Interval - c.Interval/5
	}
	if msg := timeoutProblem(c.Timeout, c.Interval); msg != "" {
		if tv == nil {
			d.add(valueAt(n, "interval"), p+".interval", "interval %s is shorter than the timeout %s set in defaults", c.Interval, c.Timeout)
		} else {
			d.add(tv, p+".timeout", "%s", msg)
		}
		return
	}
	d.latency(src, c)
}

func (d *decoder) latency(src source, c *Check) {
	field := src.path + ".degraded_when.latency_over"
	lo := c.DegradedWhen.LatencyOver
	at := valueAt(valueAt(src.node, "degraded_when"), "latency_over")
	switch {
	case lo < 0:
		d.add(at, field, "must not be negative, got %s", lo)
	case lo > 0 && lo >= c.Timeout:
		d.add(at, field, "latency_over %s is not shorter than the timeout %s, so it could never fire", lo, c.Timeout)
	}
}

var labelName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// labels validates label names and values. Some names are reserved
// because Picket sets them on every series of a check.
func (d *decoder) labels(src source, labels map[string]string) {
	_, ln := lookup(src.node, "labels")
	for _, p := range pairs(ln) {
		name, field := p.key.Value, src.path+".labels."+p.key.Value
		val, ok := labels[name]
		switch {
		case !labelName.MatchString(name):
			d.add(p.key, field, "invalid label name %q: want letters, digits and '_', not starting with a digit", name)
		case strings.HasPrefix(name, "__"):
			d.add(p.key, field, "label name %q is reserved: names starting with __ are Prometheus's", name)
		case reservedLabel(name):
			d.add(p.key, field, "label name %q is reserved: Picket sets it", name)
		case ok && val == "" && !d.reported(field):
			d.add(p.key, field, "label value is empty (Prometheus would drop the label)")
		}
	}
}

// reservedLabel reports whether Picket sets label name itself.
func reservedLabel(name string) bool {
	switch name {
	case "check", "name", "type", "target", "host", "node":
		return true
	}
	return false
}
