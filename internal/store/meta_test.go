package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fillMeta stores up{job=api}, up{job=db} over the first minute and
// disk_free{host=h1,mount=/} at 1h.
func fillMeta(t *testing.T, s *Store) {
	t.Helper()
	fillUp(t, s)
	mustAppend(t, s, Sample{Labels: series(MetricName, "disk_free", "host", "h1", "mount", "/"), T: at(3600), V: 5})
}

func TestSeries(t *testing.T) {
	s := openStore(t, Options{})
	fillMeta(t, s)
	api, db := series(MetricName, "up", "job", "api"), series(MetricName, "up", "job", "db")
	disk := series(MetricName, "disk_free", "host", "h1", "mount", "/")
	tests := []struct {
		name       string
		matchers   []string
		start, end time.Time
		want       []Labels
	}{
		{"one selector", []string{`up`}, time.Time{}, time.Time{}, []Labels{api, db}},
		{"label matcher", []string{`{job="db"}`}, time.Time{}, time.Time{}, []Labels{db}},
		{"union sorted", []string{`up{job="db"}`, `disk_free`, `up`}, time.Time{}, time.Time{}, []Labels{disk, api, db}},
		{"time range", []string{`{__name__=~".+"}`}, at(600), at(7200), []Labels{disk}},
		{"no match", []string{`nothing`}, time.Time{}, time.Time{}, []Labels{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Series(context.Background(), tt.matchers, tt.start, tt.end)
			if err != nil {
				t.Fatalf("Series: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Series (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLabelNamesAndValues(t *testing.T) {
	s := openStore(t, Options{})
	fillMeta(t, s)
	ctx := context.Background()
	tests := []struct {
		name       string
		label      string // "" asks for names
		matchers   []string
		start, end time.Time
		want       []string
	}{
		{"all names", "", nil, time.Time{}, time.Time{}, []string{MetricName, "host", "job", "mount"}},
		{"names of up", "", []string{`up`}, time.Time{}, time.Time{}, []string{MetricName, "job"}},
		{"names of two", "", []string{`up`, `disk_free`}, time.Time{}, time.Time{}, []string{MetricName, "host", "job", "mount"}},
		{"metric names", MetricName, nil, time.Time{}, time.Time{}, []string{"disk_free", "up"}},
		{"jobs", "job", []string{`up{job!="api"}`}, time.Time{}, time.Time{}, []string{"db"}},
		{"unknown label", "nope", nil, time.Time{}, time.Time{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var err error
			if tt.label == "" {
				got, err = s.LabelNames(ctx, tt.matchers, tt.start, tt.end)
			} else {
				got, err = s.LabelValues(ctx, tt.label, tt.matchers, tt.start, tt.end)
			}
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestMetaBadData(t *testing.T) {
	s := openStore(t, Options{})
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"series without matchers", func() error { _, err := s.Series(ctx, nil, time.Time{}, time.Time{}); return err }},
		{"series bad selector", func() error { _, err := s.Series(ctx, []string{`up{`}, time.Time{}, time.Time{}); return err }},
		{"series matches everything", func() error {
			_, err := s.Series(ctx, []string{`{job=~".*"}`}, time.Time{}, time.Time{})
			return err
		}},
		{"names bad selector", func() error { _, err := s.LabelNames(ctx, []string{`sum(up)`}, time.Time{}, time.Time{}); return err }},
		{"values empty name", func() error { _, err := s.LabelValues(ctx, "", nil, time.Time{}, time.Time{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrBadData) {
				t.Errorf("error = %v, want ErrBadData", err)
			}
		})
	}
}
