package collector

import (
	"fmt"
	"regexp"
	"sync"
)

// The disk I/O collector reads /proc/diskstats and emits, per block
// device (label device), bytes read and written (sectors × 512: the file
// counts 512-byte units whatever the device's sector size), reads and
// writes completed, and the time the device was busy (io_ticks in ms, as
// seconds rounded to 1/1024: see roundBinary).
//
// Kept: whole disks (sda, vda, nvme0n1, mmcblk0, ...), device-mapper
// volumes (dm-*: LVM, LUKS) and software RAID (md*), because people ask
// about those by name. Skipped, as node_exporter does by default:
// partitions (their I/O is already in the disk's), loop, ram, zram and
// floppy devices. Summing over devices therefore counts a dm or md
// volume's I/O twice, once on it and once on the disks beneath.

// diskSeries are the series of the five counters diskDev keeps.
var diskSeries = [...]string{DiskReadBytes, DiskWrittenBytes, DiskReads, DiskWrites, DiskBusySeconds}

// diskColumns are the columns of a diskstats line (0-based, after major,
// minor and name) that diskSeries come from: sectors read, sectors
// written, reads completed, writes completed, io_ticks.
var diskColumns = [len(diskSeries)]int{2, 6, 0, 4, 9}

// diskDev is one device's line of /proc/diskstats, in the kernel's units
// (see diskValue); name points into the parsed data.
type diskDev struct {
	name     []byte
	counters [len(diskSeries)]uint64
}

// parseDiskstats reads /proc/diskstats into dst[:0]. A line needs the 14
// fields of Linux 2.6 to 4.17; the discard and flush columns of newer
// kernels, and any later ones, are ignored.
func parseDiskstats(data []byte, dst []diskDev) ([]diskDev, error) {
	dst = dst[:0]
	var buf [24][]byte
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data = nextLine(data)
		cols := fields(line, buf[:0])
		if len(cols) == 0 {
			continue
		}
		if len(cols) < 14 {
			return dst, fmt.Errorf("line %d: %d fields, want at least 14", n, len(cols))
		}
		d := diskDev{name: cols[2]}
		for i, col := range diskColumns {
			v, err := parseUint(cols[3+col])
			if err != nil {
				return dst, fmt.Errorf("line %d, field %d: %w", n, 4+col, err)
			}
			d.counters[i] = v
		}
		dst = append(dst, d)
	}
	return dst, nil
}

// diskValue converts counter i of a diskDev to the unit of diskSeries[i]:
// sectors to bytes, milliseconds to seconds rounded to 1/1024 (still
// never decreasing, as a counter must). It works in float64 so that no
// counter can overflow on the way.
func diskValue(i int, v uint64) float64 {
	switch i {
	case 0, 1:
		return float64(v) * 512
	case 4:
		return roundBinary(float64(v)/1000, secondBits)
	}
	return float64(v)
}

// skippedDisk matches the device names the collector leaves out.
var skippedDisk = regexp.MustCompile(`^(?:(?:z?ram|loop|fd)\d+|(?:[hsv]|xv)d[a-z]+\d+|nvme\d+n\d+p\d+|mmcblk\d+p\d+)$`)

// skipDisk reports whether the device name is one the collector leaves
// out: a partition, or a loop, ram, zram or floppy device.
func skipDisk(name string) bool { return skippedDisk.MatchString(name) }

// diskCollector reads /proc/diskstats.
type diskCollector struct {
	path string

	mu     sync.Mutex // serializes Collect; protects the fields below
	file   fileBuffer
	devs   []diskDev
	names  interner
	labels [1]Label
}

// NewDiskIO returns the disk I/O collector reading p's /proc/diskstats.
func NewDiskIO(p Paths) Collector {
	return &diskCollector{path: p.ProcPath("diskstats"), names: interner{skip: skipDisk}}
}
