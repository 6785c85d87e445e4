package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// usage is what /proc says of one process at one moment.
type usage struct {
	at       time.Time
	cpu      float64 // seconds of user and system time
	rss, hwm float64 // bytes: resident now, and the peak so far
	anon     float64 // bytes: the part of rss that is not mapped files (RssAnon)
}

// readUsage reads utime+stime from /proc/PID/stat and VmRSS and VmHWM
// from /proc/PID/status.
func readUsage(pid int) (usage, error) {
	u := usage{at: time.Now()}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return u, err
	}
	s := string(stat)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseFloat(fields[11], 64)
	st, _ := strconv.ParseFloat(fields[12], 64)
	u.cpu = (ut + st) / 100 // USER_HZ is 100 on Linux
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return u, err
	}
	for _, l := range strings.Split(string(status), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			u.rss = kb * 1024
		case "VmHWM:":
			u.hwm = kb * 1024
		case "RssAnon:":
			u.anon = kb * 1024
		}
	}
	return u, nil
}

// cores is the CPU used between a and b, in cores (1 = one core busy).
func cores(a, b usage) float64 { return (b.cpu - a.cpu) / b.at.Sub(a.at).Seconds() }

// processCount counts the numeric entries of /proc.
func processCount() int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err == nil {
			n++
		}
	}
	return n
}

const mb = 1 << 20
