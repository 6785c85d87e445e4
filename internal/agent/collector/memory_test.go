package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// kB converts kibibytes, as /proc/meminfo counts, to bytes.
func kB(n uint64) uint64 { return n * 1024 }

func TestParseMeminfo(t *testing.T) {
	tests := []struct {
		file    string
		want    meminfo
		wantErr string
	}{
		{file: "proc/meminfo", want: meminfo{
			total: kB(24684096), free: kB(20784452), available: kB(23950200), buffers: kB(70736),
			cached: kB(3061804), sReclaimable: kB(349712), hasAvailable: true,
		}},
		{file: "memory/swap", want: meminfo{
			total: kB(8049280), free: kB(312448), available: kB(3120876), buffers: kB(204312),
			cached: kB(2771524), sReclaimable: kB(318060), swapTotal: kB(2097148), swapFree: kB(1572860),
			hasAvailable: true,
		}},
		{file: "memory/old-kernel", want: meminfo{ // before 3.14: no MemAvailable
			total: kB(2048000), free: kB(512000), buffers: kB(102400), cached: kB(409600), sReclaimable: kB(20480),
		}},
		{file: "memory/new-kernel", want: meminfo{ // unknown lines ignored
			total: kB(16384000), free: kB(8192000), available: kB(12288000), buffers: kB(409600),
			cached: kB(3072000), sReclaimable: kB(204800), hasAvailable: true,
		}},
		{file: "memory/no-total", wantErr: "no MemTotal"},
		{file: "memory/bad-value", wantErr: `line 2: MemFree: not a number: "-5"`},
		{file: "memory/no-value", wantErr: "line 1: MemTotal has no value"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := parseMeminfo(readTestdata(t, tt.file))
			if msg := errText(err); !containsText(msg, tt.wantErr) {
				t.Fatalf("parseMeminfo: error %q, want one containing %q", msg, tt.wantErr)
			}
			if tt.wantErr != "" {
				return
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(meminfo{})); diff != "" {
				t.Errorf("parseMeminfo (-want +got):\n%s", diff)
			}
		})
	}
}

// TestMemoryKinds checks the figures against what `free -b -w` shows for
// the same file.
func TestMemoryKinds(t *testing.T) {
	type figures struct{ Total, Used, Free, Available, Buffers, Cached, SwapTotal, SwapUsed, SwapFree uint64 }
	tests := []struct {
		file string
		want figures
	}{
		{"proc/meminfo", figures{kB(24684096), kB(733896), kB(20784452), kB(23950200), kB(70736), kB(3411516), 0, 0, 0}},
		{"memory/swap", figures{kB(8049280), kB(4928404), kB(312448), kB(3120876), kB(204312), kB(3089584), kB(2097148), kB(524288), kB(1572860)}},
		{"memory/old-kernel", figures{kB(2048000), kB(1003520), kB(512000), kB(1044480), kB(102400), kB(430080), 0, 0, 0}},
		{"memory/avail-above-total", figures{kB(1000), 0, kB(900), kB(1000), 0, 0, kB(100), 0, kB(100)}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			m, err := parseMeminfo(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			mem, swap := memoryKinds(m)
			got := figures{
				mem[0].value, mem[1].value, mem[2].value, mem[3].value, mem[4].value, mem[5].value,
				swap[0].value, swap[1].value, swap[2].value,
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("memoryKinds (-want +got):\n%s", diff)
			}
		})
	}
}

func BenchmarkParseMeminfo(b *testing.B) {
	data := readTestdata(b, "proc/meminfo")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseMeminfo(data); err != nil {
			b.Fatal(err)
		}
	}
}
