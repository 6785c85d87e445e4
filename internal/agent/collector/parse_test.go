package collector

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFields(t *testing.T) {
	tests := []struct {
		name, line string
		want       []string
	}{
		{"empty", "", nil},
		{"blanks only", " \t ", nil},
		{"one", "cpu", []string{"cpu"}},
		{"runs of spaces and tabs", "  cpu  1\t\t2 3  ", []string{"cpu", "1", "2", "3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range fields([]byte(tt.line), nil) {
				got = append(got, string(f))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fields(%q) (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}

func TestParseUint(t *testing.T) {
	tests := []struct {
		in      string
		want    uint64
		wantErr bool
	}{
		{"0", 0, false},
		{"1234567890", 1234567890, false},
		{"18446744073709551615", 1<<64 - 1, false},
		{"18446744073709551616", 0, true},
		{"99999999999999999999", 0, true},
		{"", 0, true},
		{"-1", 0, true},
		{"+1", 0, true},
		{"1.5", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseUint([]byte(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseUint(%q) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseFixedPoint(t *testing.T) {
	tests := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"0.00", 0, false},
		{"3739.87", 3739.87, false},
		{"12", 12, false},
		{"12.", 12, false},
		{"0.5", 0.5, false},
		{"1.1234567891234", 1.123456789, false},
		{".5", 0, true},
		{"1.x", 0, true},
		{"-1.0", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseFixedPoint([]byte(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseFixedPoint(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestRoundBinary(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		bits int
		want float64
	}{
		{"whole number unchanged", 42, percentBits, 42},
		{"a tenth to the nearest 1/16", 87.1, percentBits, 87.125},
		{"nearer the lower sixteenth", 6.93, percentBits, 6.9375},
		{"zero", 0, percentBits, 0},
		{"milliseconds to 1/1024 s", 123.772, secondBits, 126743.0 / 1024},
		{"a whole number of bits", 0.5, 0, 1}, // rounds half away from zero, as math.Round
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := roundBinary(tt.v, tt.bits)
			if got != tt.want {
				t.Errorf("roundBinary(%v, %d) = %v, want %v", tt.v, tt.bits, got, tt.want)
			}
			if scaled := math.Ldexp(got, tt.bits); scaled != math.Trunc(scaled) {
				t.Errorf("roundBinary(%v, %d) = %v has more than %d binary places", tt.v, tt.bits, got, tt.bits)
			}
		})
	}
}

func TestFileBuffer(t *testing.T) {
	dir := t.TempDir()
	big := strings.Repeat("0123456789abcdef", 1000) // past the first buffer
	small := filepath.Join(dir, "small")
	large := filepath.Join(dir, "large")
	for path, text := range map[string]string{small: "hello\n", large: big} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var fb fileBuffer
	for _, step := range []struct{ path, want string }{{small, "hello\n"}, {large, big}, {small, "hello\n"}} {
		got, err := fb.read(step.path)
		if err != nil || string(got) != step.want {
			t.Fatalf("read(%s) = %d bytes, %v; want %d bytes", step.path, len(got), err, len(step.want))
		}
	}
	_, err := fb.read(filepath.Join(dir, "missing"))
	if !errors.Is(err, ErrNotSupported) {
		t.Errorf("reading a missing file: %v, want ErrNotSupported", err)
	}
}

func TestInterner(t *testing.T) {
	in := interner{skip: func(name string) bool { return strings.HasPrefix(name, "loop") }}
	a1, skipA := in.get([]byte("sda"))
	a2, _ := in.get([]byte("sda"))
	_, skipLoop := in.get([]byte("loop0"))
	if a1 != "sda" || a2 != "sda" || skipA || !skipLoop {
		t.Fatalf("get: %q %q skip %v %v", a1, a2, skipA, skipLoop)
	}
	if n := testing.AllocsPerRun(100, func() { in.get([]byte("sda")) }); n != 0 {
		t.Errorf("get of a known name allocates %v times", n)
	}
	for i := range 100 {
		in.get([]byte("veth" + strings.Repeat("x", i)))
	}
	in.trim(2)
	if len(in.m) != 0 {
		t.Errorf("trim kept %d names", len(in.m))
	}
}

func BenchmarkFields(b *testing.B) {
	line := []byte(" 254       0 vda 489226 39686 16150354 215158 123983 251651 25182056 182540 0 121472 469153 256115 225 72410416 69544 8940 1909")
	var buf [24][]byte
	b.ReportAllocs()
	for b.Loop() {
		fields(line, buf[:0])
	}
}
