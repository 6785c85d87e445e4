package collector

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
)

// Process is one row of the process table.
type Process struct {
	PID     int    `json:"pid"`
	PPID    int    `json:"ppid"`
	Name    string `json:"name"`    // the kernel's comm, at most 15 bytes
	Cmdline string `json:"cmdline"` // arguments joined by spaces, at most 4 KiB; "[name]" if none
	User    string `json:"user"`    // real user, by name or else by number
	// State is the kernel's word for the state: running, sleeping, disk
	// sleep, stopped, tracing stop, zombie, dead, idle or parked.
	State string `json:"state"`
	// CPUPercent is the share of one core used since the previous scan,
	// to 0.1; at a process's first scan, its average since it started.
	CPUPercent float64 `json:"cpu_percent"`
	RSS        uint64  `json:"rss_bytes"` // resident memory in bytes
	Threads    int     `json:"threads"`
	// OpenFiles counts the entries of /proc/<pid>/fd, or is -1 when they
	// cannot be read: an unprivileged agent may not look into other
	// users' processes.
	OpenFiles int       `json:"open_files"`
	Start     time.Time `json:"start"`
}

// ProcessEvent is a process that appeared (birth) or disappeared (death)
// between two scans. Time is the scan that noticed it; a birth's exact
// start is Process.Start, a death happened after the previous scan. A
// death carries the process as last seen. Processes that live and die
// between two scans are not seen at all.
type ProcessEvent struct {
	Kind    string    `json:"kind"` // ProcessBirth or ProcessDeath
	Time    time.Time `json:"time"`
	Process Process   `json:"process"`
}

// The kinds of ProcessEvent.
const (
	ProcessBirth = "birth"
	ProcessDeath = "death"
)

// maxPendingEvents bounds the events kept between two Scan calls when
// Collect does the scanning; the oldest are dropped first.
const maxPendingEvents = 4096

// pidKey identifies a process across scans: a pid the kernel reuses
// comes back with another start time, so it is a death and a birth.
type pidKey struct {
	pid   int
	start uint64 // clock ticks after boot
}

// pidEntry is what the scanner keeps about a live process between scans.
type pidEntry struct {
	proc     Process
	ticks    uint64    // utime + stime at the last scan
	at       time.Time // when ticks was read
	seen     uint64    // generation of the last scan that saw it
	kernel   bool
	fdDenied bool // /proc/<pid>/fd was not readable; not tried again
}

// ProcessScanner reads the process table. It keeps every process between
// scans, keyed by pid and start time, so the command line and user are
// read once per process (again only when it execs another program), CPU
// is a rate over the interval, and births and deaths come out of the
// comparison. The first scan produces no events: it has nothing to
// compare with.
//
// It is also a Collector: see Collect. Make one with NewProcessScanner;
// its methods are safe for concurrent use; set the exported fields
// before the first call.
type ProcessScanner struct {
	Passwd   string        // user names; default /etc/passwd
	Every    time.Duration // how old a scan Collect reuses; default 5 s
	MaxNames int           // names Collect labels; default 500, the rest are "other"

	paths Paths
	now   func() time.Time

	mu       sync.Mutex // protects the fields below
	procs    map[pidKey]*pidEntry
	gen      uint64
	lastScan time.Time
	boot     time.Time // from /proc/stat btime, read once
	pageSize uint64
	users    userTable
	born     []pidKey
	pending  []ProcessEvent
	fs       procFS
	agg      nameAggs
}

// NewProcessScanner returns a scanner of the process table under p.
func NewProcessScanner(p Paths) *ProcessScanner {
	return &ProcessScanner{
		paths:    p,
		now:      time.Now,
		procs:    make(map[pidKey]*pidEntry),
		pageSize: uint64(os.Getpagesize()),
	}
}

// NewProcess returns the process collector: a ProcessScanner.
func NewProcess(p Paths) Collector { return NewProcessScanner(p) }

// Scan reads the process table at time now. It returns the live
// processes ordered by pid, and the births and deaths since the previous
// Scan, including those a scan made by Collect noticed (at most the
// latest 4096 are kept between Scan calls). Processes that
// vanish while being read are skipped; only a failure to list or to read
// the boot time fails the scan.
func (s *ProcessScanner) Scan(ctx context.Context, now time.Time) ([]Process, []ProcessEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.scanLocked(ctx, now); err != nil {
		return nil, nil, err
	}
	events := s.pending
	s.pending = nil
	return s.tableLocked(), events, nil
}

func (s *ProcessScanner) scanLocked(ctx context.Context, now time.Time) error {
	pids, err := s.fs.list(s.paths.ProcPath())
	if err != nil {
		return fmt.Errorf("listing processes: %w", err)
	}
	if s.boot.IsZero() {
		if s.boot, err = processBootTime(s.paths); err != nil {
			return err
		}
	}
	s.users.path = or(s.Passwd, "/etc/passwd")
	s.users.refresh(now)
	s.gen++
	s.born = s.born[:0]
	for i, pid := range pids {
		if i%64 == 0 && ctx.Err() != nil {
			// Forget this scan's newcomers, so the next scan reports them.
			for _, k := range s.born {
				delete(s.procs, k)
			}
			return fmt.Errorf("scanning processes: %w", ctx.Err())
		}
		s.readLocked(pid, now)
	}
	s.eventsLocked(now)
	s.lastScan = now
	return nil
}

// processBootTime reads the boot time from /proc/stat. It is read once: the
// kernel derives btime from the wall clock, so it can move by a second
// between reads, and start times must not.
func processBootTime(p Paths) (time.Time, error) {
	data, err := os.ReadFile(p.ProcPath("stat"))
	if err != nil {
		return time.Time{}, fmt.Errorf("reading boot time: %w", err)
	}
	btime, err := parseStatBtime(data)
	if err != nil {
		return time.Time{}, fmt.Errorf("reading boot time: %w", err)
	}
	return time.Unix(btime, 0), nil
}

// eventsLocked records the deaths of the processes this scan did not
// see, then its births unless it is the first scan; each ordered by pid.
func (s *ProcessScanner) eventsLocked(now time.Time) {
	from := len(s.pending)
	for k, e := range s.procs {
		if e.seen != s.gen {
			s.pending = append(s.pending, ProcessEvent{ProcessDeath, now, e.proc})
			delete(s.procs, k)
		}
	}
	slices.SortFunc(s.pending[from:], func(a, b ProcessEvent) int { return a.Process.PID - b.Process.PID })
	if !s.lastScan.IsZero() {
		slices.SortFunc(s.born, func(a, b pidKey) int { return a.pid - b.pid })
		for _, k := range s.born {
			s.pending = append(s.pending, ProcessEvent{ProcessBirth, now, s.procs[k].proc})
		}
	}
	if over := len(s.pending) - maxPendingEvents; over > 0 {
		s.pending = slices.Delete(s.pending, 0, over)
	}
}

// tableLocked returns the processes of the last scan ordered by pid.
func (s *ProcessScanner) tableLocked() []Process {
	table := make([]Process, 0, len(s.procs))
	for _, e := range s.procs {
		table = append(table, e.proc)
	}
	slices.SortFunc(table, func(a, b Process) int { return a.PID - b.PID })
	return table
}
