package promrule

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// RuleStats are the counters of one rule.
type RuleStats struct {
	Rule        string    // the alerting rule's id or the recorded metric
	Evaluations uint64    // evaluations since the rule was loaded
	Failures    uint64    // of which failed (the query, or storing the result)
	LastEval    time.Time // the latest evaluation
	LastError   string    // the latest failure's error, "" after a success
}

// query evaluates expr at now, bounded by the rule's interval, and
// returns its samples; a scalar result is one sample without labels.
func (e *Engine) query(ctx context.Context, key, expr string, now time.Time, interval time.Duration) ([]store.Sample, error) {
	qctx, cancel := context.WithTimeout(ctx, interval)
	defer cancel()
	v, err := e.q.Query(qctx, expr, now)
	if err != nil {
		return nil, err
	}
	switch v.Type {
	case store.ValueVector:
		return v.Vector, nil
	case store.ValueScalar:
		return []store.Sample{{T: now, V: v.Scalar.V}}, nil
	}
	return nil, fmt.Errorf("the result is a %s, not a vector", v.Type)
}

// done counts an evaluation of the rule with key (and name, for Stats)
// and reports whether it
// succeeded. A failure is logged when its error differs from the
// previous evaluation's, so a rule that keeps failing logs once.
func (e *Engine) done(key, name string, now time.Time, err error) bool {
	e.mu.Lock()
	st := e.stats[key]
	if st == nil {
		st = &RuleStats{Rule: name}
		e.stats[key] = st
	}
	st.Evaluations++
	st.LastEval = now
	prev := st.LastError
	st.LastError = ""
	if err != nil {
		st.Failures++
		st.LastError = err.Error()
	}
	e.mu.Unlock()
	if err != nil && err.Error() != prev {
		e.log.Warn("rule evaluation failed", "rule", key, "err", err)
	}
	return err == nil
}

// Stats returns the counters of every configured rule that has been
// evaluated, recording rules first, each kind in config order.
func (e *Engine) Stats() []RuleStats {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []RuleStats
	for _, r := range e.set.records {
		if st := e.stats[r.key()]; st != nil {
			out = append(out, *st)
		}
	}
	for _, r := range e.set.alerts {
		if st := e.stats[r.key()]; st != nil {
			out = append(out, *st)
		}
	}
	return out
}

// Describe tells what the alert instance with check id is: a name made of
// its rule id and the labels that set it apart
// (disk_free_below-1GB{host="web-1", mountpoint="/var"}), its latest
// summary, and all its labels. ok is false for an id that is not a
// pending or firing instance, nor one resolved in the last 24 hours.
func (e *Engine) Describe(id string) (name, summary string, labels map[string]string, ok bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in, found := e.instances[id]; found {
		var static map[string]string
		if r := e.set.byID[in.Rule]; r != nil {
			static = r.Labels
		}
		return in.name(static), in.Summary, maps.Clone(in.Labels), true
	}
	if g, found := e.gone[id]; found {
		return g.in.name(g.static), g.in.Summary, maps.Clone(g.in.Labels), true
	}
	return "", "", nil, false
}

// Instances returns the pending and firing alert instances by id, for
// listing (Prometheus's /api/v1/alerts).
func (e *Engine) Instances() map[string]Instance {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]Instance, len(e.instances))
	for id, in := range e.instances {
		in.Labels = maps.Clone(in.Labels)
		out[id] = in
	}
	return out
}
