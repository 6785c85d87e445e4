package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// netWant is what parseNetDev should find for one interface, in the order
// of netSeries.
type netWant = [len(netSeries)]uint64

func TestParseNetDev(t *testing.T) {
	const max = 1<<64 - 1
	tests := []struct {
		file    string
		want    map[string]netWant
		wantErr string
	}{
		{file: "proc/net/dev", want: map[string]netWant{
			"lo":   {382810498, 3956392, 0, 0, 382810498, 3956392, 0, 0},
			"ifb0": {}, "ifb1": {},
			"eth0": {798111619, 38323, 0, 0, 2660622, 28210, 0, 0},
		}},
		{file: "network/old-kernel", want: map[string]netWant{ // no space after the colon
			"lo":   {12345, 100, 0, 0, 12345, 100, 0, 0},
			"eth0": {4294967295, 3000000, 1, 2, 2147483648, 2000000, 3, 4},
		}},
		{file: "network/future", want: map[string]netWant{"eth0": {100, 2, 3, 4, 200, 9, 10, 11}}},
		{file: "network/huge", want: map[string]netWant{"eth0": {max, max, 0, 0, max, max, 0, 0}}},
		{file: "network/headers-only", want: map[string]netWant{}},
		{file: "network/short", wantErr: "line 3: 10 columns, want 16"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			devs, err := parseNetDev(readTestdata(t, tt.file), nil)
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseNetDev: error %q, want one containing %q", msg, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			got := map[string]netWant{}
			for _, d := range devs {
				got[string(d.name)] = d.counters
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseNetDev (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkParseNetDev(b *testing.B) {
	data := readTestdata(b, "proc/net/dev")
	var devs []netDev
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if devs, err = parseNetDev(data, devs); err != nil {
			b.Fatal(err)
		}
	}
}
