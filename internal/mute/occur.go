package mute

import (
	"slices"
	"time"
)

// maxScanDays bounds the search for a recurring window's next start: long
// enough for a cron expression that only fires on February 29 (eight
// years apart across 2100).
const maxScanDays = 366*8 + 2

// ActiveAt reports whether t falls inside an occurrence of the window,
// and which: start is inclusive and end exclusive. Occurrences start at
// the local times the window names, in its time zone, so a daily 02:00 in
// Europe/Berlin stays at 02:00 on the clock across daylight saving
// changes; Duration is elapsed time, so a 2h window lasts two real hours
// even on the night the clocks change (see wallTime for local times that
// are skipped or repeated). When occurrences overlap, the latest to start
// is returned, since it ends last. A window that has not passed Validate
// is never active. start and end are in the window's time zone.
func (w Window) ActiveAt(t time.Time) (start, end time.Time, ok bool) {
	switch {
	case w.loc == nil:
		return time.Time{}, time.Time{}, false
	case w.starts == nil:
		if !t.Before(w.start) && t.Before(w.end) {
			return w.start, w.end, true
		}
		return time.Time{}, time.Time{}, false
	}
	s, found := w.prev(t, t.Add(-w.Duration))
	if !found {
		return time.Time{}, time.Time{}, false
	}
	return s, s.Add(w.Duration), true
}

// Next returns the first occurrence that starts strictly after after; ok
// is false when there is none (a one-off window that has started, a
// window that has not passed Validate, or a cron expression that does not
// fire within eight years).
func (w Window) Next(after time.Time) (start, end time.Time, ok bool) {
	switch {
	case w.loc == nil:
		return time.Time{}, time.Time{}, false
	case w.starts == nil:
		if w.start.After(after) {
			return w.start, w.end, true
		}
		return time.Time{}, time.Time{}, false
	}
	s, found := w.next(after)
	if !found {
		return time.Time{}, time.Time{}, false
	}
	return s, s.Add(w.Duration), true
}

// next finds the earliest start after after. Dates are scanned from the
// day before after's local date; once a start is found, one more date is
// looked at, since a start pushed across a daylight saving gap can land
// after the first start of the following date.
func (w Window) next(after time.Time) (time.Time, bool) {
	day := dateOf(after.In(w.loc)).AddDate(0, 0, -1)
	var best time.Time
	for i, foundAt := 0, -1; i < maxScanDays && (foundAt < 0 || i <= foundAt+1); i++ {
		for _, s := range w.onDay(day) {
			if s.After(after) {
				if best.IsZero() || s.Before(best) {
					best = s
				}
				break
			}
		}
		if !best.IsZero() && foundAt < 0 {
			foundAt = i
		}
		day = day.AddDate(0, 0, 1)
	}
	return best, !best.IsZero()
}

// prev finds the latest start s with floor < s <= t, scanning dates
// backwards from the day after t's local date. Once a start is found, one
// more date is looked at, for the same reason as in next.
func (w Window) prev(t, floor time.Time) (time.Time, bool) {
	day := dateOf(t.In(w.loc)).AddDate(0, 0, 1)
	stop := dateOf(floor.In(w.loc)).AddDate(0, 0, -1)
	var best, lastDay time.Time
	for ; !day.Before(stop); day = day.AddDate(0, 0, -1) {
		if !lastDay.IsZero() && day.Before(lastDay) {
			break
		}
		occ := w.onDay(day)
		for i := len(occ) - 1; i >= 0; i-- {
			if s := occ[i]; !s.After(t) {
				if s.After(floor) && (best.IsZero() || s.After(best)) {
					best = s
				}
				break
			}
		}
		if !best.IsZero() && lastDay.IsZero() {
			lastDay = day.AddDate(0, 0, -1)
		}
	}
	return best, !best.IsZero()
}

// dateOf returns the calendar date of t's clock as midnight UTC, a value
// that day arithmetic (AddDate) works on without time zone surprises.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// onDay returns the instants at which occurrences start on a local date,
// in ascending order.
func (w Window) onDay(day time.Time) []time.Time {
	y, m, d := day.Date()
	mins := w.starts(y, m, d)
	if len(mins) == 0 {
		return nil
	}
	out := make([]time.Time, len(mins))
	midnight := wallTime(y, m, d, 0, w.loc)
	if zoneCovers(midnight) {
		for i, min := range mins {
			out[i] = midnight.Add(time.Duration(min) * time.Minute)
		}
		return out
	}
	for i, min := range mins {
		out[i] = wallTime(y, m, d, min, w.loc)
	}
	// A start skipped forward by a gap can overtake the next ones.
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// zoneCovers reports whether no offset change happens within a day
// either side of the date starting at midnight, so that each of its local
// times is midnight plus the minutes.
func zoneCovers(midnight time.Time) bool {
	start, end := midnight.ZoneBounds()
	return (start.IsZero() || !start.After(midnight.Add(-24*time.Hour))) &&
		(end.IsZero() || end.After(midnight.Add(48*time.Hour)))
}
