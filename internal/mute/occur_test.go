package mute

import (
	"testing"
	"time"
)

// occ is an expected occurrence, in RFC 3339.
type occ struct{ start, end string }

// checkOccurrences asserts that the occurrences of w after from are want,
// in order, and that ActiveAt sees each from its start (inclusive) to its
// end (exclusive), answering with the latest to start where they overlap.
// Just before the first and at the end of the last, occurrences not
// listed may be active; those are checked only when the listed ones
// neither overlap nor touch.
func checkOccurrences(t *testing.T, w Window, from string, want []occ) {
	t.Helper()
	cur := utc(t, from)
	isolated := true
	for i, o := range want {
		s, e, ok := w.Next(cur)
		if !ok || !s.Equal(utc(t, o.start)) || !e.Equal(utc(t, o.end)) {
			t.Fatalf("occurrence %d: Next(%s) = %s, %s, %v; want %s, %s", i, cur.Format(time.RFC3339),
				s.UTC().Format(time.RFC3339), e.UTC().Format(time.RFC3339), ok, o.start, o.end)
		}
		cur = s
		isolated = isolated && (i == 0 || utc(t, want[i-1].end).Before(s))
	}
	first, last := utc(t, want[0].start), utc(t, want[len(want)-1].start)
	for _, o := range want {
		s, e := utc(t, o.start), utc(t, o.end)
		for _, at := range []time.Time{s, e.Add(-time.Nanosecond), s.Add(-time.Nanosecond), e} {
			if !isolated && (at.Before(first) || at.After(last)) {
				continue
			}
			ws, we, wok := activeIn(t, want, at)
			gs, ge, ok := w.ActiveAt(at)
			if ok != wok || !gs.Equal(ws) || !ge.Equal(we) {
				t.Errorf("ActiveAt(%s) = %s, %s, %v; want %s, %s, %v", at.Format(time.RFC3339Nano),
					gs.UTC().Format(time.RFC3339), ge.UTC().Format(time.RFC3339), ok,
					ws.UTC().Format(time.RFC3339), we.UTC().Format(time.RFC3339), wok)
			}
		}
	}
}

// activeIn returns the occurrence in want that contains at and starts
// last.
func activeIn(t *testing.T, want []occ, at time.Time) (start, end time.Time, ok bool) {
	t.Helper()
	for _, o := range want {
		s, e := utc(t, o.start), utc(t, o.end)
		if !at.Before(s) && at.Before(e) && (!ok || s.After(start)) {
			start, end, ok = s, e, true
		}
	}
	return start, end, ok
}

