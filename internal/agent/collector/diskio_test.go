package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// diskWant is what parseDiskstats should find for one device: sectors
// read, sectors written, reads, writes, io_ticks (ms).
type diskWant = [len(diskSeries)]uint64

func TestParseDiskstats(t *testing.T) {
	const max = 1<<64 - 1
	tests := []struct {
		file    string
		want    map[string]diskWant
		wantErr string
	}{
		{file: "proc/diskstats", want: map[string]diskWant{ // Linux 6.18: 20 fields
			"vda": {16349866, 26607424, 496637, 125766, 123772}, "zram0": {},
			"loop0": {}, "loop1": {}, "loop2": {}, "loop3": {}, "loop4": {}, "loop5": {}, "loop6": {}, "loop7": {},
		}},
		{file: "diskio/kernel-4.14", want: map[string]diskWant{ // 14 fields
			"sda":  {9876544, 7654320, 120455, 56789, 67890},
			"sda1": {9870000, 7650000, 120000, 56700, 67800},
			"dm-0": {9800000, 7600000, 118000, 69000, 68000},
		}},
		{file: "diskio/kernel-5.5", want: map[string]diskWant{ // 18 and 20 fields
			"nvme0n1":   {46270510, 95230832, 523344, 1389282, 1023616},
			"nvme0n1p1": {12345, 16, 321, 2, 40},
			"nvme0n1p2": {46250000, 95230816, 522900, 1389280, 1023500},
		}},
		{file: "diskio/future", want: map[string]diskWant{ // columns no kernel has yet
			"vda": {16150354, 25182056, 489226, 123983, 121472},
		}},
		{file: "diskio/huge", want: map[string]diskWant{"sda": {max, max, max, max, max}}},
		{file: "diskio/empty", want: map[string]diskWant{}},
		{file: "diskio/short", wantErr: "line 1: 10 fields, want at least 14"},
		{file: "diskio/not-a-number", wantErr: "line 1, field 10: not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			devs, err := parseDiskstats(readTestdata(t, tt.file), nil)
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseDiskstats: error %q, want one containing %q", msg, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			got := map[string]diskWant{}
			for _, d := range devs {
				got[string(d.name)] = d.counters
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseDiskstats (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSkipDisk(t *testing.T) {
	tests := []struct {
		skip  bool
		names []string
	}{
		{false, []string{"sda", "sdab", "vda", "vdb", "xvda", "hda", "nvme0n1", "nvme10n2", "mmcblk0", "dm-0", "md0", "md127", "sr0", "nbd0"}},
		{true, []string{"sda1", "sdab3", "vdb2", "xvda1", "hda1", "nvme0n1p1", "mmcblk0p1", "loop0", "loop12", "ram0", "zram0", "fd0"}},
	}
	for _, tt := range tests {
		for _, name := range tt.names {
			t.Run(name, func(t *testing.T) {
				if got := skipDisk(name); got != tt.skip {
					t.Errorf("skipDisk(%q) = %v, want %v", name, got, tt.skip)
				}
			})
		}
	}
}

func BenchmarkParseDiskstats(b *testing.B) {
	data := readTestdata(b, "proc/diskstats")
	var devs []diskDev
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if devs, err = parseDiskstats(data, devs); err != nil {
			b.Fatal(err)
		}
	}
}
