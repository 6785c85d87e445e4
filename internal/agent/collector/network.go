package collector

import (
	"bytes"
	"fmt"
	"sync"
)

// The network collector reads /proc/net/dev and emits, per interface
// (label interface), the kernel's counters of bytes, packets, errors and
// drops, received and transmitted. Every interface is kept, loopback
// included: lo's traffic is local services talking to each other, which
// is worth seeing, and each interface costs eight cheap series. The file
// describes the network namespace of the agent: run it in the host's
// namespace to see the host's interfaces.

// netSeries are the series of the eight columns netDev keeps.
var netSeries = [...]string{
	NetReceiveBytes, NetReceivePackets, NetReceiveErrors, NetReceiveDrops,
	NetTransmitBytes, NetTransmitPackets, NetTransmitErrors, NetTransmitDrops,
}

// netColumns are the columns of /proc/net/dev (after the colon) that
// netSeries come from: bytes, packets, errs, drop for receive (0-3) and
// for transmit (8-11).
var netColumns = [len(netSeries)]int{0, 1, 2, 3, 8, 9, 10, 11}

// netDev is one interface's line of /proc/net/dev; name points into the
// parsed data.
type netDev struct {
	name     []byte
	counters [len(netSeries)]uint64
}

// parseNetDev reads /proc/net/dev into dst[:0]. Lines without a colon
// (the two headings) are skipped; columns after the sixteenth are ignored.
func parseNetDev(data []byte, dst []netDev) ([]netDev, error) {
	dst = dst[:0]
	var buf [20][]byte
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data = nextLine(data)
		name, rest, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		// Old kernels print large counters right after the colon, with no
		// space, which is why the name is cut at the colon.
		cols := fields(rest, buf[:0])
		if len(cols) < 16 {
			return dst, fmt.Errorf("line %d: %d columns, want 16", n, len(cols))
		}
		d := netDev{name: bytes.TrimSpace(name)}
		for i, col := range netColumns {
			v, err := parseUint(cols[col])
			if err != nil {
				return dst, fmt.Errorf("line %d, column %d: %w", n, col+1, err)
			}
			d.counters[i] = v
		}
		dst = append(dst, d)
	}
	return dst, nil
}

// networkCollector reads /proc/net/dev.
type networkCollector struct {
	path string

	mu     sync.Mutex // serializes Collect; protects the fields below
	file   fileBuffer
	devs   []netDev
	names  interner
	labels [1]Label
}

// NewNetwork returns the network interface collector reading p's
// /proc/net/dev.
func NewNetwork(p Paths) Collector {
	return &networkCollector{path: p.ProcPath("net", "dev")}
}
