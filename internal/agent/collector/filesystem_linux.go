package collector

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"syscall"
	"time"
)

// Collect emits the size and inodes of each filesystem worth measuring;
// see filesystem.go for which, and for how a hung statfs is handled.
func (c *filesystemCollector) Collect(ctx context.Context, emit Emit) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	data, err := c.file.read(c.path)
	if err != nil {
		return fmt.Errorf("filesystem: %w", err)
	}
	if !bytes.Equal(data, c.raw) {
		if c.all, err = parseMountinfo(data, c.all); err != nil {
			c.raw = c.raw[:0]
			return fmt.Errorf("filesystem: parsing %s: %w", c.path, err)
		}
		c.mounts = selectMounts(c.all, c.mounts)
		c.raw = append(c.raw[:0], data...)
	}
	err = c.statAllLocked(ctx)
	for i, a := range c.answers {
		if a.done && a.err == nil && a.stats.blocks > 0 {
			c.emitLocked(emit, c.mounts[i], a.stats)
		}
	}
	if err != nil {
		return fmt.Errorf("filesystem: %w", err)
	}
	return nil
}

// statAllLocked calls statfs on every mount at once and waits for the
// answers until c.timeout or ctx ends, filling c.answers. It returns the
// errors worth reporting, and names the mounts that did not answer.
func (c *filesystemCollector) statAllLocked(ctx context.Context) error {
	c.answers = slices.Grow(c.answers[:0], len(c.mounts))[:len(c.mounts)]
	clear(c.answers)
	ch := make(chan fsAnswer, len(c.mounts))
	waiting := 0
	for i, m := range c.mounts {
		if c.start(i, m.mountpoint, ch) {
			waiting++
		}
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	var errs []error
	for ; waiting > 0; waiting-- {
		select {
		case a := <-ch:
			c.answers[a.i] = a
			if a.err != nil && !quietStatfsError(a.err) {
				errs = append(errs, fmt.Errorf("statfs %s: %w", c.mounts[a.i].mountpoint, a.err))
			}
		case <-timer.C:
			return errors.Join(append(errs, c.unansweredLocked(c.timeout.String()))...)
		case <-ctx.Done():
			return errors.Join(append(errs, c.unansweredLocked("the collection's deadline"), ctx.Err())...)
		}
	}
	return errors.Join(errs...)
}

// start calls statfs on mp in a goroutine that sends its answer, as i, to
// ch. It returns false, calling nothing, when an earlier call on mp has
// not returned yet.
func (c *filesystemCollector) start(i int, mp string, ch chan<- fsAnswer) bool {
	c.pendingMu.Lock()
	defer c.pendingMu.Unlock()
	if c.pending[mp] {
		return false
	}
	c.pending[mp] = true
	go func() {
		st, err := c.statfs(mp)
		c.pendingMu.Lock()
		delete(c.pending, mp)
		c.pendingMu.Unlock()
		ch <- fsAnswer{i: i, stats: st, err: err, done: true}
	}()
	return true
}

// unansweredLocked names the mounts whose statfs was started in this
// Collect and did not answer within limit.
func (c *filesystemCollector) unansweredLocked(limit string) error {
	var errs []error
	c.pendingMu.Lock()
	defer c.pendingMu.Unlock()
	for i, m := range c.mounts {
		if !c.answers[i].done && c.pending[m.mountpoint] {
			errs = append(errs, fmt.Errorf("statfs %s: no answer within %s; skipped until it answers", m.mountpoint, limit))
		}
	}
	return errors.Join(errs...)
}

// quietStatfsError reports whether err means the mount is out of the
// agent's reach or gone, which is not worth a log line every second.
func quietStatfsError(err error) bool {
	return errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.ENOENT)
}

// emitLocked emits the bytes and inodes of one filesystem.
func (c *filesystemCollector) emitLocked(emit Emit, m mount, st fsStats) {
	c.labels[0] = Label{Name: "device", Value: m.device}
	c.labels[1] = Label{Name: "fstype", Value: m.fstype}
	c.labels[3] = Label{Name: "mountpoint", Value: m.mountpoint}
	for _, kv := range fsBytes(st) {
		c.labels[2] = Label{Name: "kind", Value: kv.kind}
		emit(Sample{Name: FilesystemBytes, Labels: c.labels[:], Value: float64(kv.value)})
	}
	if st.files == 0 {
		return
	}
	for _, kv := range fsInodes(st) {
		c.labels[2] = Label{Name: "kind", Value: kv.kind}
		emit(Sample{Name: FilesystemInodes, Labels: c.labels[:], Value: float64(kv.value)})
	}
}

// statfs calls statfs(2) on path, retrying a call a signal interrupted.
func statfs(path string) (fsStats, error) {
	var st syscall.Statfs_t
	var err error
	for range 3 {
		if err = syscall.Statfs(path, &st); err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return fsStats{}, err
	}
	bs := uint64(st.Frsize)
	if bs == 0 {
		bs = uint64(st.Bsize)
	}
	return fsStats{
		blockSize: bs, blocks: uint64(st.Blocks), bfree: uint64(st.Bfree),
		bavail: uint64(st.Bavail), files: uint64(st.Files), ffree: uint64(st.Ffree),
	}, nil
}
