//go:build unix

package bus

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockStore takes an exclusive lock on dir/picket.lock, so that two
// servers never share one store: JetStream does not guard against it, and
// two writers corrupt it. The lock lasts until the file is closed or the
// process ends.
func lockStore(dir string) (*os.File, error) {
	name := filepath.Join(dir, "picket.lock")
	f, err := os.OpenFile(name, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening store lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s (is another picket using this data directory?): %w", name, err)
	}
	return f, nil
}
