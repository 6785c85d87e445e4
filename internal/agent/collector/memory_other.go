//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: /proc/meminfo is Linux's.
func (c *memoryCollector) Collect(context.Context, Emit) error { return ErrNotSupported }
