package collector

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// userHZ is USER_HZ, the unit of the times in /proc/<pid>/stat. It is
// 100 on every architecture Linux exports to user space in practice
// (sysconf(_SC_CLK_TCK) reads the same constant), so it is not looked up.
const userHZ = 100

// pidStat is what one read of /proc/<pid>/stat says about a process.
type pidStat struct {
	pid, ppid  int
	comm       []byte // aliases the parsed buffer
	state      byte
	flags      uint64
	ticks      uint64 // utime + stime, in clock ticks
	threads    int
	startTicks uint64 // start time after boot, in clock ticks
	rssPages   uint64
}

// pfKthread is PF_KTHREAD in the flags field: the task is a kernel thread.
const pfKthread = 0x00200000

func (st *pidStat) kernel() bool { return st.flags&pfKthread != 0 }

var errPidStat = errors.New("malformed /proc/<pid>/stat")

// parsePidStat parses /proc/<pid>/stat. The command name sits between
// the first '(' and the last ')' and may itself hold spaces and
// parentheses; the numbered fields follow it (proc(5)). It does not
// allocate: comm aliases data.
func parsePidStat(data []byte) (pidStat, error) {
	var st pidStat
	open, end := bytes.IndexByte(data, '('), bytes.LastIndexByte(data, ')')
	if open < 1 || end < open {
		return st, errPidStat
	}
	pid, ok := pidDecimal(bytes.TrimSpace(data[:open]))
	if !ok {
		return st, errPidStat
	}
	st.pid, st.comm = int(pid), data[open+1:end]
	// f[i] is field i+3 of proc(5): f[0] the state, f[1] the parent.
	var f [22][]byte
	rest := data[end+1:]
	for i := range f {
		if f[i], rest, ok = nextStatField(rest); !ok {
			return st, errPidStat
		}
	}
	var n [len(f)]uint64
	for _, i := range [...]int{1, 6, 11, 12, 17, 19, 21} {
		if n[i], ok = pidDecimal(f[i]); !ok {
			return st, errPidStat
		}
	}
	st.state, st.ppid, st.flags = f[0][0], int(n[1]), n[6]
	st.ticks, st.threads = n[11]+n[12], int(n[17])
	st.startTicks, st.rssPages = n[19], n[21]
	return st, nil
}

// nextStatField returns the next space-separated field of b and what follows.
func nextStatField(b []byte) (field, rest []byte, ok bool) {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	if len(b) == 0 {
		return nil, nil, false
	}
	n := bytes.IndexAny(b, " \n")
	if n < 0 {
		return b, nil, true
	}
	return b[:n], b[n+1:], true
}

// pidDecimal parses an unsigned decimal number without allocating.
func pidDecimal(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// parseStatusUID returns the real user id from /proc/<pid>/status, the
// first number of its "Uid:" line.
func parseStatusUID(data []byte) (uint32, bool) {
	i := bytes.Index(data, []byte("\nUid:"))
	if i < 0 {
		return 0, false
	}
	field, _, ok := nextStatField(bytes.TrimLeft(data[i+len("\nUid:"):], " \t"))
	if !ok {
		return 0, false
	}
	if j := bytes.IndexByte(field, '\t'); j >= 0 {
		field = field[:j]
	}
	n, ok := pidDecimal(field)
	if !ok || n > 1<<32-1 {
		return 0, false
	}
	return uint32(n), true
}

// cleanCmdline turns /proc/<pid>/cmdline, arguments ended by NUL bytes,
// into one line with the arguments separated by spaces. Padding that
// programs rewriting their title leave behind is trimmed.
func cleanCmdline(data []byte) string {
	data = bytes.TrimRight(data, "\x00 ")
	out := make([]byte, len(data))
	for i, c := range data {
		if c == 0 {
			c = ' '
		}
		out[i] = c
	}
	return string(out)
}

// parseStatBtime returns the boot time, in seconds since the epoch, from
// the "btime" line of /proc/stat.
func parseStatBtime(data []byte) (int64, error) {
	for line := range bytes.Lines(data) {
		rest, ok := bytes.CutPrefix(line, []byte("btime "))
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(rest)), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("parsing btime: %w", err)
		}
		return n, nil
	}
	return 0, errors.New("no btime line in /proc/stat")
}

// processState spells out a process state letter as the kernel's
// /proc/<pid>/status does; an unknown letter stays as it is.
func processState(c byte) string {
	switch c {
	case 'R':
		return "running"
	case 'S':
		return "sleeping"
	case 'D':
		return "disk sleep"
	case 'T':
		return "stopped"
	case 't':
		return "tracing stop"
	case 'X':
		return "dead"
	case 'Z':
		return "zombie"
	case 'P':
		return "parked"
	case 'I':
		return "idle"
	}
	return string(rune(c))
}
