package promapi

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"15", 15 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{"-1", -time.Second, true},
		{"0", 0, true},
		{"0s", 0, true},
		{"1m30s", 90 * time.Second, true},
		{"1y2w3d4h5m6s7ms", 365*24*time.Hour + 14*24*time.Hour + 3*24*time.Hour + 4*time.Hour + 5*time.Minute + 6*time.Second + 7*time.Millisecond, true},
		{"500ms", 500 * time.Millisecond, true},
		{"", 0, false},
		{"1x", 0, false},
		{"s", 0, false},
		{"30s1m", 0, false},
		{"1m1m", 0, false},
		{"1.5h", 0, false},
		{"NaN", 0, false},
		{"1e30", 0, false},
		{"300y", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseDuration(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("parseDuration(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1740830400", time.Unix(1740830400, 0).UTC(), true},
		{"1740830400.1234", time.Unix(1740830400, 123e6).UTC(), true},
		{"2025-03-01T12:00:00.5Z", time.Date(2025, 3, 1, 12, 0, 0, 5e8, time.UTC), true},
		{"-292273086-05-16T16:47:06Z", minTime, true},
		{"292277025-08-18T07:12:54.999999999Z", maxTime, true},
		{"yesterday", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseTime(tt.in)
			if (err == nil) != tt.ok || !got.Equal(tt.want) {
				t.Errorf("parseTime(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestAppendValue(t *testing.T) {
	tests := map[float64]string{0: "0", 1.5: "1.5", 1e-7: "1e-07", 1e21: "1e+21", 123456789: "123456789", -2: "-2"}
	for v, want := range tests {
		if got := string(appendValue(nil, v)); got != want {
			t.Errorf("appendValue(%v) = %q, want %q", v, got, want)
		}
	}
	for ms, want := range map[int64]string{0: "0", 1500: "1.500", 1005: "1.005", 1050: "1.050", -1500: "-1.500"} {
		if got := string(appendTimestamp(nil, ms)); got != want {
			t.Errorf("appendTimestamp(%d) = %q, want %q", ms, got, want)
		}
	}
}
