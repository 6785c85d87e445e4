package collector

import (
	"bytes"
	"fmt"
	"sync"
)

// The memory collector reads /proc/meminfo and emits MemoryBytes and
// SwapBytes with the figures `free -b -w` (procps-ng 4) shows:
//
//	total     MemTotal
//	free      MemFree
//	available MemAvailable: the kernel's estimate of what can be given to
//	          new work without swapping
//	used      MemTotal - MemAvailable
//	buffers   Buffers
//	cached    Cached + SReclaimable (free's "cache" column)
//	swap      SwapTotal, SwapTotal - SwapFree, SwapFree
//
// Used is total minus available, not total - free - buffers - cached:
// the older formula calls tmpfs and shared memory (inside Cached, but not
// reclaimable) free, and reclaimable slab used; available is the kernel's
// own account of both, so "memory above N %" fires when memory is really
// short. Kernels before 3.14 have no MemAvailable; there available is
// taken as free + buffers + cached.
//
// Swap is emitted even when there is none (all three zero), so a host
// that adds swap later shows it without a restart, and a rule on swap
// sees a value rather than an absent series; constant zeros cost almost
// nothing in storage.

// meminfo holds the /proc/meminfo fields the collector uses, in bytes.
type meminfo struct {
	total, free, available, buffers, cached, sReclaimable uint64
	swapTotal, swapFree                                   uint64
	hasAvailable                                          bool
}

// parseMeminfo reads /proc/meminfo. MemTotal is required; other missing
// fields are zero. Values in kB are turned into bytes.
func parseMeminfo(data []byte) (meminfo, error) {
	var m meminfo
	var buf [4][]byte
	hasTotal := false
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data = nextLine(data)
		key, rest, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		dst := m.field(key)
		if dst == nil {
			continue
		}
		cols := fields(rest, buf[:0])
		if len(cols) == 0 {
			return m, fmt.Errorf("line %d: %s has no value", n, key)
		}
		v, err := parseUint(cols[0])
		if err != nil {
			return m, fmt.Errorf("line %d: %s: %w", n, key, err)
		}
		if len(cols) > 1 && string(cols[1]) == "kB" {
			v *= 1024
		}
		*dst = v
		hasTotal = hasTotal || string(key) == "MemTotal"
		m.hasAvailable = m.hasAvailable || string(key) == "MemAvailable"
	}
	if !hasTotal {
		return m, fmt.Errorf("no MemTotal")
	}
	return m, nil
}

// field returns where the value of the meminfo line named key goes, or
// nil for a line the collector does not use.
func (m *meminfo) field(key []byte) *uint64 {
	switch string(key) {
	case "MemTotal":
		return &m.total
	case "MemFree":
		return &m.free
	case "MemAvailable":
		return &m.available
	case "Buffers":
		return &m.buffers
	case "Cached":
		return &m.cached
	case "SReclaimable":
		return &m.sReclaimable
	case "SwapTotal":
		return &m.swapTotal
	case "SwapFree":
		return &m.swapFree
	}
	return nil
}

// memoryCollector reads /proc/meminfo.
type memoryCollector struct {
	path string

	mu     sync.Mutex // serializes Collect; protects the fields below
	file   fileBuffer
	labels [1]Label
}

// NewMemory returns the memory and swap collector reading p's
// /proc/meminfo.
func NewMemory(p Paths) Collector {
	return &memoryCollector{path: p.ProcPath("meminfo")}
}

// memoryKinds returns the (kind, value) pairs of MemoryBytes and
// SwapBytes for m, as documented above.
func memoryKinds(m meminfo) (mem [6]kindValue, swap [3]kindValue) {
	cached := m.cached + m.sReclaimable
	avail := m.available
	if !m.hasAvailable {
		avail = m.free + m.buffers + cached
	}
	avail = min(avail, m.total)
	mem = [6]kindValue{
		{"total", m.total}, {"used", m.total - avail}, {"free", m.free},
		{"available", avail}, {"buffers", m.buffers}, {"cached", cached},
	}
	swapFree := min(m.swapFree, m.swapTotal)
	swap = [3]kindValue{{"total", m.swapTotal}, {"used", m.swapTotal - swapFree}, {"free", swapFree}}
	return mem, swap
}

// kindValue is one value of a series labelled by kind.
type kindValue struct {
	kind  string
	value uint64
}
