package store

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/prometheus/model/labels"
)

func TestLabels(t *testing.T) {
	m := map[string]string{"job": "api", MetricName: "up", "env": `a"b`}
	ls := FromMap(m)
	want := Labels{{MetricName, "up"}, {"env", `a"b`}, {"job", "api"}}
	if diff := cmp.Diff(want, ls); diff != "" {
		t.Errorf("FromMap (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(m, ls.Map()); diff != "" {
		t.Errorf("Map (-want +got):\n%s", diff)
	}
	if got, want := ls.String(), `up{env="a\"b", job="api"}`; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
	if got, want := (Labels{{"a", "1"}}).String(), `{a="1"}`; got != want {
		t.Errorf("String = %s, want %s", got, want)
	}
}

func TestNameValidation(t *testing.T) {
	tests := []struct {
		name         string
		metric, labl bool
	}{
		{"up", true, true},
		{"_x9", true, true},
		{"a:b", true, false},
		{":a", true, false},
		{"9a", false, false},
		{"a-b", false, false},
		{"", false, false},
		{"ä", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validMetricName(tt.name); got != tt.metric {
				t.Errorf("validMetricName = %v", got)
			}
			if got := validLabelName(tt.name); got != tt.labl {
				t.Errorf("validLabelName = %v", got)
			}
		})
	}
}

func TestRefCacheForgetsIdleSeries(t *testing.T) {
	now := base
	c := newRefCache(func() time.Time { return now }, time.Hour)
	busy, idle := series(MetricName, "busy"), series(MetricName, "idle")
	hb, hi := busy.hash(c.seed), idle.hash(c.seed)
	c.put(hb, cacheEntry{prom: busy.toProm(&labels.ScratchBuilder{}), ref: 1})
	c.put(hi, cacheEntry{prom: idle.toProm(&labels.ScratchBuilder{}), ref: 2})
	for range 3 {
		now = now.Add(61 * time.Minute)
		c.maybeRotate()
		if _, ok := c.get(hb, busy); !ok {
			t.Fatal("busy series forgotten")
		}
	}
	if _, ok := c.get(hi, idle); ok {
		t.Error("idle series still cached after two rotations")
	}
	if got := c.len(); got != 1 {
		t.Errorf("len = %d, want 1", got)
	}
}

func TestRefCacheCollision(t *testing.T) {
	c := newRefCache(time.Now, time.Hour)
	a, b := series(MetricName, "a"), series(MetricName, "b")
	c.put(7, cacheEntry{prom: a.toProm(&labels.ScratchBuilder{}), ref: 1})
	c.put(7, cacheEntry{prom: b.toProm(&labels.ScratchBuilder{}), ref: 2}) // same hash, other series: not cached
	if _, ok := c.get(7, b); ok {
		t.Error("get returned a colliding series")
	}
	if e, ok := c.get(7, a); !ok || e.ref != 1 {
		t.Errorf("get = %+v, %v; want ref 1", e, ok)
	}
}
