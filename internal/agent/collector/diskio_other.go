//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: /proc/diskstats is Linux's.
func (c *diskCollector) Collect(context.Context, Emit) error { return ErrNotSupported }
