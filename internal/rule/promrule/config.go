package promrule

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// Defaults and limits of the rule settings.
const (
	// DefaultInterval is how often a rule is evaluated when neither the
	// rule nor Config.Interval says.
	DefaultInterval = 15 * time.Second
	// MinInterval is the shortest evaluation interval: the agents' finest
	// resolution.
	MinInterval = time.Second
	// MaxInstances bounds the series one alerting rule may return: beyond
	// it the evaluation fails (and changes nothing) rather than open
	// thousands of incidents.
	MaxInstances = 1000
)

// Severities of an alerting rule. A critical alert turns its instance
// down, a warning one degraded; the incident's severity follows from that
// as for a check.
const (
	SeverityCritical = "critical"
	SeverityWarning  = "warning"
)

// Config is the rules section of picket.yaml.
type Config struct {
	// Interval is the default evaluation interval of every rule; default
	// DefaultInterval.
	Interval time.Duration `yaml:"interval"`
	Alerts   []AlertRule   `yaml:"alerts"`
	Records  []RecordRule  `yaml:"records"`
	Presets  []Preset      `yaml:"presets"`
}

// AlertRule is a PromQL alerting rule. Every series Expr returns is an
// alert instance: pending while it has been returned for less than For,
// firing after that, resolved as soon as it is not returned.
type AlertRule struct {
	// ID names the rule, like a check id: [a-zA-Z0-9][a-zA-Z0-9_-]{0,63}.
	ID   string `yaml:"id"`
	Expr string `yaml:"expr"`
	// For is how long a series must keep being returned before it fires;
	// 0 fires at the first evaluation that returns it.
	For time.Duration `yaml:"for"`
	// Labels are added to every instance's labels (a series label of the
	// same name is replaced); they are static, not templates.
	Labels map[string]string `yaml:"labels"`
	// Annotations are templates rendered for every instance; "summary"
	// becomes the reason of the incident.
	Annotations map[string]string `yaml:"annotations"`
	// Severity is critical (the default: the instance is down) or warning
	// (it is degraded).
	Severity string `yaml:"severity"`
	// Interval is how often the rule is evaluated; default Config.Interval.
	Interval time.Duration `yaml:"interval"`
}

// RecordRule is a PromQL recording rule: the series Expr returns are
// stored, at each evaluation's time, as series named Record.
type RecordRule struct {
	Record string `yaml:"record"`
	Expr   string `yaml:"expr"`
	// Labels are set on every recorded series, replacing those of the
	// result.
	Labels   map[string]string `yaml:"labels"`
	Interval time.Duration     `yaml:"interval"`
}

var (
	idPattern         = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$`)
	labelNamePattern  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
	metricNamePattern = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
)

// reservedLabels are set by the engine on every alert instance.
var reservedLabels = []string{LabelAlertName, LabelSeverity}

// checkInterval checks an interval that may be 0 (the default).
func checkInterval(field string, d time.Duration) error {
	if d != 0 && d < MinInterval {
		return fielderr.Errorf(field, "must be at least %v, got %v", MinInterval, d)
	}
	return nil
}

// checkLabels checks static labels; reserved names are refused.
func checkLabels(field string, labels map[string]string, reserved ...string) error {
	var errs []error
	for _, name := range sortedKeys(labels) {
		switch {
		case !labelNamePattern.MatchString(name) || strings.HasPrefix(name, "__"):
			errs = append(errs, fielderr.Errorf(field+"."+name, "invalid label name (want [a-zA-Z_][a-zA-Z0-9_]*, not starting with __)"))
		case slices.Contains(reserved, name):
			errs = append(errs, fielderr.Errorf(field+"."+name, "label %s is set by Picket", name))
		case labels[name] == "":
			errs = append(errs, fielderr.Errorf(field+"."+name, "empty value"))
		}
	}
	return errors.Join(errs...)
}
