package collector

import (
	"sync"
	"time"
)

// The filesystem collector lists the mounts in /proc/self/mountinfo (the
// agent's own mount namespace) and emits, for each filesystem worth
// measuring, FilesystemBytes (size, used, free, avail) and
// FilesystemInodes (total, used, free), labelled device, fstype and
// mountpoint, from statfs(2):
//
//	size  f_blocks × f_frsize
//	used  size - free (as df: space reserved for root is not "used")
//	free  f_bfree × f_frsize, including the reserve
//	avail f_bavail × f_frsize, what an unprivileged user can still write
//
// Choices:
//   - Skipped filesystem types (pseudoFS): node_exporter's default list
//     (proc, sysfs, cgroup*, devpts, devtmpfs, overlay, squashfs, ...),
//     plus tmpfs and ramfs (memory, already seen by the memory collector;
//     /run and /dev/shm would add noise on every host) and rootfs. Skipped
//     mount points: /dev, /proc, /sys and the container runtimes'
//     private trees, as node_exporter does. A filesystem whose statfs
//     reports zero blocks (another virtual one) is skipped too.
//   - A filesystem mounted twice (bind mounts, btrfs subvolumes: the same
//     major:minor) is measured once, at its first mount in mountinfo order,
//     which is mount order, so / comes before a bind mount of part of it.
//     A mount hidden by a later one on the same mount point is left out:
//     statfs could only see the one on top.
//   - Filesystems without a fixed inode table (btrfs, vfat) report zero
//     inodes; they get no FilesystemInodes series, so that "no free
//     inodes" cannot fire for them.
//   - statfs blocks for as long as a dead network server does not answer.
//     Each Collect runs the calls concurrently, one goroutine per mount,
//     and waits at most statfsTimeout (or until ctx ends). A mount that did
//     not answer is reported once in the error and then skipped, with no
//     new call stacked behind the stuck one, until that call returns.
//   - A mount the agent's user may not reach (EACCES, EPERM) or that went
//     away between reading mountinfo and statfs (ENOENT) is skipped
//     silently; other statfs errors are returned, the rest still emitted.

// statfsTimeout is how long one Collect waits for statfs answers.
const statfsTimeout = 500 * time.Millisecond

// fsStats are the statfs(2) figures the collector uses; blockSize is
// f_frsize (or f_bsize where that is 0).
type fsStats struct {
	blockSize, blocks, bfree, bavail, files, ffree uint64
}

// filesystemCollector keeps the selected mounts while mountinfo does not
// change, and the mounts whose statfs has not returned.
type filesystemCollector struct {
	path    string
	statfs  func(path string) (fsStats, error) // replaced in tests
	timeout time.Duration

	mu      sync.Mutex // serializes Collect; protects the fields below
	file    fileBuffer
	raw     []byte  // the mountinfo that mounts were selected from
	all     []mount // every line of raw
	mounts  []mount // the ones measured
	answers []fsAnswer
	labels  [4]Label

	pendingMu sync.Mutex      // protects pending; statfs goroutines take it
	pending   map[string]bool // mount points whose statfs has not returned
}

// fsAnswer is what one statfs call returned; i indexes mounts.
type fsAnswer struct {
	i     int
	stats fsStats
	err   error
	done  bool
}

// NewFilesystem returns the filesystem collector reading p's
// /proc/self/mountinfo and calling statfs on the mount points it lists.
func NewFilesystem(p Paths) Collector {
	return &filesystemCollector{
		path:    p.ProcPath("self", "mountinfo"),
		statfs:  statfs,
		timeout: statfsTimeout,
		pending: make(map[string]bool),
	}
}

// fsBytes returns the (kind, bytes) pairs of FilesystemBytes for st.
func fsBytes(st fsStats) [4]kindValue {
	free := min(st.bfree, st.blocks)
	return [4]kindValue{
		{"size", st.blocks * st.blockSize},
		{"used", (st.blocks - free) * st.blockSize},
		{"free", free * st.blockSize},
		{"avail", min(st.bavail, free) * st.blockSize},
	}
}

// fsInodes returns the (kind, count) pairs of FilesystemInodes for st.
func fsInodes(st fsStats) [3]kindValue {
	free := min(st.ffree, st.files)
	return [3]kindValue{{"total", st.files}, {"used", st.files - free}, {"free", free}}
}
