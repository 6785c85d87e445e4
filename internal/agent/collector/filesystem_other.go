//go:build !linux

package collector

import "context"

// Collect returns ErrNotSupported: mounts are listed from Linux's
// /proc/self/mountinfo.
func (c *filesystemCollector) Collect(context.Context, Emit) error { return ErrNotSupported }

// statfs is not used off Linux.
func statfs(string) (fsStats, error) { return fsStats{}, ErrNotSupported }
