package mute

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		w    Window
		want []string // fields named by the errors, in order
		msg  string   // part of the message
	}{
		{"one-off ok", Window{ID: "w", Start: "2026-06-01 22:00", Duration: time.Hour}, nil, ""},
		{"missing id", Window{Start: "2026-06-01 22:00", Duration: time.Hour}, []string{"id"}, "required"},
		{"no kind", Window{ID: "w", Duration: time.Hour}, []string{"start"}, "want one of start (one-off), daily, weekly, monthly or cron"},
		{"two kinds", Window{ID: "w", Cron: "0 2 * * *", Daily: &Daily{At: "02:00"}, Duration: time.Hour},
			[]string{"cron"}, "daily and cron cannot be combined"},
		{"unknown zone", Window{ID: "w", Daily: &Daily{At: "02:00"}, Duration: time.Hour, Timezone: "Mars/Olympus"},
			[]string{"timezone"}, `unknown time zone "Mars/Olympus"`},
		{"bad start", Window{ID: "w", Start: "tomorrow", Duration: time.Hour}, []string{"start"}, `invalid time "tomorrow"`},
		{"one-off without duration or end", Window{ID: "w", Start: "2026-06-01 22:00"}, []string{"duration"}, "required with start"},
		{"one-off with both", Window{ID: "w", Start: "2026-06-01 22:00", End: "2026-06-01 23:00", Duration: time.Hour},
			[]string{"end"}, "give end or duration, not both"},
		{"end before start", Window{ID: "w", Start: "2026-06-01 22:00", End: "2026-06-01 21:00"}, []string{"end"}, "must be after start"},
		{"bad end", Window{ID: "w", Start: "2026-06-01 22:00", End: "soon"}, []string{"end"}, `invalid time "soon"`},
		{"negative duration", Window{ID: "w", Start: "2026-06-01 22:00", Duration: -time.Hour}, []string{"duration"}, "must be positive"},
		{"recurring without duration", Window{ID: "w", Cron: "0 2 * * *"}, []string{"duration"}, "required for a recurring window"},
		{"recurring too long", Window{ID: "w", Cron: "0 2 * * *", Duration: 367 * 24 * time.Hour},
			[]string{"duration"}, "too long for a recurring window (at most 8784h0m0s)"},
		{"recurring with end", Window{ID: "w", Cron: "0 2 * * *", End: "2026-06-01 23:00", Duration: time.Hour},
			[]string{"end"}, "only for a one-off window"},
		{"daily bad at", Window{ID: "w", Daily: &Daily{At: "25:00"}, Duration: time.Hour}, []string{"daily.at"}, `invalid time of day "25:00"`},
		{"weekly bad day", Window{ID: "w", Weekly: &Weekly{Days: []string{"mon", "funday"}, At: "02:00"}, Duration: time.Hour},
			[]string{"weekly.days[1]"}, `unknown day "funday"`},
		{"weekly no days", Window{ID: "w", Weekly: &Weekly{At: "02:00"}, Duration: time.Hour}, []string{"weekly.days"}, "required"},
		{"weekly no at", Window{ID: "w", Weekly: &Weekly{Days: []string{"sun"}}, Duration: time.Hour}, []string{"weekly.at"}, "invalid time of day"},
		{"monthly day 32", Window{ID: "w", Monthly: &Monthly{Days: MonthDays{1, 32}, At: "02:00"}, Duration: time.Hour},
			[]string{"monthly.days[1]"}, "day 32 out of range"},
		{"monthly no days", Window{ID: "w", Monthly: &Monthly{At: "02:00"}, Duration: time.Hour}, []string{"monthly.days"}, "required"},
		{"bad cron", Window{ID: "w", Cron: "0 25 * * *", Duration: time.Hour}, []string{"cron"}, `hour (field 2, column 3) "25"`},
		{"empty match check", Window{ID: "w", Cron: "0 2 * * *", Duration: time.Hour, Match: Match{Checks: []string{"web", ""}}},
			[]string{"match.checks[1]"}, "empty check id"},
		{"all problems at once", Window{Weekly: &Weekly{Days: []string{"x"}, At: "2am"}, Timezone: "Nowhere"},
			[]string{"id", "timezone", "duration", "weekly.at", "weekly.days[0]"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Validate()
			if diff := cmp.Diff(tt.want, fields(err)); diff != "" {
				t.Fatalf("Validate fields (-want +got):\n%s\nerror: %v", diff, err)
			}
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Validate error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

// TestMaintenanceExamples decodes the documented examples strictly, as
// config would, and validates them.
func TestMaintenanceExamples(t *testing.T) {
	f, err := os.Open("testdata/maintenance.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	var doc struct {
		Maintenance []Window `yaml:"maintenance"`
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	var ids []string
	for _, w := range doc.Maintenance {
		if err := w.Validate(); err != nil {
			t.Errorf("window %s: %v", w.ID, err)
		}
		ids = append(ids, w.ID)
	}
	want := []string{"db-migration", "dc-move", "nightly-backup", "patch-window", "month-end", "billing-close", "sunday-patching"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if got := doc.Maintenance[4].Monthly.Days; !cmp.Equal(got, MonthDays{1, 15, LastDay}) {
		t.Errorf("month-end days = %v, want [1 15 last]", got)
	}
	if got := doc.Maintenance[5].Monthly.Days; !cmp.Equal(got, MonthDays{LastDay}) {
		t.Errorf("billing-close days = %v, want [last]", got)
	}
}

func TestMonthDaysYAML(t *testing.T) {
	tests := []struct {
		name, in string
		want     MonthDays
		err      string
	}{
		{"list", "[1, 15]", MonthDays{1, 15}, ""},
		{"last alone", "last", MonthDays{LastDay}, ""},
		{"last in a list, any case", "[1, Last]", MonthDays{1, LastDay}, ""},
		{"word", "[first]", nil, `line 1: invalid day of the month "first" (want 1 to 31 or last)`},
		{"mapping", "{a: 1}", nil, "line 1: want a day of the month (1 to 31) or last"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got MonthDays
			err := yaml.Unmarshal([]byte(tt.in), &got)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Unmarshal(%q) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Unmarshal(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Unmarshal(%q) (-want +got):\n%s", tt.in, diff)
			}
			out, err := yaml.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			var back MonthDays
			if err := yaml.Unmarshal(out, &back); err != nil || !cmp.Equal(back, got) {
				t.Errorf("round trip through %q = %v, %v", out, back, err)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	labels := map[string]string{"env": "prod", "team": "payments"}
	tests := []struct {
		name  string
		m     Match
		check string
		want  bool
	}{
		{"empty matches all", Match{}, "web", true},
		{"check listed", Match{Checks: []string{"db", "web"}}, "web", true},
		{"check not listed", Match{Checks: []string{"db"}}, "web", false},
		{"label equal", Match{Labels: map[string]string{"env": "prod"}}, "web", true},
		{"label differs", Match{Labels: map[string]string{"env": "staging"}}, "web", false},
		{"label missing", Match{Labels: map[string]string{"role": "db"}}, "web", false},
		{"all must match", Match{Checks: []string{"web"}, Labels: map[string]string{"env": "staging"}}, "web", false},
		{"both match", Match{Checks: []string{"web"}, Labels: map[string]string{"env": "prod", "team": "payments"}}, "web", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Matches(tt.check, labels); got != tt.want {
				t.Errorf("Matches(%s) = %v, want %v", tt.check, got, tt.want)
			}
		})
	}
}

func TestWindowEqual(t *testing.T) {
	a := Window{ID: "w", Cron: "0 2 * * *", Duration: time.Hour, Timezone: "Europe/Berlin"}
	b := a
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("a validated window differs from its declaration (-a +b):\n%s", diff)
	}
	b.Duration = 2 * time.Hour
	if cmp.Equal(a, b) {
		t.Error("windows with different durations are equal")
	}
}
