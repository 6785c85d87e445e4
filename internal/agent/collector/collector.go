// Package collector measures a host from inside: CPU, memory, filesystems,
// disk I/O, network, load, uptime, processes and systemd units. One file
// per collector (cpu.go, and cpu_linux.go where the platform matters);
// registry.go is the one list. Parsers are pure functions over the text
// of /proc and /sys files, tested on files under testdata/; the root of
// those trees is a field, so tests point it at testdata/ and the agent at
// the real ones.
//
// Values are rounded at the source to the precision that matters, which
// is what keeps a stored sample near one byte: bytes and counts are whole
// numbers, and values with a fraction are rounded to a binary one at
// least as fine as the decimal precision that matters (CPU to 1/16 %
// rather than 0.1 %, busy time to 1/1024 s), because the TSDB's XOR
// encoding stores a change between binary fractions in a few bits and a
// change between decimal ones in about 7 bytes (see roundBinary).
package collector

import (
	"context"
	"errors"
)

// Label is one label of a sample. The agent adds host="<id>" itself.
type Label struct{ Name, Value string }

// Sample is one measurement. Name follows Prometheus conventions and
// starts with picket_host_ (see names.go); counters end in _total and are
// cumulative, as the kernel reports them, so rate() works and nothing is
// lost when a batch is.
type Sample struct {
	Name   string
	Labels []Label
	Value  float64
}

// Emit receives the samples of one collection. It must not keep Labels
// past the call; collectors may reuse the slice.
type Emit func(Sample)

// Collector measures one aspect of the host.
type Collector interface {
	// Collect emits the current samples. It returns ErrNotSupported when
	// the aspect does not exist on this host (no systemd, no swap, not
	// Linux), and other errors for a failure worth logging.
	Collect(ctx context.Context, emit Emit) error
}

// ErrNotSupported says a collector has nothing to measure on this host;
// check it with errors.Is. The agent disables such a collector quietly.
var ErrNotSupported = errors.New("not supported on this host")

// Paths are the roots of the trees collectors read, so tests can point
// them at testdata/. The zero value is the real host.
type Paths struct {
	Proc string // default /proc
	Sys  string // default /sys
}

// ProcPath joins p's proc root with elems.
func (p Paths) ProcPath(elems ...string) string { return join(or(p.Proc, "/proc"), elems) }

// SysPath joins p's sys root with elems.
func (p Paths) SysPath(elems ...string) string { return join(or(p.Sys, "/sys"), elems) }

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func join(root string, elems []string) string {
	for _, e := range elems {
		root += "/" + e
	}
	return root
}
