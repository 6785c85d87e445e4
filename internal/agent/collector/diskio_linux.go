package collector

import (
	"context"
	"fmt"
)

// Collect emits the five disk counters of each device not skipped.
func (c *diskCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("diskio: %w", err)
	}
	c.devs, err = parseDiskstats(data, c.devs)
	if err != nil {
		return fmt.Errorf("diskio: parsing %s: %w", c.path, err)
	}
	for _, d := range c.devs {
		name, skip := c.names.get(d.name)
		if skip {
			continue
		}
		c.labels[0] = Label{Name: "device", Value: name}
		for i, series := range diskSeries {
			emit(Sample{Name: series, Labels: c.labels[:], Value: diskValue(i, d.counters[i])})
		}
	}
	c.names.trim(len(c.devs))
	return nil
}
