package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAppendRejectsInvalidLabels(t *testing.T) {
	good := Sample{Labels: series(MetricName, "ok"), T: at(0), V: 1}
	tests := []struct {
		name    string
		sample  Sample
		wantErr string
	}{
		{"no metric name", Sample{Labels: series("job", "x"), T: at(0)}, `series {job="x"}: missing metric name`},
		{"empty labels", Sample{T: at(0)}, `series {}: missing metric name`},
		{"bad metric name", Sample{Labels: series(MetricName, "1up"), T: at(0)}, `invalid metric name "1up"`},
		{"bad label name", Sample{Labels: series(MetricName, "up", "a-b", "x"), T: at(0)}, `invalid label name "a-b"`},
		{"label twice", Sample{Labels: Labels{{MetricName, "up"}, {"a", "1"}, {"a", "2"}}, T: at(0)}, `label "a" appears twice`},
		{"bad utf-8", Sample{Labels: series(MetricName, "up", "a", "\xff"), T: at(0)}, `not valid UTF-8`},
		{"no time", Sample{Labels: series(MetricName, "up")}, `up{}: sample has no time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, Options{})
			err := s.Append(context.Background(), []Sample{good, tt.sample})
			if !errors.Is(err, ErrBadData) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Append error = %v, want ErrBadData containing %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "rejected 1 of 2 samples") {
				t.Errorf("Append error = %v, want the count", err)
			}
			got, err := s.Query(context.Background(), `ok`, at(0))
			if err != nil || len(got.Vector) != 1 {
				t.Errorf("valid sample of the batch: got %+v, %v; want it stored", got, err)
			}
			if st := s.Stats(); st.SamplesRejected != 1 || st.SamplesAppended != 1 {
				t.Errorf("Stats = %+v, want 1 rejected, 1 appended", st)
			}
		})
	}
}

func TestAppendListsFewRejects(t *testing.T) {
	s := openStore(t, Options{})
	var batch []Sample
	for i := range 50 {
		batch = append(batch, Sample{Labels: series("i", strings.Repeat("x", i+1)), T: at(0)})
	}
	err := s.Append(context.Background(), batch)
	if got := strings.Count(err.Error(), "missing metric name"); got != maxListedRejects {
		t.Errorf("error names %d series, want %d: %v", got, maxListedRejects, err)
	}
}

func TestAppendSkipsOutOfOrderAndDuplicates(t *testing.T) {
	s := openStore(t, Options{})
	up := series(MetricName, "up")
	mustAppend(t, s, Sample{Labels: up, T: at(10), V: 1})
	mustAppend(t, s,
		Sample{Labels: up, T: at(5), V: 2},  // out of order
		Sample{Labels: up, T: at(10), V: 3}, // same time, another value
		Sample{Labels: up, T: at(20), V: 4},
	)
	got, err := s.QueryRange(context.Background(), `up`, at(0), at(20), 5*time.Second)
	if err != nil {
		t.Fatalf("QueryRange: %v", err)
	}
	want := []Series{{Labels: up, Points: []Point{{at(10), 1}, {at(15), 1}, {at(20), 4}}}}
	if diff := cmp.Diff(want, got.Matrix); diff != "" {
		t.Errorf("stored points (-want +got):\n%s", diff)
	}
	if st := s.Stats(); st.SamplesSkipped != 2 || st.SamplesAppended != 2 {
		t.Errorf("Stats = %+v, want 2 skipped, 2 appended", st)
	}
}

func TestAppendOutOfOrderWindow(t *testing.T) {
	s := openStore(t, Options{OutOfOrderWindow: time.Hour})
	up := series(MetricName, "up")
	mustAppend(t, s, Sample{Labels: up, T: at(60), V: 1})
	mustAppend(t, s, Sample{Labels: up, T: at(30), V: 2})
	got, err := s.Query(context.Background(), `count_over_time(up[5m])`, at(60))
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	if len(got.Vector) != 1 || got.Vector[0].V != 2 {
		t.Errorf("count_over_time = %+v, want 2 samples", got.Vector)
	}
}

func TestAppendNormalizesLabels(t *testing.T) {
	s := openStore(t, Options{})
	unsorted := Labels{{"job", "api"}, {"empty", ""}, {MetricName, "up"}}
	for sec := range 3 {
		mustAppend(t, s, Sample{Labels: unsorted, T: at(sec), V: 1})
	}
	got, err := s.Series(context.Background(), []string{`up`}, time.Time{}, time.Time{})
	if err != nil {
		t.Fatalf("Series: %v", err)
	}
	if diff := cmp.Diff([]Labels{series(MetricName, "up", "job", "api")}, got); diff != "" {
		t.Errorf("Series (-want +got):\n%s", diff)
	}
	if st := s.Stats(); st.CachedSeries != 1 || st.SamplesAppended != 3 {
		t.Errorf("Stats = %+v, want 1 cached series, 3 samples", st)
	}
}

func TestAppendCanceled(t *testing.T) {
	s := openStore(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Append(ctx, []Sample{{Labels: series(MetricName, "up"), T: at(0)}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Append error = %v, want context.Canceled", err)
	}
}

func TestAppendConcurrent(t *testing.T) {
	s := openStore(t, Options{})
	done := make(chan error)
	for w := range 4 {
		go func() {
			var err error
			for sec := 0; sec < 50 && err == nil; sec++ {
				err = s.Append(context.Background(), []Sample{
					{Labels: series(MetricName, "load", "worker", string(rune('a'+w))), T: at(sec), V: 1},
					{Labels: series(MetricName, "load", "shared", "yes"), T: at(sec), V: 1},
				})
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Errorf("Append: %v", err)
		}
	}
	if st := s.Stats(); st.HeadSeries != 5 || st.SamplesAppended+st.SamplesSkipped != 400 {
		t.Errorf("Stats = %+v, want 5 series and 400 samples stored or skipped", st)
	}
}
