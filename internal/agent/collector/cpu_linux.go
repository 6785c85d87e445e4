package collector

import (
	"context"
	"fmt"
)

// Collect emits CPUCores, then the percentages of cpu="all" and of each
// core (none on the first call; see cpu.go).
func (c *cpuCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("cpu: %w", err)
	}
	if err := parseStat(data, &c.cur); err != nil {
		return fmt.Errorf("cpu: parsing %s: %w", c.path, err)
	}
	emit(Sample{Name: CPUCores, Value: float64(len(c.cur.cores))})
	if c.havePrev {
		c.emitPercentLocked(emit, "all", c.prevTotal, c.cur.total)
	}
	c.prevTotal, c.havePrev = c.cur.total, true
	for _, core := range c.cur.cores {
		if core.id < len(c.prevCores) && c.prevCores[core.id].ok {
			c.emitPercentLocked(emit, c.coreNameLocked(core.id), c.prevCores[core.id].times, core.times)
		}
	}
	c.rememberCoresLocked()
	return nil
}

// rememberCoresLocked keeps the current per-core counters for the next
// Collect; a core missing now (offline) starts afresh when it returns.
func (c *cpuCollector) rememberCoresLocked() {
	for i := range c.prevCores {
		c.prevCores[i].ok = false
	}
	for _, core := range c.cur.cores {
		for len(c.prevCores) <= core.id {
			c.prevCores = append(c.prevCores, prevCore{})
		}
		c.prevCores[core.id] = prevCore{times: core.times, ok: true}
	}
}
