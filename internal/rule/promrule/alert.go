package promrule

import (
	"context"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/rule"
	"github.com/picket-monitor/picket/internal/store"
)

// evalAlert evaluates r at now and moves its instances on: a series seen
// for the first time becomes pending, a pending one fires once it has
// been seen for r.For, and an instance whose series is gone resolves.
func (e *Engine) evalAlert(ctx context.Context, r *alertRule, now time.Time) {
	samples, err := e.query(ctx, r.key(), r.Expr, now, r.Interval)
	if err == nil && len(samples) > MaxInstances {
		err = fmt.Errorf("%d series, more than the %d instances a rule may have", len(samples), MaxInstances)
	}
	var ids []string
	var labels []store.Labels
	seen := map[string]bool{}
	for _, s := range samples {
		ls := instanceLabels(r, s.Labels)
		id := InstanceID(r.ID, ls)
		if seen[id] && err == nil {
			err = fmt.Errorf("two series have the labels %s once the metric name is dropped and the rule's labels added", ls)
		}
		seen[id] = true
		ids, labels = append(ids, id), append(labels, ls)
	}
	if !e.done(r.key(), r.ID, now, err) {
		return
	}
	for i, id := range ids {
		e.active(ctx, r, id, labels[i], samples[i].V, now)
	}
	for id, in := range e.instancesOf(r.ID) {
		if !seen[id] {
			e.inactive(ctx, id, in, now, "resolved")
		}
	}
}

// active advances an instance whose series the rule returned.
func (e *Engine) active(ctx context.Context, r *alertRule, id string, ls store.Labels, v float64, now time.Time) {
	e.mu.Lock()
	in, known := e.instances[id]
	e.mu.Unlock()
	if !known {
		in = Instance{Rule: r.ID, ActiveAt: now}
	}
	in.Labels = ls.Map() // the severity label may have changed
	in.Value, in.Summary = v, r.summary(in.Labels, v)
	var change *rule.Change
	switch {
	case !in.Firing() && now.Sub(in.ActiveAt) >= r.For:
		in.FiredAt, in.Status = now, r.status
		change = &rule.Change{From: probe.StatusUp, To: r.status, Since: in.ActiveAt}
	case in.Firing() && in.Status != r.status: // a reload changed the severity
		change = &rule.Change{From: in.Status, To: r.status, Since: now}
		in.Status = r.status
	}
	if change != nil {
		change.Check, change.Kind, change.Time, change.Reason = id, rule.KindHard, now, in.Summary
	}
	e.commit(ctx, id, &in, change, !known || change != nil, nil)
}

// inactive ends an instance whose series is gone (or whose rule is): a
// firing one resolves with the reason given and its last summary.
func (e *Engine) inactive(ctx context.Context, id string, in Instance, now time.Time, why string) {
	var change *rule.Change
	if in.Firing() {
		reason := why
		if in.Summary != "" {
			reason += " (was: " + in.Summary + ")"
		}
		change = &rule.Change{Check: id, Kind: rule.KindHard, From: in.Status, To: probe.StatusUp,
			Time: now, Since: now, Reason: reason}
	}
	e.mu.Lock()
	static := map[string]string(nil)
	if r := e.set.byID[in.Rule]; r != nil {
		static = r.Labels
	}
	e.mu.Unlock()
	e.commit(ctx, id, nil, change, true, &goneInstance{in: in, static: static, at: now})
}

// commit hands change (if any) to the sink, then writes the instance (nil:
// deletes it) to the state store when write is set or an earlier write
// failed, then to memory. When the sink fails nothing changes, so the
// next evaluation tries again; when the store fails memory still moves
// on, and the write is tried again at the instance's next change or
// evaluation.
func (e *Engine) commit(ctx context.Context, id string, in *Instance, change *rule.Change, write bool, gone *goneInstance) {
	if change != nil {
		if err := e.sink(ctx, *change); err != nil {
			if ctx.Err() == nil {
				e.log.Warn("alert change not handed over", "instance", id, "to", change.To, "err", err)
			}
			return
		}
	}
	e.mu.Lock()
	write = write || e.unsaved[id]
	e.mu.Unlock()
	var err error
	switch {
	case write && in != nil:
		err = e.states.Put(ctx, id, *in)
	case write:
		err = e.states.Delete(ctx, id)
	}
	if err != nil {
		e.log.Warn("alert instance state not stored", "instance", id, "err", err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err != nil {
		e.unsaved[id] = true
	} else if write {
		delete(e.unsaved, id)
	}
	if in == nil {
		delete(e.instances, id)
		e.gone[id] = *gone
		return
	}
	e.instances[id] = *in
	delete(e.gone, id)
}

// instancesOf returns a copy of the instances of the rule with id.
func (e *Engine) instancesOf(id string) map[string]Instance {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := map[string]Instance{}
	for k, in := range e.instances {
		if in.Rule == id {
			out[k] = in
		}
	}
	return out
}

// resolveRemoved ends the instances whose rule is no longer configured.
func (e *Engine) resolveRemoved(ctx context.Context, now time.Time) {
	e.mu.Lock()
	orphans := map[string]Instance{}
	for id, in := range e.instances {
		if e.updated && e.set.byID[in.Rule] == nil {
			orphans[id] = in
		}
	}
	e.mu.Unlock()
	for id, in := range orphans {
		e.inactive(ctx, id, in, now, "rule "+in.Rule+" was removed from the config")
	}
}

// summary renders the summary annotation for an instance; without one it
// names the rule and the labels.
func (r *alertRule) summary(labels map[string]string, v float64) string {
	t, ok := r.annots[AnnotationSummary]
	if !ok {
		return Instance{Rule: r.ID, Labels: labels}.name(r.Labels) + " is firing"
	}
	return render(t, templateData{Labels: labels, Value: v})
}
