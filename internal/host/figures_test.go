package host_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/host"
)

// series is one series of a test batch, with its points at t0, t0+1s, ...
func series(name string, values []float64, labels ...string) wire.Series {
	s := wire.Series{Name: name}
	for i := 0; i+1 < len(labels); i += 2 {
		s.Labels = append(s.Labels, collector.Label{Name: labels[i], Value: labels[i+1]})
	}
	for i, v := range values {
		s.Points = append(s.Points, wire.Point{T: t0.Add(time.Duration(i) * time.Second).UnixMilli(), V: v})
	}
	return s
}

func batch(seq uint64, ss ...wire.Series) *wire.Batch {
	return &wire.Batch{Header: wire.Header{Agent: "web", Seq: seq}, Series: ss}
}

func fsSeries(mount, kind string, v float64) wire.Series {
	return series(collector.FilesystemBytes, []float64{v}, "device", "/dev/x", "fstype", "ext4", "kind", kind, "mountpoint", mount)
}

func TestFigures(t *testing.T) {
	at := func(d time.Duration) *time.Time { return ptr(t0.Add(d)) }
	full := batch(1,
		series(collector.CPUPercent, []float64{90, 87.6}, "cpu", "all", "mode", "idle"),
		series(collector.CPUPercent, []float64{1, 1}, "cpu", "0", "mode", "idle"),
		series(collector.CPUPercent, []float64{5, 8}, "cpu", "all", "mode", "user"),
		fsSeries("/", "avail", 60), fsSeries("/", "used", 40), fsSeries("/", "size", 110),
		fsSeries("/data", "avail", 9.5), fsSeries("/data", "used", 90.5),
		fsSeries("/empty", "avail", 0), fsSeries("/empty", "used", 0),
		series(collector.Load1, []float64{0.5, 0.25, 0.75}),
		series(collector.MemoryBytes, []float64{3 << 30}, "kind", "used"),
		series(collector.MemoryBytes, []float64{16 << 30}, "kind", "total"),
	)
	tests := []struct {
		name    string
		batches []*wire.Batch
		want    host.Figures
	}{
		{"none yet", nil, host.Figures{}},
		{"all", []*wire.Batch{full}, host.Figures{CPUPercent: ptr(12.4), MemoryPercent: ptr(18.8), Load1: ptr(0.75),
			DiskPercent: ptr(90.5), DiskMount: "/data", Time: at(2 * time.Second)}},
		{"later batch with some", []*wire.Batch{full, batch(2, series(collector.Load1, []float64{3}))},
			host.Figures{CPUPercent: ptr(12.4), MemoryPercent: ptr(18.8), Load1: ptr(3.0),
				DiskPercent: ptr(90.5), DiskMount: "/data", Time: at(2 * time.Second)}},
		{"memory without total", []*wire.Batch{batch(1, series(collector.MemoryBytes, []float64{1}, "kind", "used"))},
			host.Figures{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _ := newRegistry(t, host.Options{})
			r.SetHosts([]string{"web"})
			for _, b := range tt.batches {
				r.Batch("web", b)
			}
			h, _ := r.Host("web")
			if diff := cmp.Diff(tt.want, h.Figures); diff != "" {
				t.Errorf("figures (-want +got):\n%s", diff)
			}
		})
	}
}
