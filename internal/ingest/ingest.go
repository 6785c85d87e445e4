// Package ingest writes what arrives on the bus into the time-series store:
// probe results as the picket_probe_* series of each check (ingest.go),
// and agents' metric batches with a host label (agents*.go).
package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/store"
)

// Appender is the part of the store that ingest writes to.
type Appender interface {
	Append(ctx context.Context, samples []store.Sample) error
}

// LabelFunc returns the labels of a configured check (its own labels plus
// check and type) and false for a check that is no longer configured.
type LabelFunc func(check string) (map[string]string, bool)

// Results turns results into samples.
type Results struct {
	store  Appender
	labels LabelFunc
}

// NewResults returns an ingester writing to s with labels from fn.
func NewResults(s Appender, fn LabelFunc) *Results {
	return &Results{store: s, labels: fn}
}

// Handle writes one batch in a single append. Results of checks that were
// removed from the config meanwhile are dropped: their series would have
// no owner. It returns an error only when retrying the batch can help;
// samples the store rejects as invalid are counted there and dropped.
func (in *Results) Handle(ctx context.Context, batch []bus.Result) error {
	samples := make([]store.Sample, 0, len(batch)*4)
	for _, r := range batch {
		base, ok := in.labels(r.Check)
		if !ok {
			continue
		}
		samples = appendResult(samples, base, r)
	}
	if len(samples) == 0 {
		return nil
	}
	err := in.store.Append(ctx, samples)
	if errors.Is(err, store.ErrBadData) {
		// The store kept the valid samples and counted the rejected ones
		// (a zero start time, a bad metric name from an agent). Delivering
		// the batch again would reject them again, forever, and hold up
		// every later result.
		return nil
	}
	if err != nil {
		return fmt.Errorf("storing %d samples: %w", len(samples), err)
	}
	return nil
}

// appendResult adds the series of one result: picket_probe_up (1 only when
// up), picket_probe_status (0 down, 1 degraded, 2 up),
// picket_probe_duration_seconds and picket_probe_<name> for each
// probe-specific metric.
func appendResult(dst []store.Sample, base map[string]string, r bus.Result) []store.Sample {
	up := 0.0
	if r.Status == probe.StatusUp {
		up = 1
	}
	add := func(name string, v float64) {
		dst = append(dst, store.Sample{Labels: seriesLabels(base, name), T: r.Start, V: v})
	}
	add("picket_probe_up", up)
	add("picket_probe_status", r.Status.Value())
	add("picket_probe_duration_seconds", r.Duration.Seconds())
	for _, m := range r.Metrics {
		add("picket_probe_"+m.Name, m.Value)
	}
	return dst
}

func seriesLabels(base map[string]string, name string) store.Labels {
	m := make(map[string]string, len(base)+1)
	for k, v := range base {
		m[k] = v
	}
	m["__name__"] = name
	return store.FromMap(m)
}
