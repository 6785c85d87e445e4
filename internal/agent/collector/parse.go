package collector

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
)

// This file holds the small helpers the /proc parsers share. They work on
// bytes and do not allocate on success, because they run every second on
// every host.

// errSyntax says a field is not the number it should be.
var errSyntax = errors.New("not a number")

// nextLine returns the first line of data without its newline, and the
// rest after it.
func nextLine(data []byte) (line, rest []byte) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return data, nil
	}
	return data[:i], data[i+1:]
}

// fields splits line at runs of spaces and tabs, appending the fields to
// dst[:0] and returning it. Unlike bytes.Fields it allocates nothing once
// dst has room.
func fields(line []byte, dst [][]byte) [][]byte {
	dst = dst[:0]
	start := -1
	for i, c := range line {
		if c != ' ' && c != '\t' {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			dst = append(dst, line[start:i])
			start = -1
		}
	}
	if start >= 0 {
		dst = append(dst, line[start:])
	}
	return dst
}

// parseUint parses an unsigned decimal integer, rejecting signs, empty
// input and values over 2^64-1.
func parseUint(b []byte) (uint64, error) {
	if len(b) == 0 {
		return 0, fmt.Errorf("%w: empty field", errSyntax)
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%w: %q", errSyntax, b)
		}
		d := uint64(c - '0')
		if n > (math.MaxUint64-d)/10 {
			return 0, fmt.Errorf("%q overflows 64 bits", b)
		}
		n = n*10 + d
	}
	return n, nil
}

// parseFixedPoint parses a non-negative decimal such as "3739.87", the form
// /proc/loadavg and /proc/uptime use, without strconv's allocation.
func parseFixedPoint(b []byte) (float64, error) {
	intPart, frac, _ := bytes.Cut(b, []byte{'.'})
	n, err := parseUint(intPart)
	if err != nil {
		return 0, err
	}
	v := float64(n)
	if len(frac) == 0 {
		return v, nil
	}
	if len(frac) > 9 {
		frac = frac[:9] // beyond a nanosecond nothing matters here
	}
	f, err := parseUint(frac)
	if err != nil {
		return 0, err
	}
	return v + float64(f)/math.Pow10(len(frac)), nil
}

// round returns v rounded to the given number of decimal places.
func round(v float64, places int) float64 {
	p := math.Pow10(places)
	return math.Round(v*p) / p
}

// Binary fractions that samples with a fractional part are rounded to.
const (
	// percentBits: 1/16 %, as precise as rounding to 0.1 % (an error of
	// at most 0.03 %, where 0.1 allows 0.05).
	percentBits = 4
	// secondBits: 1/1024 s, as precise as the kernel's milliseconds.
	secondBits = 10
)

// roundBinary returns v rounded to a multiple of 2^-bits. Such a value has
// at most bits binary digits after the point, so two of them differ in a
// few bits of their float64, which is what the TSDB's XOR encoding
// stores: a byte or two a sample. A decimal fraction like 0.1 has no
// exact binary form and fills the whole 52-bit mantissa, so each change
// of a value rounded to 0.1 costs about 7 bytes on disk.
func roundBinary(v float64, bits int) float64 {
	return math.Ldexp(math.Round(math.Ldexp(v, bits)), -bits)
}

// fileBuffer reads whole /proc files (whose size stat reports as 0) into
// one buffer that is kept between reads, so a collector reading the same
// file every second does not allocate a new one each time. It is not safe
// for concurrent use.
type fileBuffer struct{ buf []byte }

// read returns the contents of the file at path, valid until the next
// read. A file that does not exist is reported as ErrNotSupported: the
// kernel or the sandbox (gVisor, some containers) does not provide it.
func (fb *fileBuffer) read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrNotSupported, err)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fb.buf == nil {
		fb.buf = make([]byte, 0, 4096)
	}
	b := fb.buf[:0]
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
	}
	fb.buf = b
	return b, nil
}

// interner turns names read as bytes (devices, interfaces) into strings,
// allocating each name once for as long as it keeps appearing, and
// remembers whether skip rejected it. It is not safe for concurrent use.
type interner struct {
	skip func(name string) bool // nil keeps every name
	m    map[string]internEntry
}

type internEntry struct {
	name string
	skip bool
}

// get returns b as a string and whether skip rejected it.
func (in *interner) get(b []byte) (string, bool) {
	if e, ok := in.m[string(b)]; ok {
		return e.name, e.skip
	}
	if in.m == nil {
		in.m = make(map[string]internEntry)
	}
	e := internEntry{name: string(b)}
	e.skip = in.skip != nil && in.skip(e.name)
	in.m[e.name] = e
	return e.name, e.skip
}

// trim forgets every name when the map has grown well past the live
// names, so hosts that create and destroy interfaces (containers) do not
// grow it without bound.
func (in *interner) trim(live int) {
	if len(in.m) > 2*live+64 {
		in.m = nil
	}
}
