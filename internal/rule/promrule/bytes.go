package promrule

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Bytes is a size in bytes. In YAML it is written as a number of bytes or
// with a unit: decimal kB, MB, GB, TB, PB (powers of 1000) or binary KiB,
// MiB, GiB, TiB, PiB (powers of 1024), case-insensitively, with an
// optional space: 1GB, 500MiB, "1.5 TB".
type Bytes uint64

// byteUnits lists the units ParseBytes knows.
var byteUnits = []struct {
	name string
	size float64
}{
	{"PiB", 1 << 50}, {"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"PB", 1e15}, {"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}, {"B", 1},
}

// maxBytes is the largest size ParseBytes accepts (1 EB): far beyond any
// disk, and exact in a float64 and an uint64.
const maxBytes = 1e18

// ParseBytes parses a size such as "1GB", "500MiB" or "1073741824".
// Fractions are rounded to whole bytes.
func ParseBytes(s string) (Bytes, error) {
	text := strings.TrimSpace(s)
	i := strings.IndexFunc(text, func(r rune) bool { return !(r >= '0' && r <= '9' || r == '.') })
	if i < 0 {
		i = len(text)
	}
	num, unit := text[:i], strings.TrimSpace(text[i:])
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" {
		return 0, fmt.Errorf("invalid size %q (want a number of bytes or a size like 1GB or 500MiB)", s)
	}
	mult, ok := unitSize(unit)
	if !ok {
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (want B, kB, MB, GB, TB, PB, KiB, MiB, GiB, TiB or PiB)", s, unit)
	}
	if v*mult > maxBytes {
		return 0, fmt.Errorf("invalid size %q: larger than 1 EB", s)
	}
	return Bytes(math.Round(v * mult)), nil
}

func unitSize(unit string) (float64, bool) {
	if unit == "" {
		return 1, true
	}
	for _, u := range byteUnits {
		if strings.EqualFold(unit, u.name) {
			return u.size, true
		}
	}
	return 0, false
}

// String writes the size with the unit that divides it exactly into the
// smallest number: 1GiB, 500MB, 2PB, 1234B.
func (b Bytes) String() string {
	best := strconv.FormatUint(uint64(b), 10) + "B"
	least := float64(b)
	for _, u := range byteUnits {
		if n := float64(b) / u.size; n >= 1 && n == math.Trunc(n) && n < least {
			best, least = strconv.FormatFloat(n, 'f', -1, 64)+u.name, n
		}
	}
	return best
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (b *Bytes) UnmarshalText(text []byte) error {
	v, err := ParseBytes(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (b Bytes) MarshalText() ([]byte, error) { return []byte(b.String()), nil }
