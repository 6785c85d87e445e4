package promapi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"
)

// newClient returns Prometheus's own Go client pointed at the Handler.
func newClient(t *testing.T) v1.API {
	t.Helper()
	srv, _ := newServer(t)
	c, err := api.NewClient(api.Config{Address: srv.URL + "/prometheus", Client: srv.Client()})
	if err != nil {
		t.Fatalf("api.NewClient: %v", err)
	}
	return v1.NewAPI(c)
}

var (
	upAPI = model.Metric{"__name__": "up", "job": "api"}
	upDB  = model.Metric{"__name__": "up", "job": "db"}
	temp  = model.Metric{"__name__": "temp", "room": "a<b"}
)

func TestClientQuery(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	ts := model.TimeFromUnix(base.Unix() + 60)
	tests := []struct {
		expr string
		want model.Value
	}{
		{`up`, model.Vector{{Metric: upAPI, Value: 1, Timestamp: ts}, {Metric: upDB, Value: 0, Timestamp: ts}}},
		{`sum(up) + 0.5`, model.Vector{{Metric: model.Metric{}, Value: 1.5, Timestamp: ts}}},
		{`2 ^ 10`, &model.Scalar{Value: 1024, Timestamp: ts}},
		{`up{job="db"}[15s]`, model.Matrix{{Metric: upDB, Values: []model.SamplePair{{Timestamp: ts - 10000, Value: 0}, {Timestamp: ts, Value: 0}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			got, warnings, infos, err := c.Query(ctx, tt.expr, ts.Time())
			if err != nil || len(warnings) > 0 || len(infos) > 0 {
				t.Fatalf("Query: %v (warnings %v, infos %v)", err, warnings, infos)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Query(%q) (-want +got):\n%s", tt.expr, diff)
			}
		})
	}
}

func TestClientQueryRange(t *testing.T) {
	c := newClient(t)
	r := v1.Range{Start: base, End: base.Add(time.Minute), Step: 30 * time.Second}
	got, _, _, err := c.QueryRange(context.Background(), `up{job="api"} * 2`, r)
	if err != nil {
		t.Fatalf("QueryRange: %v", err)
	}
	t0 := model.TimeFromUnix(base.Unix())
	want := model.Matrix{{Metric: model.Metric{"job": "api"}, Values: []model.SamplePair{
		{Timestamp: t0, Value: 2}, {Timestamp: t0 + 30000, Value: 2}, {Timestamp: t0 + 60000, Value: 2},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("QueryRange (-want +got):\n%s", diff)
	}
}

func TestClientMetadata(t *testing.T) {
	c := newClient(t)
	ctx := context.Background()
	series, _, _, err := c.Series(ctx, []string{`up`, `temp`}, base, base.Add(time.Minute))
	if err != nil {
		t.Fatalf("Series: %v", err)
	}
	if diff := cmp.Diff([]model.LabelSet{model.LabelSet(temp), model.LabelSet(upAPI), model.LabelSet(upDB)}, series); diff != "" {
		t.Errorf("Series (-want +got):\n%s", diff)
	}
	names, _, _, err := c.LabelNames(ctx, nil, time.Time{}, time.Time{})
	if err != nil {
		t.Fatalf("LabelNames: %v", err)
	}
	if diff := cmp.Diff(model.LabelNames{"__name__", "job", "room"}, names); diff != "" {
		t.Errorf("LabelNames (-want +got):\n%s", diff)
	}
	values, _, _, err := c.LabelValues(ctx, "job", []string{`up`}, time.Time{}, time.Time{})
	if err != nil {
		t.Fatalf("LabelValues: %v", err)
	}
	if diff := cmp.Diff(model.LabelValues{"api", "db"}, values); diff != "" {
		t.Errorf("LabelValues (-want +got):\n%s", diff)
	}
	info, err := c.Buildinfo(ctx)
	if err != nil || info.Version == "" {
		t.Errorf("Buildinfo = %+v, %v", info, err)
	}
}

func TestClientErrors(t *testing.T) {
	c := newClient(t)
	tests := []struct {
		expr     string
		wantType v1.ErrorType
	}{
		{`sum(`, v1.ErrBadData},
		{`up + on() up`, v1.ErrExec},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			_, _, _, err := c.Query(context.Background(), tt.expr, base)
			var apiErr *v1.Error
			if !errors.As(err, &apiErr) || apiErr.Type != tt.wantType {
				t.Errorf("Query(%q) error = %#v, want type %s", tt.expr, err, tt.wantType)
			}
		})
	}
}
