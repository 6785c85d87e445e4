package mute

import (
	"strings"
	"testing"
	"time"
)

func TestParseCronErrors(t *testing.T) {
	tests := []struct {
		name, expr, want string
	}{
		{"too few fields", "0 2 * *", `"0 2 * *" has 4 fields, want 5: minute hour day-of-month month day-of-week`},
		{"too many fields", "0 2 * * * 2026", `has 6 fields, want 5`},
		{"empty", "", `has 0 fields, want 5`},
		{"minute out of range", "60 2 * * *", `minute (field 1, column 1) "60": value 60 out of range 0 to 59`},
		{"hour out of range", "0 24 * * *", `hour (field 2, column 3) "24": value 24 out of range 0 to 23`},
		{"day of month zero", "0 2 0 * *", `day-of-month (field 3, column 5) "0": value 0 out of range 1 to 31`},
		{"month 13", "0 2 * 13 *", `month (field 4, column 7) "13": value 13 out of range 1 to 12`},
		{"unknown month name", "0 2 * SEPT *", `month (field 4, column 7) "SEPT": invalid value "SEPT" (want 1 to 12 or JAN to DEC)`},
		{"unknown day name", "0 2 * * FUNDAY", `day-of-week (field 5, column 9) "FUNDAY": invalid value "FUNDAY" (want 0 to 7 or SUN to SAT)`},
		{"day of week 8", "0 2 * * 8", `day-of-week (field 5, column 9) "8": value 8 out of range 0 to 7`},
		{"column counts extra spaces", "0  2 *  * 9", `day-of-week (field 5, column 11) "9"`},
		{"backwards range", "0 5-2 * * *", `hour (field 2, column 3) "5-2": range 5-2 is backwards`},
		{"wrapping day range", "0 2 * * SAT-MON", `range SAT-MON is backwards`},
		{"zero step", "*/0 * * * *", `minute (field 1, column 1) "*/0": invalid step "0" (want 1 to 59)`},
		{"text step", "0 */x * * *", `hour (field 2, column 3) "*/x": invalid step "x" (want 1 to 23)`},
		{"empty list item", "1,,2 * * * *", `minute (field 1, column 1) "1,,2": empty list item`},
		{"negative", "-1 * * * *", `minute (field 1, column 1) "-1": invalid value ""`},
		{"two bad fields both reported", "99 99 * * *", "minute (field 1, column 1) \"99\": value 99 out of range 0 to 59\nhour (field 2, column 4) \"99\": value 99 out of range 0 to 23"},
		{"never matches", "0 0 30 2 *", `"0 0 30 2 *" never matches: no month given has the days of the month given`},
		{"unknown macro", "@often", `unknown macro "@often"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCron(tt.expr)
			if err == nil {
				t.Fatalf("parseCron(%q) = nil error, want %q", tt.expr, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseCron(%q) error =\n%v\nwant it to contain\n%s", tt.expr, err, tt.want)
			}
		})
	}
}

// TestCronNext checks the start after a given time against answers worked
// out by hand (and with a calendar). 2026-01-01 is a Thursday.
func TestCronNext(t *testing.T) {
	const jan1 = "2026-01-01T00:00:00Z"
	tests := []struct {
		name, expr, tz, after, want string
	}{
		{"sunday 02:00", "0 2 * * SUN", "", jan1, "2026-01-04T02:00:00Z"},
		{"sunday as 7", "0 0 * * 7", "", jan1, "2026-01-04T00:00:00Z"},
		{"sunday as 0", "0 0 * * 0", "", jan1, "2026-01-04T00:00:00Z"},
		{"strictly after", "*/15 * * * *", "", jan1, "2026-01-01T00:15:00Z"},
		{"step within a range", "0 9-17/4 * * MON-FRI", "", jan1, "2026-01-01T09:00:00Z"},
		{"step within a range, last value", "0 9-17/4 * * MON-FRI", "", "2026-01-01T13:00:00Z", "2026-01-01T17:00:00Z"},
		{"step within a range, next day", "0 9-17/4 * * MON-FRI", "", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z"},
		{"weekdays skip the weekend", "0 9-17/4 * * MON-FRI", "", "2026-01-02T17:00:00Z", "2026-01-05T09:00:00Z"},
		{"value with step runs to the end", "10/20 * * * *", "", jan1, "2026-01-01T00:10:00Z"},
		{"value with step, last", "10/20 * * * *", "", "2026-01-01T00:31:00Z", "2026-01-01T00:50:00Z"},
		{"list", "5,35 1,13 * * *", "", "2026-01-01T01:05:00Z", "2026-01-01T01:35:00Z"},
		{"first of the month", "0 0 1 * *", "", jan1, "2026-02-01T00:00:00Z"},
		{"monthly macro", "@monthly", "", jan1, "2026-02-01T00:00:00Z"},
		{"weekly macro", "@weekly", "", jan1, "2026-01-04T00:00:00Z"},
		{"daily macro", "@daily", "", jan1, "2026-01-02T00:00:00Z"},
		{"hourly macro", "@hourly", "", jan1, "2026-01-01T01:00:00Z"},
		{"yearly macro", "@yearly", "", jan1, "2027-01-01T00:00:00Z"},
		{"month names any case", "0 12 * jan,Jul *", "", jan1, "2026-01-01T12:00:00Z"},
		{"month names, next year", "0 12 1 jan,Jul *", "", "2026-07-01T12:00:00Z", "2027-01-01T12:00:00Z"},
		{"both days restricted: either (13th or friday)", "30 8 13 * FRI", "", jan1, "2026-01-02T08:30:00Z"},
		{"both days restricted: the 13th", "30 8 13 * FRI", "", "2026-01-09T08:30:00Z", "2026-01-13T08:30:00Z"},
		{"day of month starting with * restricts with AND", "30 8 */2 * FRI", "", jan1, "2026-01-09T08:30:00Z"},
		{"day of week * : day of month only", "0 0 13 * *", "", jan1, "2026-01-13T00:00:00Z"},
		{"february 29", "0 0 29 2 *", "", jan1, "2028-02-29T00:00:00Z"},
		{"february 29 across 2100", "0 0 29 2 *", "", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"},
		{"last minute of the year", "59 23 31 12 *", "", jan1, "2026-12-31T23:59:00Z"},
		{"berlin local", "0 2 * * SUN", "Europe/Berlin", jan1, "2026-01-04T01:00:00Z"},
		{"berlin skipped 02:30 is 03:30 CEST", "30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"},
		{"berlin day after the gap", "30 2 * * *", "Europe/Berlin", "2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"},
		{"berlin gap: 02:00 and 03:00 collapse", "0 2,3 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"},
		{"berlin gap: then the next day", "0 2,3 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"},
		{"berlin gap: shifted 02:30 after 03:00", "*/30 2-3 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z"},
		{"berlin repeated 02:30: the first", "30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"},
		{"berlin repeated 02:30: only once", "30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},
		{"new york every minute across the gap", "* * * * *", "America/New_York", "2026-03-08T06:59:00Z", "2026-03-08T07:00:00Z"},
		{"new york hourly through the repeat", "0 * * * *", "America/New_York", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := valid(t, Window{ID: "c", Cron: tt.expr, Duration: time.Minute, Timezone: tt.tz})
			got, _, ok := w.Next(utc(t, tt.after))
			if want := utc(t, tt.want); !ok || !got.Equal(want) {
				t.Errorf("Next(%s) = %s, %v; want %s", tt.after, got.UTC().Format(time.RFC3339), ok, tt.want)
			}
		})
	}
}
