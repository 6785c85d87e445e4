package wire

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// fakeHost emits what the agent's collectors emit on a quiet server with
// about a hundred processes: 8 cores, 5 filesystems, 3 disks, 4
// interfaces, 40 process names. Values are rounded as at the source.
type fakeHost struct {
	rng       *rand.Rand
	tick      int
	cpu       [8][8]float64
	mem       [6]float64
	fsUsed    [5]float64
	disk      [3][5]float64
	net       [4][8]float64
	load      [3]float64
	uptime    float64
	procCPU   [40]float64
	procRSS   [40]float64
	procEvery int // the process series come every procEvery ticks
}

func newFakeHost(seed uint64, procEvery int) *fakeHost {
	h := &fakeHost{rng: rand.New(rand.NewPCG(seed, 1)), uptime: 1234567.89, procEvery: procEvery}
	for i := range h.procRSS {
		h.procRSS[i] = float64(4096 * (1000 + h.rng.IntN(50000)))
	}
	h.mem = [6]float64{16 << 30, 3 << 30, 9 << 30, 12 << 30, 200 << 20, 4 << 30}
	for i := range h.fsUsed {
		h.fsUsed[i] = float64(4096 * h.rng.IntN(10_000_000))
	}
	h.load = [3]float64{0.42, 0.35, 0.3}
	for i := range h.disk { // counters since boot, weeks ago
		h.disk[i] = [5]float64{float64(512 * h.rng.IntN(1e9)), float64(512 * h.rng.IntN(1e10)),
			float64(h.rng.IntN(1e7)), float64(h.rng.IntN(1e8)), roundBinary(float64(h.rng.IntN(1e8))/1000, 10)}
	}
	for i := range h.net {
		h.net[i] = [8]float64{float64(h.rng.IntN(1e12)), float64(h.rng.IntN(1e12)), float64(h.rng.IntN(1e9)),
			float64(h.rng.IntN(1e9)), float64(h.rng.IntN(100)), 0, float64(h.rng.IntN(10000)), 0}
	}
	return h
}

func round(v float64, k int) float64 { p := math.Pow10(k); return math.Round(v*p) / p }

// roundBinary rounds v to a multiple of 2^-bits, as the collectors round
// CPU percent (1/16) and busy seconds (1/1024).
func roundBinary(v float64, bits int) float64 {
	return math.Ldexp(math.Round(math.Ldexp(v, bits)), -bits)
}

var (
	cpuModes = []string{"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"}
	memKinds = []string{"total", "used", "free", "available", "buffers", "cached"}
	fsMounts = []string{"/", "/boot", "/home", "/var/lib/docker", "/srv/data"}
	fsKinds  = []string{"size", "used", "free", "avail"}
	disks    = []string{"nvme0n1", "sda", "sdb"}
	ifaces   = []string{"lo", "eth0", "eth1", "docker0"}
	procs    = func() []string {
		names := []string{"systemd", "sshd", "nginx", "postgres", "redis-server", "picket", "cron", "rsyslogd",
			"dockerd", "containerd", "journald", "udevd", "dbus-daemon", "chronyd", "agetty", "bash",
			"node", "python3", "java", "php-fpm"}
		for i := len(names); i < 40; i++ {
			names = append(names, fmt.Sprintf("kworker-%d", i))
		}
		return names
	}()
)

// emit emits one tick's samples.
func (h *fakeHost) emit(emit collector.Emit) {
	h.tick++
	h.emitCPU(emit)
	h.emitMemory(emit)
	h.emitFilesystems(emit)
	h.emitDisks(emit)
	h.emitNetwork(emit)
	h.uptime += 1 + float64(h.rng.IntN(5)-2)/100
	h.uptime = round(h.uptime, 2)
	if h.tick%5 == 0 {
		for i := range h.load {
			h.load[i] = round(max(0, h.load[i]+h.rng.NormFloat64()*0.05), 2)
		}
	}
	for i, n := range []string{collector.Load1, collector.Load5, collector.Load15} {
		emit(collector.Sample{Name: n, Value: h.load[i]})
	}
	emit(collector.Sample{Name: collector.UptimeSeconds, Value: h.uptime})
	if h.procEvery <= 1 || h.tick%h.procEvery == 0 {
		h.emitProcesses(emit)
	}
}

func (h *fakeHost) emitCPU(emit collector.Emit) {
	emit(collector.Sample{Name: collector.CPUCores, Value: 8})
	for c := range h.cpu {
		busy := 0.0
		for m := range cpuModes {
			if m == 3 {
				continue
			}
			scale := []float64{2, 0.05, 0.8, 0, 0.3, 0.05, 0.1, 0}[m]
			h.cpu[c][m] = roundBinary(math.Abs(h.rng.NormFloat64()*scale), 4)
			busy += h.cpu[c][m]
		}
		h.cpu[c][3] = roundBinary(100-busy, 4)
		for m, mode := range cpuModes {
			emit(collector.Sample{Name: collector.CPUPercent, Value: h.cpu[c][m],
				Labels: []collector.Label{{Name: "cpu", Value: fmt.Sprint(c)}, {Name: "mode", Value: mode}}})
		}
	}
}

