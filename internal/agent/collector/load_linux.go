package collector

import (
	"context"
	"fmt"
)

// Collect emits Load1, Load5 and Load15.
func (c *loadCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	load, err := parseLoadavg(data)
	if err != nil {
		return fmt.Errorf("load: parsing %s: %w", c.path, err)
	}
	emit(Sample{Name: Load1, Value: load[0]})
	emit(Sample{Name: Load5, Value: load[1]})
	emit(Sample{Name: Load15, Value: load[2]})
	return nil
}
