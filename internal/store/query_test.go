package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestQuery(t *testing.T) {
	s := openStore(t, Options{})
	fillUp(t, s)
	api, db := series(MetricName, "up", "job", "api"), series(MetricName, "up", "job", "db")
	tests := []struct {
		expr string
		ts   time.Time
		want Value
	}{
		{`up`, at(30), Value{Type: ValueVector, Vector: []Sample{{api, at(30), 1}, {db, at(30), 0}}}},
		{`up == 0`, at(35), Value{Type: ValueVector, Vector: []Sample{{db, at(35), 0}}}},
		{`sum by (job) (up)`, at(60), Value{Type: ValueVector, Vector: []Sample{
			{series("job", "api"), at(60), 1}, {series("job", "db"), at(60), 0},
		}}},
		{`up{job="none"}`, at(30), Value{Type: ValueVector, Vector: []Sample{}}},
		{`up`, at(-600), Value{Type: ValueVector, Vector: []Sample{}}},
		{`up[25s]`, at(60), Value{Type: ValueMatrix, Matrix: []Series{
			{api, []Point{{at(40), 1}, {at(50), 1}, {at(60), 1}}},
			{db, []Point{{at(40), 0}, {at(50), 0}, {at(60), 0}}},
		}}},
		{`1 + 1`, at(5), Value{Type: ValueScalar, Scalar: Point{at(5), 2}}},
		{`"picket"`, at(5), Value{Type: ValueString, String: StringValue{at(5), "picket"}}},
		{`rate(up[1m])`, at(60), Value{Type: ValueVector,
			Vector: []Sample{{series("job", "api"), at(60), 0}, {series("job", "db"), at(60), 0}},
			Infos:  []string{`PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "up" (1:6)`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, err := s.Query(context.Background(), tt.expr, tt.ts)
			if err != nil {
				t.Fatalf("Query: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Query(%q) (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestQueryRange(t *testing.T) {
	s := openStore(t, Options{})
	fillUp(t, s)
	got, err := s.QueryRange(context.Background(), `sum(up) * 2`, at(-20), at(40), 20*time.Second)
	if err != nil {
		t.Fatalf("QueryRange: %v", err)
	}
	want := Value{Type: ValueMatrix, Matrix: []Series{
		{Labels: Labels{}, Points: []Point{{at(0), 2}, {at(20), 2}, {at(40), 2}}},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("QueryRange (-want +got):\n%s", diff)
	}
}

func TestQueryErrors(t *testing.T) {
	s := openStore(t, Options{MaxSamples: 5})
	fillUp(t, s)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer cancel2()
	tests := []struct {
		name     string
		ctx      context.Context
		expr     string
		wantKind error
		wantText string
	}{
		{"parse error", context.Background(), `sum(up`, ErrBadData, "1:7: parse error: unclosed left parenthesis"},
		{"unknown function", context.Background(), `nope(up)`, ErrBadData, `1:1: parse error: unknown function with name "nope"`},
		{"too many samples", context.Background(), `up[1m]`, ErrExecution, "query processing would load too many samples"},
		{"canceled", canceled, `up`, ErrCanceled, "query was canceled"},
		{"timeout", expired, `up`, ErrTimeout, "query timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Query(tt.ctx, tt.expr, at(60))
			if !errors.Is(err, tt.wantKind) || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Query(%q) error = %v, want %v containing %q", tt.expr, err, tt.wantKind, tt.wantText)
			}
		})
	}
}

func TestQueryRangeBadArguments(t *testing.T) {
	s := openStore(t, Options{})
	tests := []struct {
		name       string
		start, end time.Time
		step       time.Duration
	}{
		{"zero step", at(0), at(10), 0},
		{"negative step", at(0), at(10), -time.Second},
		{"end before start", at(10), at(0), time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.QueryRange(context.Background(), `up`, tt.start, tt.end, tt.step)
			if !errors.Is(err, ErrBadData) {
				t.Errorf("QueryRange error = %v, want ErrBadData", err)
			}
		})
	}
}

func TestParse(t *testing.T) {
	s := openStore(t, Options{})
	if err := s.Parse(`rate(picket_host_cpu_percent[5m]) > 90`); err != nil {
		t.Errorf("Parse(valid) = %v", err)
	}
	err := s.Parse(`sum(rate(x[5m])`)
	if !errors.Is(err, ErrBadData) || !strings.Contains(err.Error(), "1:") {
		t.Errorf("Parse(invalid) = %v, want ErrBadData with a position", err)
	}
}
