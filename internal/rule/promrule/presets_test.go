package promrule

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/store"
)

func dur(d time.Duration) *time.Duration { return &d }

func TestPresetExpand(t *testing.T) {
	st := openStore(t)
	tests := []struct {
		name     string
		preset   Preset
		id       string
		severity string
		for_     time.Duration
		labels   map[string]string
	}{
		{"disk bytes", Preset{Use: "disk_free_below", Bytes: 1e9}, "disk_free_below-1GB", SeverityCritical, time.Minute, nil},
		{"disk binary bytes", Preset{Use: "disk_free_below", Bytes: 500 << 20}, "disk_free_below-500MiB", SeverityCritical, time.Minute, nil},
		{"disk percent", Preset{Use: "disk_free_below", Percent: 12.5}, "disk_free_below-12_5pct", SeverityCritical, time.Minute, nil},
		{"disk full", Preset{Use: "disk_full_within", Hours: 24}, "disk_full_within-24h", SeverityWarning, 30 * time.Minute, nil},
		{"memory", Preset{Use: "memory_above", Percent: 90}, "memory_above-90pct", SeverityWarning, 5 * time.Minute, nil},
		{"cpu with for", Preset{Use: "cpu_above", Percent: 90, For: dur(10 * time.Minute)}, "cpu_above-90pct", SeverityWarning, 10 * time.Minute, nil},
		{"load", Preset{Use: "load_above", PerCore: 2}, "load_above-2x", SeverityWarning, 5 * time.Minute, nil},
		{"process", Preset{Use: "process_missing", Name: "nginx"}, "process_missing-nginx", SeverityCritical, 0, map[string]string{"process": "nginx"}},
		{"any unit", Preset{Use: "unit_failed"}, "unit_failed", SeverityCritical, 0, nil},
		{"one unit", Preset{Use: "unit_failed", Unit: "nginx"}, "unit_failed-nginx_service", SeverityCritical, 0, nil},
		{"temperature", Preset{Use: "temperature_above", Celsius: 85}, "temperature_above-85c", SeverityWarning, 2 * time.Minute, nil},
		{"own id, severity, labels, for 0", Preset{Use: "disk_free_below", ID: "db-disk", Bytes: 1e9, For: dur(0),
			Severity: SeverityWarning, Hosts: []string{"db-1", "db.2"}, Labels: map[string]string{"team": "dba"}},
			"db-disk", SeverityWarning, 0, map[string]string{"team": "dba"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.preset.Expand()
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			got := []any{a.ID, a.Severity, a.For, a.Labels}
			if diff := cmp.Diff([]any{tc.id, tc.severity, tc.for_, tc.labels}, got); diff != "" {
				t.Errorf("id, severity, for, labels (-want +got):\n%s", diff)
			}
			if err := ParseByQuery(st).Parse(a.Expr); err != nil {
				t.Errorf("expr does not parse: %v\n%s", err, a.Expr)
			}
			if a.Annotations[AnnotationSummary] == "" {
				t.Errorf("no summary")
			}
		})
	}
}

// TestPresetExpr pins two expansions that docs/rules.md shows.
func TestPresetExpr(t *testing.T) {
	a, err := Preset{Use: "disk_free_below", Bytes: 1e9, Hosts: []string{"web-1", "db.2"}}.Expand()
	if err != nil {
		t.Fatal(err)
	}
	want := `max without (kind) (picket_host_filesystem_bytes{kind="avail", host=~"web-1|db\\.2"}) < 1000000000`
	if a.Expr != want {
		t.Errorf("expr\n got %s\nwant %s", a.Expr, want)
	}
	a, err = Preset{Use: "load_above", PerCore: 1.5}.Expand()
	if err != nil {
		t.Fatal(err)
	}
	if want := `picket_host_load5 > on (host) group_left () (1.5 * picket_host_cpu_cores)`; a.Expr != want {
		t.Errorf("expr\n got %s\nwant %s", a.Expr, want)
	}
}

