package mute

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// startsFunc returns the local start times of a recurring window on the
// date y-m-d, as minutes after midnight in ascending order.
type startsFunc func(y int, m time.Month, d int) []int

// LastDay in MonthDays stands for the last day of each month.
const LastDay = -1

// MonthDays are days of the month, 1 to 31 or LastDay. In YAML it is a
// list of numbers and "last", or just "last".
type MonthDays []int

// UnmarshalYAML reads `last`, `[1, 15]` or `[1, 15, last]`.
func (md *MonthDays) UnmarshalYAML(n *yaml.Node) error {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	out := MonthDays{}
	for _, it := range items {
		d, err := monthDay(it)
		if err != nil {
			return err
		}
		out = append(out, d)
	}
	*md = out
	return nil
}

func monthDay(n *yaml.Node) (int, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, fmt.Errorf("line %d: want a day of the month (1 to 31) or last", n.Line)
	}
	if strings.EqualFold(n.Value, "last") {
		return LastDay, nil
	}
	d, err := strconv.Atoi(n.Value)
	if err != nil {
		return 0, fmt.Errorf("line %d: invalid day of the month %q (want 1 to 31 or last)", n.Line, n.Value)
	}
	return d, nil
}

// MarshalYAML writes LastDay as "last".
func (md MonthDays) MarshalYAML() (any, error) {
	out := make([]any, len(md))
	for i, d := range md {
		out[i] = d
		if d == LastDay {
			out[i] = "last"
		}
	}
	return out, nil
}

func dailyStarts(d Daily) (startsFunc, error) {
	at, err := parseClock(d.At)
	if err != nil {
		return nil, &fielderr.Error{Field: "at", Err: err}
	}
	return func(int, time.Month, int) []int { return []int{at} }, nil
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// weekday reads "mon" or "monday" in any case.
func weekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(s)
	wd, ok := weekdayNames[s]
	if !ok && len(s) > 3 {
		wd, ok = weekdayNames[s[:3]]
		ok = ok && s == strings.ToLower(wd.String())
	}
	return wd, ok
}

func weeklyStarts(w Weekly) (startsFunc, error) {
	var errs []error
	at, err := parseClock(w.At)
	if err != nil {
		errs = append(errs, &fielderr.Error{Field: "at", Err: err})
	}
	if len(w.Days) == 0 {
		errs = append(errs, fielderr.Errorf("days", "required: a list like [mon, thu]"))
	}
	var days [7]bool
	for i, s := range w.Days {
		wd, ok := weekday(s)
		if !ok {
			errs = append(errs, fielderr.Errorf("days["+strconv.Itoa(i)+"]", "unknown day %q (want mon, tue, wed, thu, fri, sat or sun)", s))
			continue
		}
		days[wd] = true
	}
	return func(y int, m time.Month, d int) []int {
		if days[time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()] {
			return []int{at}
		}
		return nil
	}, errors.Join(errs...)
}

func monthlyStarts(mo Monthly) (startsFunc, error) {
	var errs []error
	at, err := parseClock(mo.At)
	if err != nil {
		errs = append(errs, &fielderr.Error{Field: "at", Err: err})
	}
	if len(mo.Days) == 0 {
		errs = append(errs, fielderr.Errorf("days", "required: a list like [1, 15] or last"))
	}
	var days [32]bool
	last := false
	for i, d := range mo.Days {
		switch {
		case d == LastDay:
			last = true
		case d < 1 || d > 31:
			errs = append(errs, fielderr.Errorf("days["+strconv.Itoa(i)+"]", "day %d out of range (want 1 to 31 or last)", d))
		default:
			days[d] = true
		}
	}
	return func(y int, m time.Month, d int) []int {
		if days[d] || last && d == daysIn(y, m) {
			return []int{at}
		}
		return nil
	}, errors.Join(errs...)
}

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