func (h *fakeHost) emitMemory(emit collector.Emit) {
	d := float64(4096 * (h.rng.IntN(200) - 100))
	h.mem[1] += d
	h.mem[2] -= d
	h.mem[3] -= d
	h.mem[5] += float64(4096 * h.rng.IntN(3))
	for i, k := range memKinds {
		emit(collector.Sample{Name: collector.MemoryBytes, Value: h.mem[i], Labels: []collector.Label{{Name: "kind", Value: k}}})
	}
	for i, k := range []string{"total", "used", "free"} {
		emit(collector.Sample{Name: collector.SwapBytes, Value: []float64{2 << 30, 1 << 20, 2<<30 - 1<<20}[i],
			Labels: []collector.Label{{Name: "kind", Value: k}}})
	}
}

func (h *fakeHost) emitFilesystems(emit collector.Emit) {
	for i, mp := range fsMounts {
		if h.rng.IntN(3) == 0 {
			h.fsUsed[i] += float64(4096 * h.rng.IntN(64))
		}
		size := float64(int64(500) << 30)
		vals := []float64{size, h.fsUsed[i], size - h.fsUsed[i], size - h.fsUsed[i] - 1<<30}
		lbl := func(kind string) []collector.Label {
			return []collector.Label{{Name: "mountpoint", Value: mp}, {Name: "device", Value: fmt.Sprintf("/dev/nvme0n1p%d", i+1)},
				{Name: "fstype", Value: "ext4"}, {Name: "kind", Value: kind}}
		}
		for j, k := range fsKinds {
			emit(collector.Sample{Name: collector.FilesystemBytes, Value: vals[j], Labels: lbl(k)})
		}
		for j, k := range []string{"total", "used", "free"} {
			emit(collector.Sample{Name: collector.FilesystemInodes, Value: []float64{32768000, 250000, 32768000 - 250000}[j], Labels: lbl(k)})
		}
	}
}

func (h *fakeHost) emitDisks(emit collector.Emit) {
	names := []string{collector.DiskReadBytes, collector.DiskWrittenBytes, collector.DiskReads, collector.DiskWrites, collector.DiskBusySeconds}
	for i, dev := range disks {
		reads, writes := float64(h.rng.IntN(3)), float64(h.rng.IntN(20))
		h.disk[i][0] += 512 * reads * float64(8*(1+h.rng.IntN(4)))
		h.disk[i][1] += 512 * writes * float64(1+h.rng.IntN(64))
		h.disk[i][2] += reads
		h.disk[i][3] += writes
		h.disk[i][4] = round(h.disk[i][4]+float64(h.rng.IntN(30))/1000, 3)
		for j, n := range names {
			emit(collector.Sample{Name: n, Value: h.disk[i][j], Labels: []collector.Label{{Name: "device", Value: dev}}})
		}
	}
}

func (h *fakeHost) emitNetwork(emit collector.Emit) {
	names := []string{collector.NetReceiveBytes, collector.NetTransmitBytes, collector.NetReceivePackets, collector.NetTransmitPackets,
		collector.NetReceiveErrors, collector.NetTransmitErrors, collector.NetReceiveDrops, collector.NetTransmitDrops}
	for i, ifc := range ifaces {
		if i != 2 {
			rx, tx := float64(h.rng.IntN(40)), float64(h.rng.IntN(30))
			h.net[i][2] += rx
			h.net[i][3] += tx
			h.net[i][0] += rx * float64(60+h.rng.IntN(1400))
			h.net[i][1] += tx * float64(60+h.rng.IntN(1400))
		}
		for j, n := range names {
			emit(collector.Sample{Name: n, Value: h.net[i][j], Labels: []collector.Label{{Name: "interface", Value: ifc}}})
		}
	}
}

func (h *fakeHost) emitProcesses(emit collector.Emit) {
	emit(collector.Sample{Name: collector.ProcessesTotal, Value: 112})
	for i, p := range procs {
		l := []collector.Label{{Name: "name", Value: p}}
		if i%4 == 0 {
			h.procCPU[i] = round(math.Abs(h.rng.NormFloat64()*0.7), 1)
		}
		if h.rng.IntN(8) == 0 {
			h.procRSS[i] += float64(4096 * (h.rng.IntN(64) - 32))
		}
		emit(collector.Sample{Name: collector.ProcessCount, Value: float64(1 + i%3), Labels: l})
		emit(collector.Sample{Name: collector.ProcessCPUPercent, Value: h.procCPU[i], Labels: l})
		emit(collector.Sample{Name: collector.ProcessRSSBytes, Value: h.procRSS[i], Labels: l})
	}
}

// fill adds n ticks of h to b, a second apart with a few ms of jitter,
// from start, and returns the time after the last.
func fill(b *Builder, h *fakeHost, start int64, n int) int64 {
	for range n {
		t := start + int64(h.rng.IntN(7)) - 3
		h.emit(func(s collector.Sample) { b.Add(t, s) })
		start += 1000
	}
	return start
}