func TestPresetErrors(t *testing.T) {
	tests := []struct {
		name   string
		preset Preset
		field  string // of the first problem
		msg    string // part of its text
	}{
		{"unknown", Preset{Use: "disk_free"}, "use", "unknown preset"},
		{"no threshold", Preset{Use: "disk_free_below"}, "bytes", "needs bytes"},
		{"both thresholds", Preset{Use: "disk_free_below", Bytes: 1, Percent: 5}, "percent", "not both"},
		{"percent too high", Preset{Use: "memory_above", Percent: 150}, "percent", "below 100"},
		{"temperature without celsius", Preset{Use: "temperature_above"}, "celsius", "above 0"},
		{"celsius not taken", Preset{Use: "cpu_above", Percent: 90, Celsius: 80}, "celsius", "does not take celsius"},
		{"percent missing", Preset{Use: "cpu_above"}, "percent", "above 0"},
		{"param not taken", Preset{Use: "memory_above", Percent: 90, Hours: 3}, "hours", "does not take hours"},
		{"no hours", Preset{Use: "disk_full_within"}, "hours", "needs hours"},
		{"NaN percent", Preset{Use: "memory_above", Percent: math.NaN()}, "percent", "above 0"},
		{"infinite load", Preset{Use: "load_above", PerCore: math.Inf(1)}, "per_core", "needs per_core"},
		{"short window", Preset{Use: "disk_full_within", Hours: 4, Window: 10 * time.Second}, "window", "at least 1m"},
		{"no per core", Preset{Use: "load_above"}, "per_core", "needs per_core"},
		{"no process", Preset{Use: "process_missing"}, "name", "needs the process name"},
		{"long process", Preset{Use: "process_missing", Name: "a-very-long-daemon"}, "name", `use "a-very-long-dae"`},
		{"unit takes no name", Preset{Use: "unit_failed", Name: "x"}, "name", "does not take name"},
		{"bad match", Preset{Use: "unit_failed", Match: map[string]string{"unit": "(["}}, "match.unit", "invalid regular expression"},
		{"bad match label", Preset{Use: "unit_failed", Match: map[string]string{"a-b": "x"}}, "match.a-b", "invalid label name"},
		{"empty host", Preset{Use: "unit_failed", Hosts: []string{""}}, "hosts.0", "empty host id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.preset.Expand()
			fe, ok := errors.AsType[*fielderr.Error](err)
			if !ok {
				t.Fatalf("Expand error = %v, want a *fielderr.Error", err)
			}
			if fe.Field != tc.field || !strings.Contains(fe.Err.Error(), tc.msg) {
				t.Errorf("error %q, want field %s with %q", err, tc.field, tc.msg)
			}
		})
	}
}

