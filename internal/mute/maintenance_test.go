package mute

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMaintenanceMuted(t *testing.T) {
	windows := []Window{
		{ID: "sunday-patching", Name: "Sunday patching", Cron: "0 2 * * SUN", Duration: 2 * time.Hour,
			Timezone: "Europe/Berlin", Match: Match{Labels: map[string]string{"env": "prod"}}},
		{ID: "db-migration", Start: "2026-03-29 03:30", Duration: 3 * time.Hour, Timezone: "Europe/Berlin",
			Match: Match{Checks: []string{"billing-db"}}},
	}
	m, err := NewMaintenance(windows)
	if err != nil {
		t.Fatal(err)
	}
	prod := map[string]string{"env": "prod"}
	tests := []struct {
		name   string
		target Target
		want   Reason
		muted  bool
	}{
		{"before the window", Target{Check: "web", Labels: prod, Time: utc(t, "2026-03-22T00:59:59Z")}, Reason{}, false},
		{"at its start", Target{Check: "web", Labels: prod, Time: utc(t, "2026-03-22T01:00:00Z")},
			Reason{Kind: KindMaintenance, ID: "sunday-patching", Until: utc(t, "2026-03-22T03:00:00Z"), Detail: "Sunday patching"}, true},
		{"at its end", Target{Check: "web", Labels: prod, Time: utc(t, "2026-03-22T03:00:00Z")}, Reason{}, false},
		{"not matched", Target{Check: "web", Labels: map[string]string{"env": "dev"}, Time: utc(t, "2026-03-22T01:00:00Z")}, Reason{}, false},
		{"spring forward: starts at 03:00 CEST", Target{Check: "web", Labels: prod, Time: utc(t, "2026-03-29T00:30:00Z")}, Reason{}, false},
		{"spring forward: two real hours", Target{Check: "web", Labels: prod, Time: utc(t, "2026-03-29T02:59:00Z")},
			Reason{Kind: KindMaintenance, ID: "sunday-patching", Until: utc(t, "2026-03-29T03:00:00Z"), Detail: "Sunday patching"}, true},
		{"two windows: the one ending last", Target{Check: "billing-db", Labels: prod, Time: utc(t, "2026-03-29T02:00:00Z")},
			Reason{Kind: KindMaintenance, ID: "db-migration", Until: utc(t, "2026-03-29T04:30:00Z"), Detail: "db-migration"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, muted := m.Muted(tt.target)
			if muted != tt.muted || !cmp.Equal(got, tt.want) {
				t.Errorf("Muted = %+v, %v; want %+v, %v", got, muted, tt.want, tt.muted)
			}
		})
	}
}

func TestMaintenanceSet(t *testing.T) {
	m, err := NewMaintenance(nil)
	if err != nil {
		t.Fatal(err)
	}
	at := Target{Check: "web", Time: utc(t, "2026-01-01T02:30:00Z")}
	if _, muted := m.Muted(at); muted {
		t.Fatal("muted with no windows")
	}
	err = m.Set([]Window{
		{ID: "nightly", Daily: &Daily{At: "02:00"}, Duration: time.Hour},
		{ID: "broken", Daily: &Daily{At: "2am"}, Duration: time.Hour},
	})
	if err == nil || !strings.Contains(err.Error(), `maintenance[broken]: daily.at: invalid time of day "2am"`) {
		t.Errorf("Set error = %v, want the broken window named", err)
	}
	if r, muted := m.Muted(at); !muted || r.ID != "nightly" {
		t.Errorf("after Set: Muted = %+v, %v; want the valid window to mute", r, muted)
	}
	if got := len(m.Windows()); got != 1 {
		t.Errorf("Windows() has %d, want 1", got)
	}
	if err := m.Set(nil); err != nil {
		t.Fatal(err)
	}
	if _, muted := m.Muted(at); muted {
		t.Error("muted after the windows were removed")
	}
}

func TestMaintenanceNext(t *testing.T) {
	m, err := NewMaintenance([]Window{
		{ID: "weekly", Name: "Weekly", Weekly: &Weekly{Days: []string{"sun"}, At: "02:00"}, Duration: time.Hour},
		{ID: "soon", Start: "2026-01-02T10:00:00Z", Duration: time.Hour, Match: Match{Checks: []string{"db"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		check string
		want  Occurrence
	}{
		{"only the weekly matches", "web", Occurrence{ID: "weekly", Name: "Weekly",
			Start: utc(t, "2026-01-04T02:00:00Z"), End: utc(t, "2026-01-04T03:00:00Z")}},
		{"the one-off comes first", "db", Occurrence{ID: "soon", Name: "soon",
			Start: utc(t, "2026-01-02T10:00:00Z"), End: utc(t, "2026-01-02T11:00:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := m.Next(Target{Check: tt.check, Time: utc(t, "2026-01-01T00:00:00Z")})
			if !ok || !cmp.Equal(got, tt.want) {
				t.Errorf("Next = %+v, %v; want %+v", got, ok, tt.want)
			}
		})
	}
}
