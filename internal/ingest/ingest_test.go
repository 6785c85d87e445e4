package ingest_test

import (
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/ingest"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/store"
)

// t0 is when the first results of these tests started.
var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(store.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("store.Close: %v", err)
		}
	})
	return s
}

// checkLabels are the configured checks: web and db; any other check has
// been removed from the config.
func checkLabels() map[string]map[string]string {
	return map[string]map[string]string{
		"web": {"check": "web", "type": "http", "team": "payments", "env": "prod"},
		"db":  {"check": "db", "type": "tcp"},
	}
}

func labelFunc(m map[string]map[string]string) ingest.LabelFunc {
	return func(check string) (map[string]string, bool) {
		l, ok := m[check]
		return l, ok
	}
}

// series returns the labels of check's series name.
func series(check, name string) store.Labels {
	m := maps.Clone(checkLabels()[check])
	m[store.MetricName] = name
	return store.FromMap(m)
}

func query(t *testing.T, s *store.Store, expr string, ts time.Time) []store.Sample {
	t.Helper()
	v, err := s.Query(t.Context(), expr, ts)
	if err != nil {
		t.Fatalf("Query(%s): %v", expr, err)
	}
	if v.Type != store.ValueVector {
		t.Fatalf("Query(%s) gave a %s, want a vector", expr, v.Type)
	}
	return v.Vector
}

func TestHandleWritesSeries(t *testing.T) {
	s := openStore(t)
	labels := checkLabels()
	in := ingest.NewResults(s, labelFunc(labels))
	later := t0.Add(15 * time.Second)
	batch := []bus.Result{
		{Check: "web", Type: "http", Start: t0, Duration: 12 * time.Millisecond, Status: probe.StatusUp,
			Reason: "HTTP 200", Metrics: []probe.Metric{{Name: "http_status_code", Value: 200}}},
		{Check: "db", Type: "tcp", Start: t0, Duration: 3 * time.Second, Status: probe.StatusDown, Reason: "connection refused"},
		{Check: "gone", Type: "http", Start: t0, Duration: time.Millisecond, Status: probe.StatusUp},
		{Check: "web", Type: "http", Start: later, Duration: 1500 * time.Millisecond, Status: probe.StatusDegraded,
			Reason: "HTTP 503", Metrics: []probe.Metric{{Name: "http_status_code", Value: 503}}},
	}
	if err := in.Handle(t.Context(), batch); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if diff := cmp.Diff(checkLabels(), labels); diff != "" {
		t.Errorf("Handle changed the shared label maps (-want +got):\n%s", diff)
	}

	sample := func(check, name string, ts time.Time, v float64) store.Sample {
		return store.Sample{Labels: series(check, name), T: ts, V: v}
	}
	tests := []struct {
		name string
		expr string
		at   time.Time
		want []store.Sample
	}{
		{"up", "picket_probe_up", t0, []store.Sample{
			sample("db", "picket_probe_up", t0, 0), sample("web", "picket_probe_up", t0, 1)}},
		{"up when degraded", `picket_probe_up{check="web"}`, later, []store.Sample{
			sample("web", "picket_probe_up", later, 0)}},
		{"status up", `picket_probe_status{check="web"}`, t0, []store.Sample{
			sample("web", "picket_probe_status", t0, 2)}},
		{"status degraded", `picket_probe_status{check="web"}`, later, []store.Sample{
			sample("web", "picket_probe_status", later, 1)}},
		{"status down", `picket_probe_status{check="db"}`, t0, []store.Sample{
			sample("db", "picket_probe_status", t0, 0)}},
		{"duration", "picket_probe_duration_seconds", later, []store.Sample{
			sample("db", "picket_probe_duration_seconds", later, 3), sample("web", "picket_probe_duration_seconds", later, 1.5)}},
		{"probe metric", "picket_probe_http_status_code", later, []store.Sample{
			sample("web", "picket_probe_http_status_code", later, 503)}},
		{"probe metric before", "picket_probe_http_status_code", t0, []store.Sample{
			sample("web", "picket_probe_http_status_code", t0, 200)}},
		{"removed check", `{check="gone"}`, t0, nil},
		{"series count", `count({__name__=~"picket_probe_.+"})`, t0, []store.Sample{
			{Labels: store.Labels{}, T: t0, V: 7}}},
	}
	byLabels := cmpopts.SortSlices(func(a, b store.Sample) bool { return a.Labels.String() < b.Labels.String() })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := query(t, s, tt.expr, tt.at)
			if diff := cmp.Diff(tt.want, got, byLabels, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s at %v (-want +got):\n%s", tt.expr, tt.at, diff)
			}
		})
	}
}

func TestHandleDropsRemovedChecks(t *testing.T) {
	s := openStore(t)
	in := ingest.NewResults(s, labelFunc(checkLabels()))
	batch := []bus.Result{
		{Check: "gone", Type: "http", Start: t0, Status: probe.StatusUp},
		{Check: "gone-too", Type: "dns", Start: t0, Status: probe.StatusDown},
	}
	if err := in.Handle(t.Context(), batch); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if err := in.Handle(t.Context(), nil); err != nil {
		t.Fatalf("Handle(nil): %v", err)
	}
	if st := s.Stats(); st.SamplesAppended != 0 || st.HeadSeries != 0 {
		t.Errorf("store holds %d samples in %d series, want none", st.SamplesAppended, st.HeadSeries)
	}
}

// TestHandleInvalidSamples: a result the store cannot take (no start time,
// a metric name that is not a valid series name, as an agent might send)
// must not fail the batch: the consumer would deliver it again forever and
// hold up every later result.
func TestHandleInvalidSamples(t *testing.T) {
	s := openStore(t)
	in := ingest.NewResults(s, labelFunc(checkLabels()))
	batch := []bus.Result{
		{Check: "web", Type: "http", Status: probe.StatusUp}, // no start: 3 samples rejected
		{Check: "db", Type: "tcp", Start: t0, Status: probe.StatusUp, Metrics: []probe.Metric{{Name: "bad-name", Value: 1}}},
	}
	if err := in.Handle(t.Context(), batch); err != nil {
		t.Fatalf("Handle failed the batch, which would be redelivered forever: %v", err)
	}
	if got := s.Stats().SamplesRejected; got != 4 {
		t.Errorf("store rejected %d samples, want 4", got)
	}
	got := query(t, s, "picket_probe_up", t0)
	want := []store.Sample{{Labels: series("db", "picket_probe_up"), T: t0, V: 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("valid samples of the batch (-want +got):\n%s", diff)
	}
}

func TestHandleStoreFailure(t *testing.T) {
	s := openStore(t)
	in := ingest.NewResults(s, labelFunc(checkLabels()))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := in.Handle(ctx, []bus.Result{{Check: "web", Type: "http", Start: t0, Status: probe.StatusUp}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Handle = %v, want an error wrapping context.Canceled so the batch is retried", err)
	}
}
