//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: /proc/stat is Linux's.
func (c *cpuCollector) Collect(context.Context, Emit) error { return ErrNotSupported }
