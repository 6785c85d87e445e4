package mute

import (
	"fmt"
	"time"
)

// localLayout is the zone-less form of a one-off window's start and end,
// read in the window's time zone.
const localLayout = "2006-01-02 15:04"

// parseTime reads s as RFC 3339 (its own offset wins) or as localLayout in
// loc.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(localLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("invalid time %q (want RFC 3339 like 2026-03-01T22:00:00+01:00 or %q in timezone)", s, localLayout)
	}
	return wallTime(t.Year(), t.Month(), t.Day(), t.Hour()*60+t.Minute(), loc), nil
}

// parseClock reads "HH:MM" as minutes after midnight.
func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("invalid time of day %q (want HH:MM, 00:00 to 23:59)", s)
	}
	return t.Hour()*60 + t.Minute(), nil
}

// wallTime returns the instant at which clocks in loc show the date y-m-d
// and min minutes after midnight, settling the two cases a daylight saving
// change makes the way RFC 5545 (iCalendar) does:
//
//   - a local time that happens twice (clocks go back) means the first
//     time, before the change;
//   - a local time that does not happen (clocks go forward) is read with
//     the offset in force before the change, so it lands as far after
//     the change as it was after the last minute before it: 02:30 on a
//     day when 02:00 jumps to 03:00 is 03:30.
//
// time.Date leaves both cases open ("correct in one of the two zones
// involved, but it does not guarantee which") and in practice picks
// differently east and west of Greenwich, so the choice is made here.
func wallTime(y int, m time.Month, d, min int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, min, 0, 0, loc)
	naive := time.Date(y, m, d, 0, min, 0, 0, time.UTC).Unix()
	_, off := t.Zone()
	start, end := t.ZoneBounds()
	offs := []int{off}
	if !start.IsZero() {
		_, before := start.Add(-time.Second).Zone()
		offs = append(offs, before)
	}
	if !end.IsZero() {
		_, after := end.Zone()
		offs = append(offs, after)
	}
	var first time.Time
	for _, o := range offs {
		u := time.Unix(naive-int64(o), 0).In(loc)
		if _, uo := u.Zone(); uo == o && (first.IsZero() || u.Before(first)) {
			first = u
		}
	}
	if !first.IsZero() {
		return first
	}
	// Skipped. If time.Date moved the time forward, t is in the zone after
	// the change and the offset before it is the previous zone's; if it
	// moved it back, t is in the zone before the change.
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC).Unix()
	before := off
	if wall > naive && !start.IsZero() {
		_, before = start.Add(-time.Second).Zone()
	}
	return time.Unix(naive-int64(before), 0).In(loc)
}
