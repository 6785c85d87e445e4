package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseLoadavg(t *testing.T) {
	tests := []struct {
		file    string
		want    [3]float64
		wantErr string
	}{
		{file: "proc/loadavg", want: [3]float64{3.05, 1.25, 1.39}},
		{file: "load/high", want: [3]float64{123.45, 99.99, 0}},
		{file: "load/idle", want: [3]float64{0, 0, 0}},
		{file: "load/short", wantErr: "2 fields, want at least 3"},
		{file: "load/not-a-number", wantErr: "field 2: not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseLoadavg(readTestdata(t, tt.file))
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseLoadavg: error %q, want one containing %q", msg, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); tt.wantErr == "" && diff != "" {
				t.Errorf("parseLoadavg (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkParseLoadavg(b *testing.B) {
	data := readTestdata(b, "proc/loadavg")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseLoadavg(data); err != nil {
			b.Fatal(err)
		}
	}
}
