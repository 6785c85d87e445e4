package schedule

import (
	"context"
	"time"
)

// Job is one periodic task, usually one check.
type Job struct {
	// ID names the job; IDs are unique within one Update.
	ID string
	// Interval is the time between planned runs; it must be positive.
	Interval time.Duration
	// Version fingerprints the job's settings. Update keeps a job whose ID
	// and Version are unchanged exactly as it is: same phase, same Run, no
	// extra run.
	Version string
	// Run does the work. ctx ends when the job is removed or changed, or
	// when the scheduler stops, and a run cut short that way should drop
	// its result rather than report the check down. The caller applies
	// its own timeout inside Run. planned is the run's slot on the job's
	// grid (or the moment of a prompt first run or RunNow). Run must not
	// panic: probe.Run recovers probe panics.
	Run func(ctx context.Context, planned time.Time)
}

// offset is the job's phase within its interval, derived only from the ID
// and the interval, so it survives restarts and reloads. FNV-1a spreads
// bytes well; the splitmix64 finaliser makes the low bits, which the
// modulo keeps, as uniform as the high ones.
func offset(id string, interval time.Duration) int64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint64(id[i])) * prime
	}
	for v, i := uint64(interval), 0; i < 8; i, v = i+1, v>>8 {
		h = (h ^ (v & 0xff)) * prime
	}
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	return int64(h % uint64(interval))
}

// slotAtOrAfter returns the first slot k*interval+off not before t, all
// in Unix nanoseconds.
func slotAtOrAfter(t, interval, off int64) int64 {
	r := t - off
	k := r / interval // truncation rounds negative r up, which is what we want
	if k*interval < r {
		k++
	}
	return k*interval + off
}

// slotAfter returns the first slot strictly after t.
func slotAfter(t, interval, off int64) int64 {
	return slotAtOrAfter(t+1, interval, off)
}
