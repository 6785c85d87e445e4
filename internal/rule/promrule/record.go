package promrule

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// staleNaN is the value that tells PromQL a series has ended (Prometheus's
// staleness marker): a query no longer finds the series from that time
// on, instead of finding its last sample for the lookback period.
var staleNaN = math.Float64frombits(0x7ff0000000000002)

// evalRecord evaluates r at now and stores the result as series named
// r.Record, with r's labels; series it stored last time and not now get a
// staleness marker.
func (e *Engine) evalRecord(ctx context.Context, r *recordRule, now time.Time) {
	key := r.key()
	samples, err := e.query(ctx, key, r.Expr, now, r.Interval)
	out := make([]store.Sample, 0, len(samples))
	written := make(map[string]store.Labels, len(samples))
	for _, s := range samples {
		ls := recordLabels(r, s.Labels)
		k := ls.String()
		if _, dup := written[k]; dup && err == nil {
			err = fmt.Errorf("two series have the labels %s once renamed and the rule's labels added", ls)
		}
		written[k] = ls
		out = append(out, store.Sample{Labels: ls, T: now, V: s.V})
	}
	if err != nil {
		e.done(key, r.Record, now, err)
		return
	}
	e.mu.Lock()
	for k, ls := range e.recorded[key] {
		if _, ok := written[k]; !ok {
			out = append(out, store.Sample{Labels: ls, T: now, V: staleNaN})
		}
	}
	e.mu.Unlock()
	err = e.a.Append(ctx, out)
	e.done(key, r.Record, now, err)
	if err != nil && !errors.Is(err, store.ErrBadData) {
		return // nothing was stored: mark the same series stale next time
	}
	e.mu.Lock()
	e.recorded[key] = written
	e.mu.Unlock()
}

// recordLabels returns the labels of the series a recording rule stores
// for a result series: its labels, r's labels over them, named r.Record.
func recordLabels(r *recordRule, series store.Labels) store.Labels {
	m := series.Map()
	for k, v := range r.Labels {
		m[k] = v
	}
	m[store.MetricName] = r.Record
	return store.FromMap(m)
}
