package collector

import (
	"fmt"
	"sync"
)

// The load collector reads /proc/loadavg and emits Load1, Load5 and
// Load15: the kernel's 1, 5 and 15 minute averages of runnable and
// uninterruptible tasks, with the two decimals the kernel prints.

// parseLoadavg returns the three averages at the start of /proc/loadavg.
func parseLoadavg(data []byte) (load [3]float64, err error) {
	var buf [8][]byte
	line, _ := nextLine(data)
	cols := fields(line, buf[:0])
	if len(cols) < 3 {
		return load, fmt.Errorf("%d fields, want at least 3", len(cols))
	}
	for i := range load {
		v, err := parseFixedPoint(cols[i])
		if err != nil {
			return load, fmt.Errorf("field %d: %w", i+1, err)
		}
		load[i] = round(v, 2)
	}
	return load, nil
}

// loadCollector reads /proc/loadavg.
type loadCollector struct {
	path string

	mu   sync.Mutex // serializes Collect; protects file
	file fileBuffer
}

// NewLoad returns the load average collector reading p's /proc/loadavg.
func NewLoad(p Paths) Collector {
	return &loadCollector{path: p.ProcPath("loadavg")}
}
