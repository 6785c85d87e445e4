//go:build !linux

package collector

// procFS stands in for the /proc reader where there is no /proc: the
// process scanner returns ErrNotSupported.
type procFS struct {
	stat, buf []byte
}

func (f *procFS) list(string) ([]int, error) { return nil, ErrNotSupported }

func (f *procFS) count(int, string) (int, error) { return 0, ErrNotSupported }

func (f *procFS) read(int, string, []byte) ([]byte, error) { return nil, ErrNotSupported }
