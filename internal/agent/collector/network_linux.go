package collector

import (
	"context"
	"fmt"
)

// Collect emits the eight network counters of each interface.
func (c *networkCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("network: %w", err)
	}
	c.devs, err = parseNetDev(data, c.devs)
	if err != nil {
		return fmt.Errorf("network: parsing %s: %w", c.path, err)
	}
	for _, d := range c.devs {
		name, _ := c.names.get(d.name)
		c.labels[0] = Label{Name: "interface", Value: name}
		for i, series := range netSeries {
			emit(Sample{Name: series, Labels: c.labels[:], Value: float64(d.counters[i])})
		}
	}
	c.names.trim(len(c.devs))
	return nil
}
