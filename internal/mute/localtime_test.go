package mute

import (
	"testing"
	"time"
)

func TestWallTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	newYork, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	santiago, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		loc     *time.Location
		y       int
		m       time.Month
		d, h, n int
		want    string
	}{
		{"berlin winter", berlin, 2026, time.March, 28, 2, 0, "2026-03-28T01:00:00Z"},
		{"berlin summer", berlin, 2026, time.March, 30, 2, 0, "2026-03-30T00:00:00Z"},
		{"berlin skipped 02:00 is 03:00 CEST", berlin, 2026, time.March, 29, 2, 0, "2026-03-29T01:00:00Z"},
		{"berlin skipped 02:30 is 03:30 CEST", berlin, 2026, time.March, 29, 2, 30, "2026-03-29T01:30:00Z"},
		{"berlin 03:00 after the gap", berlin, 2026, time.March, 29, 3, 0, "2026-03-29T01:00:00Z"},
		{"berlin 01:59 before the gap", berlin, 2026, time.March, 29, 1, 59, "2026-03-29T00:59:00Z"},
		{"berlin repeated 02:00 is the first (CEST)", berlin, 2026, time.October, 25, 2, 0, "2026-10-25T00:00:00Z"},
		{"berlin repeated 02:59 is the first (CEST)", berlin, 2026, time.October, 25, 2, 59, "2026-10-25T00:59:00Z"},
		{"berlin 03:00 after the repeat", berlin, 2026, time.October, 25, 3, 0, "2026-10-25T02:00:00Z"},
		{"new york skipped 02:00 is 03:00 EDT", newYork, 2026, time.March, 8, 2, 0, "2026-03-08T07:00:00Z"},
		{"new york skipped 02:30 is 03:30 EDT", newYork, 2026, time.March, 8, 2, 30, "2026-03-08T07:30:00Z"},
		{"new york repeated 01:30 is the first (EDT)", newYork, 2026, time.November, 1, 1, 30, "2026-11-01T05:30:00Z"},
		{"new york 02:00 on fall-back day happens once", newYork, 2026, time.November, 1, 2, 0, "2026-11-01T07:00:00Z"},
		{"santiago skipped midnight is 01:00", santiago, 2026, time.September, 6, 0, 0, "2026-09-06T04:00:00Z"},
		{"santiago repeated 23:30 is the first", santiago, 2026, time.April, 4, 23, 30, "2026-04-05T02:30:00Z"},
		{"utc", time.UTC, 2026, time.March, 29, 2, 0, "2026-03-29T02:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wallTime(tt.y, tt.m, tt.d, tt.h*60+tt.n, tt.loc)
			if want := utc(t, tt.want); !got.Equal(want) {
				t.Errorf("wallTime = %s (%s), want %s", got.UTC().Format(time.RFC3339), got.Format(time.RFC3339), tt.want)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"rfc3339 keeps its offset", "2026-06-01T22:00:00-04:00", "2026-06-02T02:00:00Z", false},
		{"local in the zone", "2026-06-01 22:00", "2026-06-01T20:00:00Z", false},
		{"local skipped", "2026-03-29 02:30", "2026-03-29T01:30:00Z", false},
		{"garbage", "next tuesday", "", true},
		{"seconds not accepted locally", "2026-06-01 22:00:00", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseTime(tt.in, berlin)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseTime(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && !got.Equal(utc(t, tt.want)) {
				t.Errorf("parseTime(%q) = %s, want %s", tt.in, got.UTC().Format(time.RFC3339), tt.want)
			}
		})
	}
}
