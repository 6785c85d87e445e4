package collector

import (
	"context"
	"fmt"
)

// Collect emits UptimeSeconds.
func (c *uptimeCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("uptime: %w", err)
	}
	up, err := parseUptime(data)
	if err != nil {
		return fmt.Errorf("uptime: parsing %s: %w", c.path, err)
	}
	emit(Sample{Name: UptimeSeconds, Value: up})
	return nil
}
