package host

import (
	"math"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
)

// batchFigures are the figures one batch carries, with the time of each.
type batchFigures struct {
	cpu, mem, load1, disk figure
	diskMount             string
}

type figure struct {
	v  float64
	t  int64 // Unix milliseconds
	ok bool
}

// fsUse is the latest used and available bytes of one filesystem.
type fsUse struct {
	mount       string
	used, avail figure
}

// figuresOf computes the key figures from the last point of the series
// that carry them.
func figuresOf(b *wire.Batch) batchFigures {
	var f batchFigures
	var memUsed, memTotal figure
	var fs []fsUse
	for i := range b.Series {
		s := &b.Series[i]
		if len(s.Points) == 0 {
			continue
		}
		last := s.Points[len(s.Points)-1]
		pt := figure{v: last.V, t: last.T, ok: true}
		switch s.Name {
		case collector.CPUPercent:
			if label(s.Labels, "cpu") == "all" && label(s.Labels, "mode") == "idle" {
				f.cpu = figure{v: round1(100 - last.V), t: last.T, ok: true}
			}
		case collector.MemoryBytes:
			switch label(s.Labels, "kind") {
			case "used":
				memUsed = pt
			case "total":
				memTotal = pt
			}
		case collector.Load1:
			f.load1 = pt
		case collector.FilesystemBytes:
			fs = addFS(fs, s.Labels, pt)
		}
	}
	if memUsed.ok && memTotal.ok && memTotal.v > 0 {
		f.mem = figure{v: round1(100 * memUsed.v / memTotal.v), t: max(memUsed.t, memTotal.t), ok: true}
	}
	f.disk, f.diskMount = fullest(fs)
	return f
}

// addFS records a used or avail point of the filesystem mounted at the
// series' mountpoint.
func addFS(fs []fsUse, labels []collector.Label, pt figure) []fsUse {
	kind := label(labels, "kind")
	if kind != "used" && kind != "avail" {
		return fs
	}
	mount := label(labels, "mountpoint")
	i := 0
	for i < len(fs) && fs[i].mount != mount {
		i++
	}
	if i == len(fs) {
		fs = append(fs, fsUse{mount: mount})
	}
	if kind == "used" {
		fs[i].used = pt
	} else {
		fs[i].avail = pt
	}
	return fs
}

// fullest returns the highest use among fs, as df computes it: used over
// used plus avail.
func fullest(fs []fsUse) (figure, string) {
	var best figure
	mount := ""
	for _, u := range fs {
		total := u.used.v + u.avail.v
		if !u.used.ok || !u.avail.ok || total <= 0 {
			continue
		}
		pct := round1(100 * u.used.v / total)
		if !best.ok || pct > best.v {
			best, mount = figure{v: pct, t: max(u.used.t, u.avail.t), ok: true}, u.mount
		}
	}
	return best, mount
}

// over returns old with the figures f carries replaced.
func (f batchFigures) over(old Figures) Figures {
	out := old
	newest := int64(math.MinInt64)
	set := func(dst **float64, fig figure) {
		if fig.ok {
			v := fig.v
			*dst = &v
			newest = max(newest, fig.t)
		}
	}
	set(&out.CPUPercent, f.cpu)
	set(&out.MemoryPercent, f.mem)
	set(&out.Load1, f.load1)
	set(&out.DiskPercent, f.disk)
	if f.disk.ok {
		out.DiskMount = f.diskMount
	}
	if newest != math.MinInt64 && (old.Time == nil || time.UnixMilli(newest).After(*old.Time)) {
		t := time.UnixMilli(newest).UTC()
		out.Time = &t
	}
	return out
}

func label(ls []collector.Label, name string) string {
	for _, l := range ls {
		if l.Name == name {
			return l.Value
		}
	}
	return ""
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }
