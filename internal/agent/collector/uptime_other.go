//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: /proc/uptime is Linux's.
func (c *uptimeCollector) Collect(context.Context, Emit) error { return ErrNotSupported }
