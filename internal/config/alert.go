package config

import (
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"gopkg.in/yaml.v3"
)

// Severity is the severity of a check's incident for each failing
// outcome, so that a degraded check can page differently from a down one.
type Severity struct {
	Down     notify.Severity `yaml:"down"`
	Degraded notify.Severity `yaml:"degraded"`
}

// Flapping tunes flap detection: over the last Window results, flapping
// starts when the percentage of state changes reaches High and stops when
// it falls below Low (hysteresis).
type Flapping struct {
	// Window is how many of the latest results count, 3 to 100.
	Window int `yaml:"window"`
	// High and Low are percentages, 0 < Low <= High <= 100.
	High float64 `yaml:"high"`
	Low  float64 `yaml:"low"`
}

// Limits of the flap window: fewer than 3 results cannot tell flapping
// from one failure and its recovery; more than 100 is a memory cost in
// the state of every check for no gain.
const (
	minFlapWindow = 3
	maxFlapWindow = 100
)

// keyProblem is a problem with one key of a mapping.
type keyProblem struct{ key, msg string }

// retryProblem checks a retry interval that is set (not zero) against
// the interval it retries within.
func retryProblem(r, iv time.Duration) string {
	switch {
	case r < minInterval:
		return "must be at least " + minInterval.String() + ", got " + r.String()
	case r > iv:
		return "retry_interval " + r.String() + " is longer than the interval " + iv.String()
	}
	return ""
}

// severityProblems checks both severities.
func severityProblems(s Severity) []keyProblem {
	var out []keyProblem
	if !s.Down.Valid() {
		out = append(out, keyProblem{"down", fmt.Sprintf("unknown severity %q (want critical, warning or info)", s.Down)})
	}
	if !s.Degraded.Valid() {
		out = append(out, keyProblem{"degraded", fmt.Sprintf("unknown severity %q (want critical, warning or info)", s.Degraded)})
	}
	return out
}

// flappingProblems checks the window and the thresholds.
func flappingProblems(f Flapping) []keyProblem {
	var out []keyProblem
	if f.Window < minFlapWindow || f.Window > maxFlapWindow {
		out = append(out, keyProblem{"window", fmt.Sprintf("want %d to %d results, got %d", minFlapWindow, maxFlapWindow, f.Window)})
	}
	switch {
	case f.High <= 0 || f.High > 100:
		out = append(out, keyProblem{"high", fmt.Sprintf("want a percentage above 0 and at most 100, got %g", f.High)})
	case f.Low <= 0:
		out = append(out, keyProblem{"low", fmt.Sprintf("want a percentage above 0, got %g", f.Low)})
	case f.Low > f.High:
		out = append(out, keyProblem{"low", fmt.Sprintf("low %g is above high %g; flapping would never stop", f.Low, f.High)})
	}
	return out
}

// addKeyProblems reports problems with the keys of mapping key of n at
// their values (or the closest node present), under path.
func (d *decoder) addKeyProblems(n *yaml.Node, path, key string, probs []keyProblem) {
	m := valueAt(n, key)
	for _, p := range probs {
		d.add(valueAt(m, p.key), path+"."+key+"."+p.key, "%s", p.msg)
	}
}

// alertSettings validates the check's own recover, severity and
// flapping. Values inherited from defaults were validated there.
func (d *decoder) alertSettings(src source, c *Check) {
	n, p := src.node, src.path
	if _, v := lookup(n, "recover"); !isNull(v) && confirmProblem(c.Recover) != "" {
		d.add(v, p+".recover", "%s", confirmProblem(c.Recover))
	}
	// A value that failed to decode keeps the inherited one, which is
	// valid, so these report nothing twice.
	if _, v := lookup(n, "severity"); !isNull(v) {
		d.addKeyProblems(n, p, "severity", severityProblems(c.Severity))
	}
	if _, v := lookup(n, "flapping"); !isNull(v) {
		d.addKeyProblems(n, p, "flapping", flappingProblems(c.Flapping))
	}
}

// retry resolves and validates retry_interval once the interval is known
// to be valid: zero means the interval, and a value inherited from
// defaults is capped at it.
func (d *decoder) retry(src source, c *Check) {
	field := src.path + ".retry_interval"
	_, rv := lookup(src.node, "retry_interval")
	switch {
	case d.reported(field):
	case c.RetryInterval == 0:
		c.RetryInterval = c.Interval
	case isNull(rv):
		c.RetryInterval = min(c.RetryInterval, c.Interval)
	default:
		if msg := retryProblem(c.RetryInterval, c.Interval); msg != "" {
			d.add(rv, field, "%s", msg)
		}
	}
}

// alertingRefs validates what checks say about channels and policies:
// every id in notify names a channel, and policy names a policy.
func (d *decoder) alertingRefs(c *Config, srcs []source) {
	channels := idIndex(c.Channels, func(ch Channel) string { return ch.ID })
	policies := idIndex(c.Policies, func(p Policy) string { return p.ID })
	for i, chk := range c.Checks {
		src := srcs[i]
		_, list := lookup(src.node, "notify")
		d.refs(list, src.path+".notify", "channel", chk.Notify, channels)
		if _, v := lookup(src.node, "policy"); !isNull(v) && !d.reported(src.path+".policy") {
			d.ref(v, src.path+".policy", "policy", chk.Policy, policies)
		}
	}
}

// idIndex maps each valid id of items to the first item that has it.
func idIndex[T any](items []T, id func(T) string) map[string]int {
	index := make(map[string]int, len(items))
	for i, item := range items {
		if k := id(item); validID.MatchString(k) {
			if _, dup := index[k]; !dup {
				index[k] = i
			}
		}
	}
	return index
}
