package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestParseStat(t *testing.T) {
	const max = 1<<64 - 1
	tests := []struct {
		file    string
		want    cpuStat
		wantErr string
	}{
		{file: "cpu/stat.0", want: cpuStat{
			total: cpuTimes{310649, 558, 32164, 429604, 4766, 0, 1671, 261},
			cores: []coreTimes{
				{0, cpuTimes{152995, 301, 15869, 218404, 1309, 0, 769, 133}},
				{1, cpuTimes{157654, 257, 16294, 211200, 3456, 0, 901, 128}},
			},
		}},
		{file: "cpu/old-kernel", want: cpuStat{ // Linux 2.4: four columns
			total: cpuTimes{100, 0, 50, 850},
			cores: []coreTimes{{0, cpuTimes{100, 0, 50, 850}}},
		}},
		{file: "cpu/new-kernel", want: cpuStat{ // guest columns and two unknown ones ignored
			total: cpuTimes{1000, 10, 200, 5000, 30, 4, 5, 6},
			cores: []coreTimes{
				{0, cpuTimes{500, 5, 100, 2500, 15, 2, 3, 3}},
				{1, cpuTimes{500, 5, 100, 2500, 15, 2, 2, 3}},
			},
		}},
		{file: "cpu/huge", want: cpuStat{
			total: cpuTimes{18446744073709551000, 0, 0, max},
			cores: []coreTimes{{0, cpuTimes{18446744073709551000, 0, 0, max}}},
		}},
		{file: "cpu/offline-core", want: cpuStat{
			total: cpuTimes{300, 0, 100, 600},
			cores: []coreTimes{{0, cpuTimes{100, 0, 50, 300}}, {2, cpuTimes{200, 0, 50, 300}}},
		}},
		{file: "cpu/overflow", wantErr: "line 1: user"},
		{file: "cpu/not-a-number", wantErr: "line 1: system: not a number"},
		{file: "cpu/short", wantErr: "line 1: 4 fields, want at least 5"},
		{file: "cpu/bad-name", wantErr: `line 2: bad cpu name "cpuX"`},
		{file: "cpu/no-cpu", wantErr: "no cpu line"},
		{file: "cpu/empty", wantErr: "no cpu line"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var got cpuStat
			err := parseStat(readTestdata(t, tt.file), &got)
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseStat: error %q, want one containing %q", msg, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			opts := cmp.Options{cmp.AllowUnexported(cpuStat{}, coreTimes{}), cmpopts.EquateEmpty()}
			if diff := cmp.Diff(tt.want, got, opts); diff != "" {
				t.Errorf("parseStat (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCPUShares(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur cpuTimes
		want      [len(cpuModes)]float64
		wantOK    bool
	}{
		{
			name:   "real machine, one second",
			prev:   cpuTimes{310649, 558, 32164, 429604, 4766, 0, 1671, 261},
			cur:    cpuTimes{310659, 558, 32170, 429784, 4770, 0, 1671, 261},
			want:   [8]float64{5, 0, 3, 90, 2, 0, 0, 0},
			wantOK: true,
		},
		{
			name:   "rounded to 1/16", // 6.93, 1.98, 87.13, 2.97, 0.99 in 101 jiffies
			prev:   cpuTimes{157654, 257, 16294, 211200, 3456, 0, 901, 128},
			cur:    cpuTimes{157661, 257, 16296, 211288, 3459, 0, 902, 128},
			want:   [8]float64{6.9375, 0, 2, 87.125, 3, 0, 1, 0},
			wantOK: true,
		},
		{
			name:   "iowait goes backwards: counted as 0, never negative",
			prev:   cpuTimes{1000, 0, 500, 8000, 500, 0, 0, 0},
			cur:    cpuTimes{1100, 0, 550, 8300, 450, 0, 0, 50},
			want:   [8]float64{20, 0, 10, 60, 0, 0, 0, 10},
			wantOK: true,
		},
		{
			name: "counters wrap or restart: nothing grew",
			prev: cpuTimes{1<<64 - 10, 0, 0, 1<<64 - 1},
			cur:  cpuTimes{5, 0, 0, 20, 0, 0, 0, 0},
		},
		{
			name: "restart with one mode growing: back more than forward",
			prev: cpuTimes{1<<64 - 10, 0, 0, 10},
			cur:  cpuTimes{5, 0, 0, 20},
		},
		{
			name:   "huge counters",
			prev:   cpuTimes{1<<64 - 1000, 0, 0, 1<<64 - 1000},
			cur:    cpuTimes{1<<64 - 900, 0, 0, 1<<64 - 600},
			want:   [8]float64{20, 0, 0, 80},
			wantOK: true,
		},
		{
			name: "no time elapsed",
			prev: cpuTimes{1, 2, 3, 4},
			cur:  cpuTimes{1, 2, 3, 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cpuShares(tt.prev, tt.cur)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("cpuShares (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkParseStat(b *testing.B) {
	data := readTestdata(b, "proc/stat")
	var st cpuStat
	b.ReportAllocs()
	for b.Loop() {
		if err := parseStat(data, &st); err != nil {
			b.Fatal(err)
		}
	}
}
