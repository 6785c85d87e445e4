package promrule

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"text/template"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/store"
)

// Labels the engine sets on every alert instance.
const (
	LabelAlertName = "alertname" // the rule's id
	LabelSeverity  = "severity"  // the rule's severity
)

// AnnotationSummary is the annotation that becomes the reason of an
// incident.
const AnnotationSummary = "summary"

// Set is a validated set of rules, presets expanded, ready for
// Engine.Update.
type Set struct {
	alerts  []*alertRule
	records []*recordRule
	byID    map[string]*alertRule
}

// alertRule is an AlertRule with its defaults applied and its templates
// parsed.
type alertRule struct {
	AlertRule
	status probe.Status // of a firing instance
	annots map[string]*template.Template
}

// recordRule is a RecordRule with its defaults applied.
type recordRule struct {
	RecordRule
}

// Compile validates cfg, expands its presets and returns the rules. Every
// expression must parse with p. The error joins one *fielderr.Error per
// problem, its path starting at the list ("alerts.0.expr: 1:5: parse
// error: ...").
func Compile(cfg Config, p Parser) (*Set, error) {
	errs := []error{checkInterval("interval", cfg.Interval)}
	def := cfg.Interval
	if def == 0 {
		def = DefaultInterval
	}
	set := &Set{byID: map[string]*alertRule{}}
	owner := map[string]string{} // rule id → the field that defined it
	add := func(field string, a AlertRule) {
		r, err := compileAlert(a, def, p)
		if prev, dup := owner[a.ID]; dup && a.ID != "" {
			err = errors.Join(err, fielderr.Errorf("id", "rule id %q is taken by %s; give this one its own id", a.ID, prev))
		}
		if err != nil {
			errs = append(errs, fielderr.In(field, err))
			return
		}
		owner[a.ID] = field
		set.alerts = append(set.alerts, r)
		set.byID[r.ID] = r
	}
	for i, a := range cfg.Alerts {
		add("alerts."+strconv.Itoa(i), a)
	}
	for i, pr := range cfg.Presets {
		field := "presets." + strconv.Itoa(i)
		a, err := pr.Expand()
		if err != nil {
			errs = append(errs, fielderr.In(field, err))
			continue
		}
		add(field, a)
	}
	records := map[string]string{} // key → the field that defined it
	for i, r := range cfg.Records {
		field := "records." + strconv.Itoa(i)
		rr, err := compileRecord(r, def, p)
		if prev, dup := records[rr.key()]; dup {
			err = errors.Join(err, fielderr.Errorf("record", "same record, expr and labels as %s", prev))
		}
		if err != nil {
			errs = append(errs, fielderr.In(field, err))
			continue
		}
		records[rr.key()] = field
		set.records = append(set.records, rr)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return set, nil
}

func compileAlert(a AlertRule, def time.Duration, p Parser) (*alertRule, error) {
	var errs []error
	if !idPattern.MatchString(a.ID) {
		errs = append(errs, fielderr.Errorf("id", "invalid rule id %q (want [a-zA-Z0-9][a-zA-Z0-9_-]{0,63})", a.ID))
	}
	errs = append(errs, checkExpr(p, a.Expr), checkInterval("interval", a.Interval),
		checkLabels("labels", a.Labels, reservedLabels...))
	if a.For < 0 {
		errs = append(errs, fielderr.Errorf("for", "must not be negative, got %v", a.For))
	}
	r := &alertRule{AlertRule: a, annots: map[string]*template.Template{}}
	switch a.Severity {
	case "", SeverityCritical:
		r.Severity, r.status = SeverityCritical, probe.StatusDown
	case SeverityWarning:
		r.status = probe.StatusDegraded
	default:
		errs = append(errs, fielderr.Errorf("severity", "unknown severity %q (want critical or warning)", a.Severity))
	}
	for _, name := range sortedKeys(a.Annotations) {
		t, err := parseTemplate(name, a.Annotations[name])
		if err != nil {
			errs = append(errs, &fielderr.Error{Field: "annotations." + name, Err: err})
		}
		r.annots[name] = t
	}
	if r.Interval == 0 {
		r.Interval = def
	}
	r.Labels, r.Annotations = maps.Clone(a.Labels), maps.Clone(a.Annotations)
	return r, errors.Join(errs...)
}

func compileRecord(r RecordRule, def time.Duration, p Parser) (*recordRule, error) {
	var errs []error
	if !metricNamePattern.MatchString(r.Record) {
		errs = append(errs, fielderr.Errorf("record", "invalid metric name %q (want [a-zA-Z_:][a-zA-Z0-9_:]*)", r.Record))
	}
	errs = append(errs, checkExpr(p, r.Expr), checkInterval("interval", r.Interval), checkLabels("labels", r.Labels))
	if r.Interval == 0 {
		r.Interval = def
	}
	r.Labels = maps.Clone(r.Labels)
	return &recordRule{RecordRule: r}, errors.Join(errs...)
}

// checkExpr checks that expr is there and parses.
func checkExpr(p Parser, expr string) error {
	if expr == "" {
		return fielderr.Errorf("expr", "missing")
	}
	if err := p.Parse(expr); err != nil {
		return &fielderr.Error{Field: "expr", Err: err}
	}
	return nil
}

// Alerts returns the alerting rules, presets expanded, defaults applied.
func (s *Set) Alerts() []AlertRule {
	out := make([]AlertRule, len(s.alerts))
	for i, r := range s.alerts {
		out[i] = r.AlertRule
	}
	return out
}

// Records returns the recording rules, defaults applied.
func (s *Set) Records() []RecordRule {
	out := make([]RecordRule, len(s.records))
	for i, r := range s.records {
		out[i] = r.RecordRule
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// key identifies an alerting rule across updates.
func (r *alertRule) key() string { return "alert/" + r.ID }

// key identifies a recording rule across updates: its name, expression
// and labels.
func (r *recordRule) key() string {
	return "record/" + r.Record + "/" + r.Expr + "/" + store.FromMap(r.Labels).String()
}
