package collector

import (
	"bytes"
	"fmt"
	"strconv"
	"sync"
)

// The CPU collector reads /proc/stat and emits, for the whole machine
// (cpu="all") and for each online core (cpu="0", "1", ...), the share of
// the time elapsed since the previous Collect spent in each mode, in
// percent rounded to 1/16 (see roundBinary: as precise as 0.1, and a
// quarter of the bytes on disk). For cpu="all" the elapsed time is the sum over
// all cores, so every value stays between 0 and 100 (top's convention);
// per core it is that core's time.
//
// Choices:
//   - The first Collect has no previous counters and emits no percentages,
//     only CPUCores; a core that comes online later starts the same way.
//   - Guest time (the kernel's guest and guest_nice columns) is already
//     included in user and nice, so it is counted there once and not
//     reported on its own; adding it would count it twice.
//   - A counter that went backwards (iowait does on some kernels) counts as
//     0 elapsed for that mode, so no percentage is ever negative. When the
//     counters went back more than forward (they restarted: a restored VM,
//     a core that came back) or no time elapsed, nothing is emitted for
//     that CPU on that Collect; the new counters are the next baseline.
//   - CPUCores is the number of cpuN lines: the cores online now.

// cpuModes are the label values of the mode columns of /proc/stat, in the
// kernel's order.
var cpuModes = [...]string{"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"}

// cpuTimes are the jiffies a CPU spent in each of cpuModes.
type cpuTimes [len(cpuModes)]uint64

// coreTimes are the counters of one core, id being N in "cpuN".
type coreTimes struct {
	id    int
	times cpuTimes
}

// cpuStat is the CPU part of one read of /proc/stat.
type cpuStat struct {
	total cpuTimes
	cores []coreTimes
}

// parseStat reads the cpu lines at the top of /proc/stat into dst,
// reusing dst.cores. Columns missing on old kernels are zero; columns
// after steal (guest, guest_nice and any newer ones) are ignored.
func parseStat(data []byte, dst *cpuStat) error {
	dst.cores = dst.cores[:0]
	sawTotal := false
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data = nextLine(data)
		if !bytes.HasPrefix(line, []byte("cpu")) {
			break // the cpu lines come first; the rest is not ours
		}
		id, t, err := parseCPULine(line)
		if err != nil {
			return fmt.Errorf("line %d: %w", n, err)
		}
		if id < 0 {
			dst.total, sawTotal = t, true
			continue
		}
		dst.cores = append(dst.cores, coreTimes{id: id, times: t})
	}
	if !sawTotal {
		return fmt.Errorf("no cpu line")
	}
	return nil
}

// parseCPULine reads one "cpu" or "cpuN" line; id is N, or -1 for the
// total.
func parseCPULine(line []byte) (id int, t cpuTimes, err error) {
	var buf [16][]byte
	cols := fields(line, buf[:0])
	if len(cols) < 5 {
		return 0, t, fmt.Errorf("%d fields, want at least 5", len(cols))
	}
	for i := range min(len(t), len(cols)-1) {
		if t[i], err = parseUint(cols[i+1]); err != nil {
			return 0, t, fmt.Errorf("%s: %w", cpuModes[i], err)
		}
	}
	if len(cols[0]) == 3 {
		return -1, t, nil
	}
	n, err := parseUint(cols[0][3:])
	if err != nil || n > 1<<20 {
		return 0, t, fmt.Errorf("bad cpu name %q", cols[0])
	}
	return int(n), t, nil
}

// cpuShares returns each mode's share of the jiffies elapsed between
// prev and cur, in percent rounded to 1/16. A mode whose counter went
// backwards counts as 0. ok is false when no time elapsed, or when the
// counters went back by more than they went forward: they restarted, and
// cur is only a new starting point.
func cpuShares(prev, cur cpuTimes) (pct [len(cpuModes)]float64, ok bool) {
	var d cpuTimes
	var grew, shrank float64 // float64: sums of 64-bit deltas may not fit
	for i := range cur {
		if cur[i] >= prev[i] {
			d[i] = cur[i] - prev[i]
			grew += float64(d[i])
		} else {
			shrank += float64(prev[i] - cur[i])
		}
	}
	if grew == 0 || shrank > grew {
		return pct, false
	}
	for i := range d {
		pct[i] = roundBinary(float64(d[i])*100/grew, percentBits)
	}
	return pct, true
}

// cpuCollector keeps the previous counters between Collects.
type cpuCollector struct {
	path string

	mu        sync.Mutex // serializes Collect; protects the fields below
	file      fileBuffer
	cur       cpuStat
	prevTotal cpuTimes
	havePrev  bool
	prevCores []prevCore // indexed by core id
	names     []string   // core id as a label value, indexed by core id
	labels    [2]Label
}

type prevCore struct {
	times cpuTimes
	ok    bool
}

// NewCPU returns the CPU collector reading p's /proc/stat.
func NewCPU(p Paths) Collector {
	return &cpuCollector{path: p.ProcPath("stat")}
}

// emitPercentLocked emits one sample per mode for the CPU named cpu.
func (c *cpuCollector) emitPercentLocked(emit Emit, cpu string, prev, cur cpuTimes) {
	pct, ok := cpuShares(prev, cur)
	if !ok {
		return
	}
	c.labels[0] = Label{Name: "cpu", Value: cpu}
	for i, mode := range cpuModes {
		c.labels[1] = Label{Name: "mode", Value: mode}
		emit(Sample{Name: CPUPercent, Labels: c.labels[:], Value: pct[i]})
	}
}

// coreNameLocked returns core id as a label value, made once per core.
func (c *cpuCollector) coreNameLocked(id int) string {
	for len(c.names) <= id {
		c.names = append(c.names, strconv.Itoa(len(c.names)))
	}
	return c.names[id]
}
