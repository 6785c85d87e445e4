package collector

import (
	"fmt"
	"math"
	"sync"
)

// The uptime collector reads /proc/uptime and emits UptimeSeconds: whole
// seconds since boot, rounded down, so the value only grows and a reboot
// shows as a drop.

// parseUptime returns the seconds since boot, the first field of
// /proc/uptime, rounded down.
func parseUptime(data []byte) (float64, error) {
	var buf [4][]byte
	line, _ := nextLine(data)
	cols := fields(line, buf[:0])
	if len(cols) == 0 {
		return 0, fmt.Errorf("empty file")
	}
	v, err := parseFixedPoint(cols[0])
	if err != nil {
		return 0, err
	}
	return math.Floor(v), nil
}

// uptimeCollector reads /proc/uptime.
type uptimeCollector struct {
	path string

	mu   sync.Mutex // serializes Collect; protects file
	file fileBuffer
}

// NewUptime returns the uptime collector reading p's /proc/uptime.
func NewUptime(p Paths) Collector {
	return &uptimeCollector{path: p.ProcPath("uptime")}
}
