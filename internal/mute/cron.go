package mute

import (
	"errors"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// cron is a parsed five-field cron expression. Each field is a bit set of
// the values it allows.
type cron struct {
	minute, hour, dom, month, dow uint64
	// domStar and dowStar follow Vixie cron: a day field that starts with
	// "*" does not restrict. When both day fields restrict, a day matches
	// if either does; otherwise both must.
	domStar, dowStar bool
}

// cronField describes one field of a cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i
	hint     string   // the names, for errors
}

var cronFields = [5]cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}, hint: "JAN to DEC"},
	{name: "day-of-week", min: 0, max: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}, hint: "SUN to SAT"},
}

var cronMacros = map[string]string{
	"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
	"@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}

// parseCron parses "minute hour day-of-month month day-of-week": each
// field a comma-separated list of *, a value, a range a-b, any of those
// followed by /step (a/step means a to the field's maximum), and names
// JAN..DEC and SUN..SAT in any case; 0 and 7 are both Sunday. The macros
// @yearly, @monthly, @weekly, @daily and @hourly are accepted too. Errors
// name the field, its number and the column where it starts.
func parseCron(expr string) (*cron, error) {
	s := strings.TrimSpace(expr)
	if strings.HasPrefix(s, "@") {
		m, ok := cronMacros[strings.ToLower(s)]
		if !ok {
			return nil, fmt.Errorf("unknown macro %q (want @yearly, @monthly, @weekly, @daily or @hourly)", s)
		}
		s = m
	}
	fields, cols := splitFields(s)
	if len(fields) != 5 {
		return nil, fmt.Errorf("%q has %d fields, want 5: minute hour day-of-month month day-of-week", expr, len(fields))
	}
	var sets [5]uint64
	var errs []error
	for i, f := range fields {
		set, err := cronFields[i].parse(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s (field %d, column %d) %q: %w", cronFields[i].name, i+1, cols[i]+1, f, err))
		}
		sets[i] = set
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if sets[4]&(1<<7) != 0 { // 7 is Sunday too
		sets[4] = sets[4]&^(1<<7) | 1
	}
	c := &cron{minute: sets[0], hour: sets[1], dom: sets[2], month: sets[3], dow: sets[4],
		domStar: strings.HasPrefix(fields[2], "*"), dowStar: strings.HasPrefix(fields[4], "*")}
	if !c.dowStar || c.possible() {
		return c, nil
	}
	return nil, fmt.Errorf("%q never matches: no month given has the days of the month given", expr)
}

// splitFields splits s at spaces and tabs, returning each field with the
// byte offset where it starts.
func splitFields(s string) (fields []string, cols []int) {
	start := -1
	for i := 0; i <= len(s); i++ {
		space := i == len(s) || s[i] == ' ' || s[i] == '\t'
		switch {
		case space && start >= 0:
			fields, cols = append(fields, s[start:i]), append(cols, start)
			start = -1
		case !space && start < 0:
			start = i
		}
	}
	return fields, cols
}

// possible reports whether some allowed month has some allowed day of the
// month (February counting 29 days).
func (c *cron) possible() bool {
	for m := time.January; m <= time.December; m++ {
		if c.month&(1<<m) != 0 && c.dom&(1<<(daysIn(2028, m)+1)-1) != 0 {
			return true
		}
	}
	return false
}

// parse returns the set of values of one field.
func (f cronField) parse(s string) (uint64, error) {
	var set uint64
	for item := range strings.SplitSeq(s, ",") {
		lo, hi, step, err := f.item(item)
		if err != nil {
			return 0, err
		}
		for v := lo; v <= hi; v += step {
			set |= 1 << v
		}
	}
	return set, nil
}

// item parses one list item: *, v, a-b, with an optional /step.
func (f cronField) item(s string) (lo, hi, step int, err error) {
	if s == "" {
		return 0, 0, 0, errors.New("empty list item")
	}
	rng, stepText, hasStep := strings.Cut(s, "/")
	step = 1
	if hasStep {
		step, err = strconv.Atoi(stepText)
		if err != nil || step < 1 || step > f.max {
			return 0, 0, 0, fmt.Errorf("invalid step %q (want 1 to %d)", stepText, f.max)
		}
	}
	if rng == "*" {
		return f.min, f.max, step, nil
	}
	a, b, isRange := strings.Cut(rng, "-")
	if lo, err = f.value(a); err != nil {
		return 0, 0, 0, err
	}
	switch {
	case isRange:
		if hi, err = f.value(b); err != nil {
			return 0, 0, 0, err
		}
		if hi < lo {
			return 0, 0, 0, fmt.Errorf("range %s is backwards", rng)
		}
	case hasStep:
		hi = f.max
	default:
		hi = lo
	}
	return lo, hi, step, nil
}

// value parses a number or a name within the field's range.
func (f cronField) value(s string) (int, error) {
	for i, n := range f.names {
		if strings.EqualFold(s, n) {
			return f.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		if f.names != nil {
			return 0, fmt.Errorf("invalid value %q (want %d to %d or %s)", s, f.min, f.max, f.hint)
		}
		return 0, fmt.Errorf("invalid value %q (want %d to %d)", s, f.min, f.max)
	}
	if v < f.min || v > f.max {
		return 0, fmt.Errorf("value %d out of range %d to %d", v, f.min, f.max)
	}
	return v, nil
}

// starts lists the start minutes of the date y-m-d, for Window.
func (c *cron) starts(y int, m time.Month, d int) []int {
	if c.month&(1<<m) == 0 {
		return nil
	}
	domOK := c.dom&(1<<d) != 0
	dowOK := c.dow&(1<<time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()) != 0
	if c.domStar || c.dowStar {
		domOK = domOK && dowOK
	} else {
		domOK = domOK || dowOK
	}
	if !domOK {
		return nil
	}
	out := make([]int, 0, bits.OnesCount64(c.hour)*bits.OnesCount64(c.minute))
	for h := range 24 {
		if c.hour&(1<<h) == 0 {
			continue
		}
		for mi := range 60 {
			if c.minute&(1<<mi) != 0 {
				out = append(out, h*60+mi)
			}
		}
	}
	return out
}
