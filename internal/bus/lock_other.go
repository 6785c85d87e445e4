//go:build !unix

package bus

import (
	"fmt"
	"os"
	"path/filepath"
)

// lockStore opens dir/picket.lock without locking it: this platform has
// no flock, so two servers sharing a store are not detected.
func lockStore(dir string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(dir, "picket.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening store lock: %w", err)
	}
	return f, nil
}
