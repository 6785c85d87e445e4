package promrule

import (
	"strings"
	"testing"
)

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want Bytes
		err  string // part of the error, "" for none
	}{
		{"1073741824", 1 << 30, ""},
		{"1GB", 1e9, ""},
		{"1gb", 1e9, ""},
		{"500MiB", 500 << 20, ""},
		{"1.5 TB", 1.5e12, ""},
		{"10kB", 10e3, ""},
		{"2KiB", 2048, ""},
		{"0.5B", 1, ""}, // rounded
		{"", 0, "invalid size"},
		{"GB", 0, "invalid size"},
		{"1.2.3GB", 0, "invalid size"},
		{"-1GB", 0, "invalid size"},
		{"1G", 0, "unknown unit"},
		{"1Gb/s", 0, "unknown unit"},
		{"2EB", 0, "unknown unit"},
		{"2000PB", 0, "larger than 1 EB"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseBytes(tc.in)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("ParseBytes(%q): %v", tc.in, err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("ParseBytes(%q) error = %v, want one with %q", tc.in, err, tc.err)
			case got != tc.want:
				t.Errorf("ParseBytes(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

func TestBytesString(t *testing.T) {
	tests := []struct {
		in   Bytes
		want string
	}{
		{0, "0B"}, {1, "1B"}, {1e9, "1GB"}, {1 << 30, "1GiB"}, {500 << 20, "500MiB"},
		{1500e6, "1500MB"}, {1234, "1234B"}, {2e15, "2PB"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			if got := tc.in.String(); got != tc.want {
				t.Errorf("%d.String() = %q, want %q", uint64(tc.in), got, tc.want)
			}
			back, err := ParseBytes(tc.want)
			if err != nil || back != tc.in {
				t.Errorf("ParseBytes(%q) = %d, %v; want %d", tc.want, back, err, tc.in)
			}
		})
	}
}
