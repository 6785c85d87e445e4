package promrule

import (
	"math"
	"testing"
)

func TestTemplates(t *testing.T) {
	tests := []struct {
		name, text string
		value      float64
		want       string
	}{
		{"labels and value", `{{ $labels.host }} at {{ $value }}`, 3.5, "web-1 at 3.5"},
		{"missing label", `[{{ $labels.nope }}]`, 0, "[]"},
		{"bytes", `{{ bytes $value }}`, 812_345_678, "812 MB"},
		{"bytes rounding up a unit", `{{ bytes $value }}`, 999_700, "1 MB"},
		{"small bytes", `{{ bytes $value }}`, 12, "12 B"},
		{"humanize", `{{ humanize $value }}`, 1234, "1.23k"},
		{"humanize small", `{{ humanize $value }}`, 0.012345, "0.0123"},
		{"humanize1024", `{{ humanize1024 $value }}`, 1536, "1.5Ki"},
		{"percentage", `{{ humanizePercentage $value }}`, 0.4567, "45.7%"},
		{"duration", `{{ humanizeDuration $value }}`, 3723, "1h2m3s"},
		{"duration of a label", `{{ humanizeDuration $labels.secs }}`, 0, "1m30s"},
		{"NaN", `{{ humanize $value }}`, math.NaN(), "NaN"},
		{"printf", `{{ printf "%.1f" $value }}%`, 93.25, "93.2%"},
		{"not a number", `{{ humanize $labels.host }}`, 0, `(annotation t failed: template: t:1:45: executing "t" at <humanize $labels.host>: error calling humanize: "web-1" is not a number)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl, err := parseTemplate("t", tc.text)
			if err != nil {
				t.Fatal(err)
			}
			got := render(tmpl, templateData{Labels: map[string]string{"host": "web-1", "secs": "90"}, Value: tc.value})
			if got != tc.want {
				t.Errorf("render = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestInstanceID(t *testing.T) {
	labels := series("x", "host", "web-1")[1:] // without the metric name
	long := "a-rule-whose-id-is-much-longer-than-the-forty-two-characters-kept"
	tests := []struct {
		name, rule, other string
	}{
		{"short", "disk", "disk2"},
		{"long ids that share 42 characters", long, long[:60] + "xx"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := InstanceID(tc.rule, labels)
			if !checkIDPattern.MatchString(id) || !IsInstanceID(id) {
				t.Errorf("InstanceID = %q, not a check id", id)
			}
			if again := InstanceID(tc.rule, labels); again != id {
				t.Errorf("InstanceID is not stable: %q then %q", id, again)
			}
			if other := InstanceID(tc.other, labels); other == id {
				t.Errorf("rules %q and %q share the id %q", tc.rule, tc.other, id)
			}
			if other := InstanceID(tc.rule, series("x", "host", "web-2")[1:]); other == id {
				t.Errorf("labels do not change the id %q", id)
			}
		})
	}
}
