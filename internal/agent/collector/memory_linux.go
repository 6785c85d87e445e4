package collector

import (
	"context"
	"fmt"
)

// Collect emits MemoryBytes (total, used, free, available, buffers,
// cached) and SwapBytes (total, used, free); see memory.go.
func (c *memoryCollector) Collect(_ context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	m, err := parseMeminfo(data)
	if err != nil {
		return fmt.Errorf("memory: parsing %s: %w", c.path, err)
	}
	mem, swap := memoryKinds(m)
	for _, kv := range mem {
		c.labels[0] = Label{Name: "kind", Value: kv.kind}
		emit(Sample{Name: MemoryBytes, Labels: c.labels[:], Value: float64(kv.value)})
	}
	for _, kv := range swap {
		c.labels[0] = Label{Name: "kind", Value: kv.kind}
		emit(Sample{Name: SwapBytes, Labels: c.labels[:], Value: float64(kv.value)})
	}
	return nil
}
