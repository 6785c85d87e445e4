package promrule

import (
	"cmp"
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// Preset switches on a named alerting rule on the agents' host series
// with a few parameters, for example {use: disk_free_below, bytes: 1GB}.
// Which parameters a preset takes, and the PromQL it expands to, are in
// the presets table (presets.go) and docs/rules.md.
type Preset struct {
	// Use names the preset.
	Use string `yaml:"use"`
	// ID names the rule; by default the preset's name and parameters
	// (disk_free_below-1GB). Two presets that would get the same id, such
	// as one preset for two groups of hosts, need their own.
	ID string `yaml:"id"`

	// The parameters; each preset takes some of them.
	Bytes   Bytes         `yaml:"bytes"`    // a size: 1GB, 500MiB
	Percent float64       `yaml:"percent"`  // a percentage, above 0 and below 100
	Hours   float64       `yaml:"hours"`    // a horizon in hours
	Window  time.Duration `yaml:"window"`   // how much history a prediction uses
	PerCore float64       `yaml:"per_core"` // a load per CPU core
	Celsius float64       `yaml:"celsius"`  // a temperature
	Name    string        `yaml:"name"`     // a process name
	Unit    string        `yaml:"unit"`     // a systemd unit

	// Hosts limits the rule to these host ids; default all hosts.
	Hosts []string `yaml:"hosts"`
	// Match limits the rule to series whose labels match these regular
	// expressions (anchored, as PromQL's =~), e.g. {mountpoint: "/|/var"}.
	Match map[string]string `yaml:"match"`

	// For, Severity, Labels, Annotations and Interval are as for an
	// AlertRule; For and Severity default to the preset's own, and the
	// preset's summary is used unless Annotations has one.
	For         *time.Duration    `yaml:"for"`
	Severity    string            `yaml:"severity"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`
	Interval    time.Duration     `yaml:"interval"`
}

// Expand validates the preset and returns the alerting rule it stands
// for. Problems are *fielderr.Error values naming the preset's fields.
func (p Preset) Expand() (AlertRule, error) {
	def, ok := presetByName(p.Use)
	if !ok {
		return AlertRule{}, fielderr.Errorf("use", "unknown preset %q (want one of %s)", p.Use, strings.Join(PresetNames(), ", "))
	}
	errs := []error{p.checkTaken(def)}
	sel, err := p.selector()
	errs = append(errs, err)
	x, err := def.build(p, sel)
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return AlertRule{}, err
	}
	a := AlertRule{
		ID: cmp.Or(p.ID, sanitizeID(def.name+x.suffix)), Expr: x.expr, For: def.forDefault,
		Labels: x.labels, Annotations: map[string]string{AnnotationSummary: x.summary},
		Severity: cmp.Or(p.Severity, def.severity), Interval: p.Interval,
	}
	if p.For != nil {
		a.For = *p.For
	}
	for k, v := range p.Labels {
		if a.Labels == nil {
			a.Labels = map[string]string{}
		}
		a.Labels[k] = v
	}
	maps.Copy(a.Annotations, p.Annotations)
	return a, nil
}

// checkTaken refuses the parameters def does not take.
func (p Preset) checkTaken(def presetDef) error {
	set := map[string]bool{
		"bytes": p.Bytes != 0, "percent": p.Percent != 0, "hours": p.Hours != 0, "window": p.Window != 0,
		"per_core": p.PerCore != 0, "name": p.Name != "", "unit": p.Unit != "", "celsius": p.Celsius != 0,
	}
	var errs []error
	for _, name := range sortedKeys(set) {
		if set[name] && !slices.Contains(def.params, name) {
			errs = append(errs, fielderr.Errorf(name, "preset %s does not take %s (it takes %s)", def.name, name, takes(def)))
		}
	}
	return errors.Join(errs...)
}

func takes(def presetDef) string {
	if len(def.params) == 0 {
		return "no parameters"
	}
	return strings.Join(def.params, ", ")
}

// selector returns the matchers of Hosts and Match.
func (p Preset) selector() (selector, error) {
	var sel selector
	var errs []error
	if len(p.Hosts) > 0 {
		quoted := make([]string, len(p.Hosts))
		for i, h := range p.Hosts {
			if h == "" {
				errs = append(errs, fielderr.Errorf("hosts."+strconv.Itoa(i), "empty host id"))
			}
			quoted[i] = regexp.QuoteMeta(h)
		}
		sel = append(sel, "host=~"+strconv.Quote(strings.Join(quoted, "|")))
	}
	for _, name := range sortedKeys(p.Match) {
		field, re := "match."+name, p.Match[name]
		if !labelNamePattern.MatchString(name) {
			errs = append(errs, fielderr.Errorf(field, "invalid label name"))
		} else if _, err := regexp.Compile("^(?:" + re + ")$"); err != nil {
			errs = append(errs, fielderr.Errorf(field, "invalid regular expression: %v", err))
		} else {
			sel = append(sel, name+"=~"+strconv.Quote(re))
		}
	}
	return sel, errors.Join(errs...)
}

// selector is the label matchers a preset adds to each series it reads.
type selector []string

// of returns a series selector for metric with the given matchers first.
func (s selector) of(metric string, matchers ...string) string {
	all := append(slices.Clone(matchers), s...)
	if len(all) == 0 {
		return metric
	}
	return metric + "{" + strings.Join(all, ", ") + "}"
}

var badIDChars = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// sanitizeID makes s a valid rule id: other characters become _, and it
// is cut at 64.
func sanitizeID(s string) string {
	s = badIDChars.ReplaceAllString(s, "_")
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

// promDuration writes d as a PromQL duration in its largest exact unit.
func promDuration(d time.Duration) string {
	for _, u := range []struct {
		unit string
		d    time.Duration
	}{{"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute}, {"s", time.Second}} {
		if d%u.d == 0 {
			return strconv.FormatInt(int64(d/u.d), 10) + u.unit
		}
	}
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

// num writes a parameter for an id or a message: 10, 12.5.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// checkPercent checks a percentage parameter.
func checkPercent(v float64) error {
	if !(v > 0 && v < 100) { // NaN too
		return fielderr.Errorf("percent", "want a percentage above 0 and below 100, got %s", num(v))
	}
	return nil
}