func TestWindowOccurrences(t *testing.T) {
	tests := []struct {
		name string
		w    Window
		from string
		want []occ
	}{
		{
			name: "one-off local start and duration",
			w:    Window{ID: "w", Start: "2026-06-01 22:00", Duration: 2 * time.Hour, Timezone: "Europe/Berlin"},
			from: "2026-01-01T00:00:00Z",
			want: []occ{{"2026-06-01T20:00:00Z", "2026-06-01T22:00:00Z"}},
		},
		{
			name: "one-off rfc3339 start and end",
			w:    Window{ID: "w", Start: "2026-06-01T22:00:00+02:00", End: "2026-06-02T01:30:00+02:00"},
			from: "2026-01-01T00:00:00Z",
			want: []occ{{"2026-06-01T20:00:00Z", "2026-06-01T23:30:00Z"}},
		},
		{
			name: "daily utc",
			w:    Window{ID: "w", Daily: &Daily{At: "23:30"}, Duration: time.Hour},
			from: "2026-01-01T00:00:00Z",
			want: []occ{{"2026-01-01T23:30:00Z", "2026-01-02T00:30:00Z"}, {"2026-01-02T23:30:00Z", "2026-01-03T00:30:00Z"}},
		},
		{
			name: "weekly mon and thu",
			w:    Window{ID: "w", Weekly: &Weekly{Days: []string{"thu", "Monday"}, At: "02:00"}, Duration: 2 * time.Hour},
			from: "2026-01-01T00:00:00Z", // a Thursday
			want: []occ{
				{"2026-01-01T02:00:00Z", "2026-01-01T04:00:00Z"},
				{"2026-01-05T02:00:00Z", "2026-01-05T04:00:00Z"},
				{"2026-01-08T02:00:00Z", "2026-01-08T04:00:00Z"},
			},
		},
		{
			name: "overlapping occurrences: the later one wins",
			w:    Window{ID: "w", Cron: "0 * * * *", Duration: 90 * time.Minute},
			from: "2026-01-01T00:30:00Z",
			want: []occ{{"2026-01-01T01:00:00Z", "2026-01-01T02:30:00Z"}, {"2026-01-01T02:00:00Z", "2026-01-01T03:30:00Z"}},
		},
		{
			name: "monthly last day, February included",
			w:    Window{ID: "w", Monthly: &Monthly{Days: MonthDays{LastDay}, At: "03:00"}, Duration: time.Hour},
			from: "2026-01-15T00:00:00Z",
			want: []occ{
				{"2026-01-31T03:00:00Z", "2026-01-31T04:00:00Z"},
				{"2026-02-28T03:00:00Z", "2026-02-28T04:00:00Z"},
				{"2026-03-31T03:00:00Z", "2026-03-31T04:00:00Z"},
				{"2026-04-30T03:00:00Z", "2026-04-30T04:00:00Z"},
			},
		},
		{
			name: "monthly last day in a leap year",
			w:    Window{ID: "w", Monthly: &Monthly{Days: MonthDays{LastDay}, At: "03:00"}, Duration: time.Hour},
			from: "2028-02-01T00:00:00Z",
			want: []occ{{"2028-02-29T03:00:00Z", "2028-02-29T04:00:00Z"}, {"2028-03-31T03:00:00Z", "2028-03-31T04:00:00Z"}},
		},
		{
			name: "monthly 31 skips short months",
			w:    Window{ID: "w", Monthly: &Monthly{Days: MonthDays{31}, At: "00:00"}, Duration: time.Hour},
			from: "2026-01-01T00:00:00Z",
			want: []occ{
				{"2026-01-31T00:00:00Z", "2026-01-31T01:00:00Z"},
				{"2026-03-31T00:00:00Z", "2026-03-31T01:00:00Z"},
				{"2026-05-31T00:00:00Z", "2026-05-31T01:00:00Z"},
			},
		},
		{
			name: "monthly 1, 15 and last in Berlin",
			w: Window{ID: "w", Monthly: &Monthly{Days: MonthDays{15, 1, LastDay}, At: "03:00"},
				Duration: time.Hour, Timezone: "Europe/Berlin"},
			from: "2026-02-01T00:00:00Z",
			want: []occ{
				{"2026-02-01T02:00:00Z", "2026-02-01T03:00:00Z"},
				{"2026-02-15T02:00:00Z", "2026-02-15T03:00:00Z"},
				{"2026-02-28T02:00:00Z", "2026-02-28T03:00:00Z"},
				{"2026-03-01T02:00:00Z", "2026-03-01T03:00:00Z"},
			},
		},
		{
			name: "window as long as the gap between occurrences",
			w:    Window{ID: "w", Daily: &Daily{At: "06:00"}, Duration: 24 * time.Hour},
			from: "2026-01-01T00:00:00Z",
			want: []occ{{"2026-01-01T06:00:00Z", "2026-01-02T06:00:00Z"}, {"2026-01-02T06:00:00Z", "2026-01-03T06:00:00Z"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOccurrences(t, valid(t, tt.w), tt.from, tt.want)
		})
	}
}

// TestWindowDST runs a 02:00 to 04:00 window through the weeks in which
// Berlin and New York change their clocks. The start stays at 02:00 on the
// local clock; the two hours are elapsed time. On the spring-forward day
// 02:00 does not exist and the window starts at 03:00 (the offset before
// the change); on the fall-back day Berlin's 02:00 happens twice and the
// window starts at the first.
func TestWindowDST(t *testing.T) {
	daily := func(tz string) Window {
		return Window{ID: "w", Daily: &Daily{At: "02:00"}, Duration: 2 * time.Hour, Timezone: tz}
	}
	weekly := func(tz string) Window {
		return Window{ID: "w", Weekly: &Weekly{Days: []string{"sat", "sun", "mon"}, At: "02:00"}, Duration: 2 * time.Hour, Timezone: tz}
	}
	berlinSpring := []occ{
		{"2026-03-28T01:00:00Z", "2026-03-28T03:00:00Z"}, // Sat 02:00-04:00 CET
		{"2026-03-29T01:00:00Z", "2026-03-29T03:00:00Z"}, // Sun 03:00-05:00 CEST: 02:00 is skipped
		{"2026-03-30T00:00:00Z", "2026-03-30T02:00:00Z"}, // Mon 02:00-04:00 CEST
	}
	berlinAutumn := []occ{
		{"2026-10-24T00:00:00Z", "2026-10-24T02:00:00Z"}, // Sat 02:00-04:00 CEST
		{"2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z"}, // Sun the first 02:00 (CEST) to 03:00 CET
		{"2026-10-26T01:00:00Z", "2026-10-26T03:00:00Z"}, // Mon 02:00-04:00 CET
	}
	nySpring := []occ{
		{"2026-03-07T07:00:00Z", "2026-03-07T09:00:00Z"}, // Sat 02:00-04:00 EST
		{"2026-03-08T07:00:00Z", "2026-03-08T09:00:00Z"}, // Sun 03:00-05:00 EDT: 02:00 is skipped
		{"2026-03-09T06:00:00Z", "2026-03-09T08:00:00Z"}, // Mon 02:00-04:00 EDT
	}
	nyAutumn := []occ{
		{"2026-10-31T06:00:00Z", "2026-10-31T08:00:00Z"}, // Sat 02:00-04:00 EDT
		{"2026-11-01T07:00:00Z", "2026-11-01T09:00:00Z"}, // Sun 02:00-04:00 EST (01:00-02:00 repeats, not 02:00)
		{"2026-11-02T07:00:00Z", "2026-11-02T09:00:00Z"}, // Mon 02:00-04:00 EST
	}
	tests := []struct {
		name string
		w    Window
		from string
		want []occ
	}{
		{"berlin daily march", daily("Europe/Berlin"), "2026-03-27T12:00:00Z", berlinSpring},
		{"berlin weekly march", weekly("Europe/Berlin"), "2026-03-27T12:00:00Z", berlinSpring},
		{"berlin daily october", daily("Europe/Berlin"), "2026-10-23T12:00:00Z", berlinAutumn},
		{"berlin weekly october", weekly("Europe/Berlin"), "2026-10-23T12:00:00Z", berlinAutumn},
		{"berlin cron october", Window{ID: "w", Cron: "0 2 * * SAT,SUN,MON", Duration: 2 * time.Hour, Timezone: "Europe/Berlin"},
			"2026-10-23T12:00:00Z", berlinAutumn},
		{"new york daily march", daily("America/New_York"), "2026-03-06T12:00:00Z", nySpring},
		{"new york weekly march", weekly("America/New_York"), "2026-03-06T12:00:00Z", nySpring},
		{"new york daily november", daily("America/New_York"), "2026-10-30T12:00:00Z", nyAutumn},
		{"new york weekly november", weekly("America/New_York"), "2026-10-30T12:00:00Z", nyAutumn},
		{"new york 01:30 repeated: the first", Window{ID: "w", Daily: &Daily{At: "01:30"}, Duration: 2 * time.Hour, Timezone: "America/New_York"},
			"2026-10-31T12:00:00Z", []occ{
				{"2026-11-01T05:30:00Z", "2026-11-01T07:30:00Z"}, // 01:30 EDT to 02:30 EST
				{"2026-11-02T06:30:00Z", "2026-11-02T08:30:00Z"},
			}},
		{"santiago: the change at midnight", Window{ID: "w", Daily: &Daily{At: "00:30"}, Duration: time.Hour, Timezone: "America/Santiago"},
			"2026-09-04T12:00:00Z", []occ{
				{"2026-09-05T04:30:00Z", "2026-09-05T05:30:00Z"}, // 00:30 -04
				{"2026-09-06T04:30:00Z", "2026-09-06T05:30:00Z"}, // 00:30 skipped: 01:30 -03
				{"2026-09-07T03:30:00Z", "2026-09-07T04:30:00Z"}, // 00:30 -03
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkOccurrences(t, valid(t, tt.w), tt.from, tt.want)
		})
	}
}

func TestWindowNotValidated(t *testing.T) {
	w := Window{ID: "w", Daily: &Daily{At: "02:00"}, Duration: time.Hour}
	at := time.Date(2026, 1, 1, 2, 30, 0, 0, time.UTC)
	if _, _, ok := w.ActiveAt(at); ok {
		t.Error("ActiveAt: an unvalidated window is active")
	}
	if _, _, ok := w.Next(at); ok {
		t.Error("Next: an unvalidated window has a next occurrence")
	}
}

func TestWindowInvalidNeverActive(t *testing.T) {
	w := Window{ID: "w", Daily: &Daily{At: "02:00"}, Duration: time.Hour, Match: Match{Checks: []string{""}}}
	if err := w.Validate(); err == nil {
		t.Fatal("Validate accepted an empty check id")
	}
	if _, _, ok := w.ActiveAt(time.Date(2026, 1, 1, 2, 30, 0, 0, time.UTC)); ok {
		t.Error("a window that failed Validate is active")
	}
}

func TestOneOffPast(t *testing.T) {
	w := valid(t, Window{ID: "w", Start: "2026-06-01T00:00:00Z", Duration: time.Hour})
	if s, _, ok := w.Next(utc(t, "2026-06-01T00:00:00Z")); ok {
		t.Errorf("Next at the start = %s; want none (strictly after)", s)
	}
}

func BenchmarkActiveAt(b *testing.B) {
	for _, bc := range []struct {
		name string
		w    Window
		at   time.Time
	}{
		{"weekly", Window{ID: "w", Weekly: &Weekly{Days: []string{"sun"}, At: "02:00"}, Duration: 2 * time.Hour, Timezone: "Europe/Berlin"},
			time.Date(2026, 6, 3, 12, 0, 0, 0, time.UTC)},
		{"cron every minute", Window{ID: "w", Cron: "* * * * *", Duration: 30 * time.Second, Timezone: "Europe/Berlin"},
			time.Date(2026, 6, 3, 12, 0, 45, 0, time.UTC)},
		{"cron every minute, DST day", Window{ID: "w", Cron: "* * * * *", Duration: 30 * time.Second, Timezone: "Europe/Berlin"},
			time.Date(2026, 3, 29, 12, 0, 45, 0, time.UTC)},
		{"monthly, a month long", Window{ID: "w", Monthly: &Monthly{Days: MonthDays{1}, At: "00:00"}, Duration: 27 * 24 * time.Hour},
			time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)},
	} {
		if err := bc.w.Validate(); err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.w.ActiveAt(bc.at)
			}
		})
	}
}
