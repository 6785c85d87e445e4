package promrule

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// problem is one *fielderr.Error of a Compile error, as field and text.
type problem struct{ field, msg string }

func problems(t *testing.T, err error) []problem {
	t.Helper()
	var out []problem
	for _, e := range fielderr.Leaves(err) {
		fe, ok := errors.AsType[*fielderr.Error](e)
		if !ok {
			t.Fatalf("problem %q is not a *fielderr.Error", e)
		}
		out = append(out, problem{fe.Field, fe.Err.Error()})
	}
	return out
}

func TestCompileErrors(t *testing.T) {
	st := openStore(t)
	good := AlertRule{ID: "a", Expr: "up == 0"}
	with := func(f func(*AlertRule)) AlertRule { a := good; f(&a); return a }
	tests := []struct {
		name string
		cfg  Config
		want []problem // field and a part of the message, in order
	}{
		{"broken expr with its position", Config{Alerts: []AlertRule{with(func(a *AlertRule) { a.Expr = "sum(rate(x[5m])" })}},
			[]problem{{"alerts.0.expr", "1:"}}},
		{"missing expr", Config{Alerts: []AlertRule{with(func(a *AlertRule) { a.Expr = "" })}},
			[]problem{{"alerts.0.expr", "missing"}}},
		{"bad id", Config{Alerts: []AlertRule{with(func(a *AlertRule) { a.ID = "a b" })}},
			[]problem{{"alerts.0.id", "invalid rule id"}}},
		{"id taken by a preset", Config{Alerts: []AlertRule{with(func(a *AlertRule) { a.ID = "unit_failed" })},
			Presets: []Preset{{Use: "unit_failed"}}},
			[]problem{{"presets.0.id", "taken by alerts.0"}}},
		{"many problems", Config{Interval: time.Millisecond, Alerts: []AlertRule{with(func(a *AlertRule) {
			a.For, a.Severity, a.Interval = -time.Second, "page", time.Millisecond
			a.Labels = map[string]string{"severity": "x", "bad-name": "y", "empty": ""}
			a.Annotations = map[string]string{"summary": "{{ .Nope"}
		})}}, []problem{
			{"interval", "at least 1s"},
			{"alerts.0.interval", "at least 1s"},
			{"alerts.0.labels.bad-name", "invalid label name"},
			{"alerts.0.labels.empty", "empty value"},
			{"alerts.0.labels.severity", "set by Picket"},
			{"alerts.0.for", "negative"},
			{"alerts.0.severity", "unknown severity"},
			{"alerts.0.annotations.summary", "unclosed action"},
		}},
		{"preset problem", Config{Presets: []Preset{{Use: "disk_free_below", Bytes: 1e9, Percent: 5}}},
			[]problem{{"presets.0.percent", "not both"}}},
		{"record", Config{Records: []RecordRule{{Record: "a-b", Expr: "up +"}}},
			[]problem{{"records.0.record", "invalid metric name"}, {"records.0.expr", "parse error"}}},
		{"same record twice", Config{Records: []RecordRule{{Record: "a", Expr: "up"}, {Record: "a", Expr: "up"}}},
			[]problem{{"records.1.record", "same record, expr and labels as records.0"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compile(tc.cfg, ParseByQuery(st))
			got := problems(t, err)
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%v\nwant %d: %v", err, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if got[i].field != w.field || !strings.Contains(got[i].msg, w.msg) {
					t.Errorf("problem %d = %s: %s, want %s with %q", i, got[i].field, got[i].msg, w.field, w.msg)
				}
			}
		})
	}
}

// TestCompileParseError checks that a broken expression is refused with
// the parser's position, ready for config to turn into a line.
func TestCompileParseError(t *testing.T) {
	st := openStore(t)
	_, err := Compile(Config{Alerts: []AlertRule{{ID: "x", Expr: "rate(x[5m]) >"}}}, ParseByQuery(st))
	if err == nil || !regexp.MustCompile(`^alerts\.0\.expr: 1:\d+: parse error: `).MatchString(err.Error()) {
		t.Errorf("Compile error = %v, want alerts.0.expr: 1:<column>: parse error: ...", err)
	}
}

// TestExampleConfig decodes the example of docs/rules.md strictly and
// compiles it.
func TestExampleConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/rules.yaml")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := os.ReadFile("../../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(docs, data) {
		t.Errorf("docs/rules.md does not show testdata/rules.yaml as it is")
	}
	var doc struct {
		Rules Config `yaml:"rules"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	set := compile(t, openStore(t), doc.Rules)
	var ids []string
	for _, a := range set.Alerts() {
		ids = append(ids, a.ID)
	}
	want := []string{"api-slow", "disk_free_below-1GB", "disk_free_below-10pct", "disk_full_within-24h",
		"memory_above-90pct", "cpu_above-90pct", "load_above-2x", "process_missing-nginx", "unit_failed", "db-unit"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("alert ids (-want +got):\n%s", diff)
	}
	if got := set.Alerts()[5].For; got != 10*time.Minute {
		t.Errorf("cpu_above for = %v, want 10m", got)
	}
	if got := set.Records()[0].Interval; got != 30*time.Second {
		t.Errorf("record interval = %v, want 30s", got)
	}
}
