package main

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// synthHost emits what a quiet server with about a hundred processes
// would: 8 cores, memory and swap, 5 filesystems, 3 disks, 4 interfaces,
// load, uptime and 40 process names, 287 series, each a random walk
// rounded as the collectors round at the source (CPU to 1/16 %, load to
// 0.01, bytes and counts to whole numbers). Quiet parts (filesystems,
// disks, swap, errors) change at fewer ticks than busy ones (CPU, load).
type synthHost struct {
	rng  *rand.Rand
	vals []float64 // per series, in emit order
	i    int
	move float64 // the chance that a series changes at a tick, for the next points
}

func newSynthHost(seed uint64) *synthHost {
	return &synthHost{rng: rand.New(rand.NewPCG(seed, 42))}
}

func labels(kv ...string) []collector.Label {
	ls := make([]collector.Label, 0, len(kv)/2)
	for j := 0; j+1 < len(kv); j += 2 {
		ls = append(ls, collector.Label{Name: kv[j], Value: kv[j+1]})
	}
	return ls
}

// point emits the next value of the next series: it starts somewhere in
// [0, scale) and, with chance h.move, moves by up to step a tick, rounded
// by rnd.
// Gauges (gauge true) wander both ways, counters only grow.
func (h *synthHost) point(emit collector.Emit, name string, scale, step float64, rnd func(float64) float64, gauge bool, ls []collector.Label) {
	if h.i == len(h.vals) {
		h.vals = append(h.vals, math.Round(h.rng.Float64()*scale))
	}
	d := h.rng.Float64() * step
	if h.rng.Float64() >= h.move {
		d = 0
	} else if gauge {
		d -= step / 2
	}
	v := rnd(h.vals[h.i] + d)
	if v < 0 {
		v = 0
	}
	h.vals[h.i] = v
	emit(collector.Sample{Name: name, Labels: ls, Value: v})
	h.i++
}

// Roundings of point, as the collectors round.
func whole(v float64) float64      { return math.Round(v) }
func sixteenths(v float64) float64 { return math.Round(v*16) / 16 }
func hundredths(v float64) float64 { return math.Round(v*100) / 100 }

// tick emits one tick's samples; procs says whether the process table is
// due (every fifth tick in the agent's defaults).
func (h *synthHost) tick(emit collector.Emit, procs bool) {
	h.i, h.move = 0, 1
	for c := -1; c < 8; c++ {
		cpu := "all"
		if c >= 0 {
			cpu = fmt.Sprint(c)
		}
		for _, m := range []string{"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"} {
			h.point(emit, collector.CPUPercent, 10, 0.6, sixteenths, true, labels("cpu", cpu, "mode", m))
		}
	}
	h.move = 0.7
	for _, k := range []string{"total", "used", "free", "available", "buffers", "cached"} {
		h.point(emit, collector.MemoryBytes, 1<<34, 8192*3, whole, true, labels("kind", k))
	}
	for _, k := range []string{"total", "used", "free"} {
		h.point(emit, collector.SwapBytes, 1<<31, 0, whole, true, labels("kind", k))
	}
	h.storage(emit)
	h.move = 1
	h.point(emit, collector.Load1, 2, 0.1, hundredths, true, nil)
	h.point(emit, collector.Load5, 2, 0.04, hundredths, true, nil)
	h.point(emit, collector.Load15, 2, 0.02, hundredths, true, nil)
	h.point(emit, collector.UptimeSeconds, 1e7, 2, whole, false, nil)
	if !procs {
		return
	}
	h.move = 0.4
	for p := range 40 {
		name := labels("name", fmt.Sprintf("proc-%02d", p))
		h.point(emit, collector.ProcessCount, 4, 0, whole, true, name)
		h.point(emit, collector.ProcessCPUPercent, 5, 0.4, sixteenths, true, name)
		h.point(emit, collector.ProcessRSSBytes, 1<<30, 8192, whole, true, name)
	}
}

func (h *synthHost) storage(emit collector.Emit) {
	h.move = 0.2 // filesystems and disks of a quiet server
	for _, m := range []string{"/", "/boot", "/home", "/var/lib/docker", "/srv/data"} {
		for _, k := range []string{"size", "used", "free", "avail"} {
			h.point(emit, collector.FilesystemBytes, 1<<38, 4096*4, whole, true, labels("device", "/dev/sda1", "fstype", "ext4", "kind", k, "mountpoint", m))
		}
		for _, k := range []string{"total", "used", "free"} {
			h.point(emit, collector.FilesystemInodes, 1<<22, 2, whole, true, labels("device", "/dev/sda1", "fstype", "ext4", "kind", k, "mountpoint", m))
		}
	}
	for _, d := range []string{"nvme0n1", "sda", "sdb"} {
		for _, n := range []string{collector.DiskReadBytes, collector.DiskWrittenBytes, collector.DiskReads, collector.DiskWrites, collector.DiskBusySeconds} {
			h.point(emit, n, 1<<40, 1<<16, whole, false, labels("device", d))
		}
	}
	for _, f := range []string{"lo", "eth0", "eth1", "docker0"} {
		h.move = 0.8
		for _, n := range []string{collector.NetReceiveBytes, collector.NetTransmitBytes, collector.NetReceivePackets, collector.NetTransmitPackets} {
			h.point(emit, n, 1<<40, 1<<12, whole, false, labels("interface", f))
		}
		for _, n := range []string{collector.NetReceiveErrors, collector.NetTransmitErrors, collector.NetReceiveDrops, collector.NetTransmitDrops} {
			h.point(emit, n, 100, 0, whole, false, labels("interface", f)) // errors and drops rarely move
		}
	}
}
