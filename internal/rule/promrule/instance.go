package promrule

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/store"
)

// An alert instance is known to the incident manager by a check id made
// of the rule id and a hash of the instance's labels:
//
//	rule-<rule id, cut at 42>-<16 hex digits>
//
// It fits check ids' pattern ([a-zA-Z0-9][a-zA-Z0-9_-]{0,63}), stays the
// same across restarts and reloads while the labels do, and the hash
// covers the whole rule id, so two rules whose ids share the first 42
// characters still differ. The severity label is left out of the hash:
// a reload that changes a rule's severity moves its firing instances
// between down and degraded rather than opening other incidents.
const (
	instancePrefix  = "rule-"
	maxIDRulePart   = 42
	instanceHashLen = 16 // hex digits
)

// InstanceID returns the check id of the instance of rule with labels
// (sorted by name, as store.FromMap returns them).
func InstanceID(rule string, labels store.Labels) string {
	h := sha256.New()
	h.Write([]byte(rule))
	for _, l := range labels {
		if l.Name == LabelSeverity {
			continue
		}
		h.Write([]byte{0})
		h.Write([]byte(l.Name))
		h.Write([]byte{0xff})
		h.Write([]byte(l.Value))
	}
	part := rule
	if len(part) > maxIDRulePart {
		part = part[:maxIDRulePart]
	}
	return instancePrefix + part + "-" + hex.EncodeToString(h.Sum(nil))[:instanceHashLen]
}

// IsInstanceID reports whether id has the shape of an alert instance's
// check id (a check could be named so too; Describe knows for sure).
func IsInstanceID(id string) bool {
	return strings.HasPrefix(id, instancePrefix) && len(id) > len(instancePrefix)+instanceHashLen+1 &&
		id[len(id)-instanceHashLen-1] == '-'
}

// instanceLabels returns the labels of the instance a result series
// makes: the series' labels without the metric name, the rule's labels
// over them, then alertname and severity.
func instanceLabels(r *alertRule, series store.Labels) store.Labels {
	m := make(map[string]string, len(series)+len(r.Labels)+2)
	for _, l := range series {
		if l.Name != store.MetricName {
			m[l.Name] = l.Value
		}
	}
	for k, v := range r.Labels {
		m[k] = v
	}
	m[LabelAlertName], m[LabelSeverity] = r.ID, r.Severity
	return store.FromMap(m)
}

// Instance is the state of one alert instance, kept in the StateStore
// while it is pending or firing so a restart neither fires it again nor
// forgets it.
type Instance struct {
	Rule   string            `json:"rule"`
	Labels map[string]string `json:"labels"`
	// ActiveAt is the first evaluation of the current run of evaluations
	// that returned the series.
	ActiveAt time.Time `json:"active_at"`
	// FiredAt is when it started firing; zero while pending.
	FiredAt time.Time `json:"fired_at,omitzero"`
	// Status is what a firing instance was reported as (down or degraded).
	Status probe.Status `json:"status,omitempty"`
	// Value and Summary are those of the latest evaluation. Only state
	// changes are written, so a stored Summary may be older; Value (which
	// may be NaN, which JSON cannot hold) is not stored.
	Value   float64 `json:"-"`
	Summary string  `json:"summary,omitempty"`
}

// Firing reports whether the instance fires.
func (in Instance) Firing() bool { return !in.FiredAt.IsZero() }

// name writes the rule id and the labels that tell instances of the rule
// apart: disk_free_below-1GB{host="web-1", mountpoint="/var"}.
func (in Instance) name(static map[string]string) string {
	ls := make(store.Labels, 0, len(in.Labels))
	for _, l := range store.FromMap(in.Labels) {
		_, fixed := static[l.Name]
		if !fixed && l.Name != LabelAlertName && l.Name != LabelSeverity {
			ls = append(ls, l)
		}
	}
	return in.Rule + ls.String()
}
