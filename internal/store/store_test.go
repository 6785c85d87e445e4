package store

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// base is the time of the first test sample; fixed so results are exact.
var base = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func openStore(t *testing.T, opts Options) *Store {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func mustAppend(t *testing.T, s *Store, samples ...Sample) {
	t.Helper()
	if err := s.Append(context.Background(), samples); err != nil {
		t.Fatalf("Append: %v", err)
	}
}

func series(kv ...string) Labels {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return FromMap(m)
}

func at(sec int) time.Time { return base.Add(time.Duration(sec) * time.Second) }

// fillUp appends up{job="api"} = 1 and up{job="db"} = 0 every 10s for a minute.
func fillUp(t *testing.T, s *Store) {
	t.Helper()
	for sec := 0; sec <= 60; sec += 10 {
		mustAppend(t, s,
			Sample{Labels: series(MetricName, "up", "job", "api"), T: at(sec), V: 1},
			Sample{Labels: series(MetricName, "up", "job", "db"), T: at(sec), V: 0},
		)
	}
}

func TestOpenNeedsDir(t *testing.T) {
	if _, err := Open(Options{}); err == nil {
		t.Fatal("Open without Dir: got no error")
	}
}

func TestReopenKeepsData(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	fillUp(t, s)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = openStore(t, Options{Dir: dir})
	got, err := s.Query(context.Background(), `sum(up)`, at(60))
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	want := Value{Type: ValueVector, Vector: []Sample{{Labels: Labels{}, T: at(60), V: 1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after reopen (-want +got):\n%s", diff)
	}
}

func TestRetention(t *testing.T) {
	s := openStore(t, Options{Retention: time.Hour})
	old, newer := series(MetricName, "m", "age", "old"), series(MetricName, "m", "age", "new")
	mustAppend(t, s, Sample{Labels: old, T: at(0), V: 1})
	for _, h := range []int{10, 20, 30} {
		mustAppend(t, s, Sample{Labels: newer, T: at(h * 3600), V: float64(h)})
	}
	// Compact cuts the head into blocks now instead of within the next
	// minute; retention then drops blocks that end an hour before the newest.
	if err := s.db.Compact(context.Background()); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	got, err := s.Series(context.Background(), []string{`m`}, time.Time{}, time.Time{})
	if err != nil {
		t.Fatalf("Series: %v", err)
	}
	if diff := cmp.Diff([]Labels{newer}, got); diff != "" {
		t.Errorf("series after retention (-want +got):\n%s", diff)
	}
}

func TestStats(t *testing.T) {
	s := openStore(t, Options{})
	fillUp(t, s)
	got := s.Stats()
	want := Stats{HeadSeries: 2, SamplesAppended: 14, CachedSeries: 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Stats (-want +got):\n%s", diff)
	}
}

// TestPrometheusVersion keeps PrometheusVersion in step with go.mod:
// module version v0.3XX.Y is Prometheus release 3.XX.Y.
func TestPrometheusVersion(t *testing.T) {
	gomod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatalf("reading go.mod: %v", err)
	}
	const module = "github.com/prometheus/prometheus v0."
	_, rest, ok := strings.Cut(string(gomod), module)
	if !ok {
		t.Fatalf("go.mod does not require %s...", module)
	}
	v, _, _ := strings.Cut(rest, "\n")
	want := v[:1] + "." + strings.TrimPrefix(v[1:], "0")
	if PrometheusVersion != want {
		t.Errorf("PrometheusVersion = %q, go.mod's v0.%s means %q", PrometheusVersion, v, want)
	}
}

func TestErrorKinds(t *testing.T) {
	kinds := []error{ErrBadData, ErrTimeout, ErrCanceled, ErrExecution, ErrInternal}
	err := withKind(ErrTimeout, errors.New("query timed out"))
	for _, k := range kinds {
		if got := errors.Is(err, k); got != (k == ErrTimeout) {
			t.Errorf("errors.Is(err, %v) = %v", k, got)
		}
	}
	if err.Error() != "query timed out" {
		t.Errorf("text = %q, want the underlying error's", err)
	}
}