// TestPresetSeries runs each preset's PromQL on host series in a real
// store and checks which series it returns.
func TestPresetSeries(t *testing.T) {
	at := t0
	from := at.Add(-2 * time.Minute)
	steady := func(ls store.Labels, v float64) []store.Sample {
		return points(ls, from, at, time.Second, constant(v))
	}
	until := func(ls store.Labels, end time.Time, v float64) []store.Sample {
		return points(ls, from, end, time.Second, constant(v))
	}
	cpu := func(host, mode string, v float64) []store.Sample {
		return steady(series(collector.CPUPercent, "host", host, "cpu", "all", "mode", mode), v)
	}
	mem := func(host, kind string, v float64) []store.Sample {
		return steady(series(collector.MemoryBytes, "host", host, "kind", kind), v)
	}
	procs := func(host string) store.Labels { return series(collector.ProcessesTotal, "host", host) }
	nginx := func(host string) store.Labels { return series(collector.ProcessCount, "host", host, "name", "nginx") }
	unit := func(host, unit, state string) store.Labels {
		return series(collector.SystemdUnitState, "host", host, "unit", unit, "state", state)
	}
	units := [][]store.Sample{
		steady(unit("web-1", "nginx.service", "failed"), 1),
		steady(unit("web-1", "cron.service", "active"), 1),
		until(unit("web-2", "nginx.service", "failed"), at.Add(-10*time.Second), 1),
		points(unit("web-2", "nginx.service", "active"), at.Add(-9*time.Second), at, time.Second, constant(1)),
		steady(unit("web-3", "cron.service", "failed"), 1),
	}
	tests := []struct {
		name   string
		preset Preset
		data   [][]store.Sample
		want   []string // host/mountpoint/unit of each series returned
	}{
		{"disk bytes", Preset{Use: "disk_free_below", Bytes: 1e9}, [][]store.Sample{
			steady(fsAvail("web-1", "/var"), 800e6), steady(fsAvail("web-1", "/"), 5e9), steady(fsAvail("web-2", "/var"), 2e9),
		}, []string{"web-1 /var"}},
		{"disk bytes, one host", Preset{Use: "disk_free_below", Bytes: 1e9, Hosts: []string{"web-2"}}, [][]store.Sample{
			steady(fsAvail("web-1", "/var"), 800e6), steady(fsAvail("web-2", "/var"), 900e6),
		}, []string{"web-2 /var"}},
		{"disk percent, matched mounts", Preset{Use: "disk_free_below", Percent: 10, Match: map[string]string{"mountpoint": "/|/data"}}, [][]store.Sample{
			steady(fsAvail("web-1", "/"), 5e9), steady(fsSize("web-1", "/"), 100e9),
			steady(fsAvail("web-1", "/boot"), 1e6), steady(fsSize("web-1", "/boot"), 100e6),
			steady(fsAvail("web-2", "/"), 50e9), steady(fsSize("web-2", "/"), 100e9),
		}, []string{"web-1 /"}},
		{"disk full", Preset{Use: "disk_full_within", Hours: 24, Window: time.Hour}, [][]store.Sample{
			// 100 GB free, losing 10 GB an hour: full in 10 hours.
			points(fsAvail("web-1", "/data"), at.Add(-time.Hour), at, 10*time.Second,
				func(d time.Duration) float64 { return 100e9 - 10e9*d.Hours() }),
			// Losing 1 GB an hour: full in 100 hours.
			points(fsAvail("web-2", "/data"), at.Add(-time.Hour), at, 10*time.Second,
				func(d time.Duration) float64 { return 100e9 - 1e9*d.Hours() }),
			points(fsAvail("web-3", "/data"), at.Add(-time.Hour), at, 10*time.Second, constant(1e9)),
		}, []string{"web-1 /data"}},
		{"memory", Preset{Use: "memory_above", Percent: 90}, [][]store.Sample{
			mem("web-1", "available", 5e9), mem("web-1", "total", 100e9), mem("web-1", "free", 1e9),
			mem("web-2", "available", 50e9), mem("web-2", "total", 100e9),
		}, []string{"web-1"}},
		{"cpu", Preset{Use: "cpu_above", Percent: 90}, [][]store.Sample{
			cpu("web-1", "user", 80), cpu("web-1", "system", 15), cpu("web-1", "idle", 5),
			// Waiting for the disk is not busy.
			cpu("web-2", "user", 50), cpu("web-2", "iowait", 45), cpu("web-2", "idle", 5),
			steady(series(collector.CPUPercent, "host", "web-3", "cpu", "0", "mode", "user"), 100),
		}, []string{"web-1"}},
		{"load", Preset{Use: "load_above", PerCore: 2}, [][]store.Sample{
			steady(series(collector.Load5, "host", "web-1"), 9), steady(series(collector.CPUCores, "host", "web-1"), 4),
			steady(series(collector.Load5, "host", "web-2"), 9), steady(series(collector.CPUCores, "host", "web-2"), 8),
		}, []string{"web-1"}},
		{"process", Preset{Use: "process_missing", Name: "nginx"}, [][]store.Sample{
			steady(procs("web-1"), 100), steady(nginx("web-1"), 2),
			steady(procs("web-2"), 100),                                                    // never had it
			steady(procs("web-3"), 100), until(nginx("web-3"), at.Add(-10*time.Second), 1), // it stopped
			steady(procs("web-4"), 100), steady(nginx("web-4"), 0),
			// The whole agent stopped: the host check tells, not this rule.
			until(procs("web-5"), at.Add(-time.Minute), 100), until(nginx("web-5"), at.Add(-time.Minute), 1),
		}, []string{"web-2", "web-3", "web-4"}},
		{"any unit", Preset{Use: "unit_failed"}, units, []string{"web-1 nginx.service", "web-3 cron.service"}},
		{"one unit", Preset{Use: "unit_failed", Unit: "nginx.service"}, units, []string{"web-1 nginx.service"}},
		{"temperature", Preset{Use: "temperature_above", Celsius: 85}, [][]store.Sample{
			steady(series(collector.TemperatureCelsius, "host", "web-1", "chip", "coretemp", "sensor", "Core 0"), 91.5),
			steady(series(collector.TemperatureCelsius, "host", "web-1", "chip", "coretemp", "sensor", "Core 1"), 60),
			steady(series(collector.TemperatureCelsius, "host", "web-2", "chip", "nvme", "sensor", "Composite"), 40),
		}, []string{"web-1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			write(t, st, tc.data...)
			a, err := tc.preset.Expand()
			if err != nil {
				t.Fatalf("Expand: %v", err)
			}
			v, err := st.Query(t.Context(), a.Expr, at)
			if err != nil {
				t.Fatalf("Query: %v\n%s", err, a.Expr)
			}
			var got []string
			for _, s := range v.Vector {
				got = append(got, strings.Join(strings.Fields(
					s.Labels.Get("host")+" "+s.Labels.Get("mountpoint")+" "+s.Labels.Get("unit")), " "))
			}
			slices.Sort(got)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("series (-want +got):\n%s\n%s", diff, a.Expr)
			}
		})
	}
}
