//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: /proc/net/dev is Linux's.
func (c *networkCollector) Collect(context.Context, Emit) error { return ErrNotSupported }
