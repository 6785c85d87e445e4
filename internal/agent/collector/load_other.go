//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: /proc/loadavg is Linux's.
func (c *loadCollector) Collect(context.Context, Emit) error { return ErrNotSupported }
