package collector

import (
	"errors"
	"math"
	"syscall"
	"time"
)

// readLocked reads one process and records it, or skips it quietly when
// it vanishes on the way (its stat is gone: it died before this scan
// could see it whole, and is not a birth).
func (s *ProcessScanner) readLocked(pid int, now time.Time) {
	data, err := s.fs.read(pid, "stat", s.fs.stat)
	if err != nil {
		return
	}
	st, err := parsePidStat(data)
	if err != nil || st.pid != pid {
		return
	}
	key := pidKey{pid, st.startTicks}
	e, fresh := s.procs[key], false
	if e == nil {
		fresh = true
		e = &pidEntry{kernel: st.kernel(), proc: Process{PID: pid, Start: s.startTime(st.startTicks)}}
	}
	if fresh || string(st.comm) != e.proc.Name {
		// New, or it has exec'ed another program since the last scan.
		if !s.describeLocked(e, &st) {
			return
		}
	}
	openFiles, ok := s.openFilesLocked(e, &st)
	if !ok {
		return
	}
	s.update(e, &st, openFiles, now)
	if fresh {
		s.procs[key] = e
		s.born = append(s.born, key)
	}
}

// describeLocked reads what changes only when a process execs: its name,
// command line and user. It reports false if the process processVanished.
func (s *ProcessScanner) describeLocked(e *pidEntry, st *pidStat) bool {
	p := &e.proc
	p.Name, e.fdDenied = string(st.comm), false
	if e.kernel {
		p.Cmdline, p.User = "["+p.Name+"]", s.users.name(0)
		return true
	}
	data, err := s.fs.read(st.pid, "cmdline", s.fs.buf)
	if processVanished(err) {
		return false
	}
	if p.Cmdline = cleanCmdline(data); p.Cmdline == "" {
		p.Cmdline = "[" + p.Name + "]" // a zombie, or exiting
	}
	data, err = s.fs.read(st.pid, "status", s.fs.buf)
	if processVanished(err) {
		return false
	}
	p.User = ""
	if uid, ok := parseStatusUID(data); ok {
		p.User = s.users.name(uid)
	}
	return true
}

// openFilesLocked counts a process's open files: none for kernel threads
// and zombies, -1 when its fd directory cannot be read (not tried again
// for that process until it execs). It reports false if the process
// processVanished.
func (s *ProcessScanner) openFilesLocked(e *pidEntry, st *pidStat) (int, bool) {
	switch {
	case e.kernel || st.state == 'Z' || st.state == 'X':
		return 0, true
	case e.fdDenied:
		return -1, true
	}
	n, err := s.fs.count(st.pid, "fd")
	switch {
	case err == nil:
		return n, true
	case processVanished(err):
		return 0, false
	}
	e.fdDenied = true
	return -1, true
}

// processVanished says whether err means the process is gone.
func processVanished(err error) bool {
	return errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.ESRCH)
}

// update records a fresh reading of a known process.
func (s *ProcessScanner) update(e *pidEntry, st *pidStat, openFiles int, now time.Time) {
	p := &e.proc
	p.PPID, p.State, p.Threads = st.ppid, processState(st.state), st.threads
	p.RSS, p.OpenFiles = st.rssPages*s.pageSize, openFiles
	switch {
	case e.at.IsZero():
		p.CPUPercent = processCPU(st.ticks, now.Sub(p.Start))
	case st.ticks >= e.ticks:
		p.CPUPercent = processCPU(st.ticks-e.ticks, now.Sub(e.at))
	default:
		p.CPUPercent = 0
	}
	e.ticks, e.at, e.seen = st.ticks, now, s.gen
}

// processCPU is the share of one core that ticks of CPU time make over
// elapsed, rounded to 0.1.
func processCPU(ticks uint64, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	cpu := float64(ticks) / userHZ / elapsed.Seconds() * 100
	return math.Round(cpu*10) / 10
}

// startTime turns a start in clock ticks after boot into a time.
func (s *ProcessScanner) startTime(ticks uint64) time.Time {
	return s.boot.Add(time.Duration(ticks) * (time.Second / userHZ))
}
