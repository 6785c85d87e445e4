//go:build unix

package schedule_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/schedule"
)

// BenchmarkDispatch runs 10,000 no-op jobs on the real clock until b.N
// runs have started. At interval=1ms the jobs ask for 10M runs/s, far more
// than the machine can start: ns/op is then the wall time per started run
// at saturation and ns/decision the time per slot handled (started or
// skipped). At the longer intervals (100k and 10k runs/s) ns/op is set by
// the interval, and cpu-ns/run (process CPU time per run, hooks and the
// no-op goroutine included) and the lag percentiles are what to read.
func BenchmarkDispatch(b *testing.B) {
	for _, iv := range []time.Duration{time.Millisecond, 100 * time.Millisecond, time.Second} {
		b.Run("interval="+iv.String(), func(b *testing.B) { benchDispatch(b, 10_000, iv) })
	}
}

func benchDispatch(b *testing.B, jobs int, interval time.Duration) {
	n := int64(b.N)
	lags := make([]time.Duration, n)
	var taken, recorded, skipped atomic.Int64
	done := make(chan struct{})
	s := schedule.New(schedule.Options{
		OnStart: func(_ string, planned, actual time.Time) {
			if i := taken.Add(1); i <= n {
				lags[i-1] = actual.Sub(planned)
				if recorded.Add(1) == n {
					close(done)
				}
			}
		},
		OnSkip: func(string, time.Time) { skipped.Add(1) },
	})
	list := make([]schedule.Job, jobs)
	for i := range list {
		list[i] = schedule.Job{ID: fmt.Sprintf("check-%05d", i), Interval: interval, Version: "1",
			Run: func(context.Context, time.Time) {}}
	}
	s.Update(list)
	ctx, cancel := context.WithCancel(b.Context())
	stopped := make(chan error, 1)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	go func() { stopped <- s.Run(ctx) }()
	<-done
	b.StopTimer()
	cpu := cpuTime(b) - cpu0
	cancel()
	<-stopped

	slices.Sort(lags)
	decisions := float64(taken.Load() + skipped.Load())
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/decisions, "ns/decision")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/run")
	b.ReportMetric(float64(lags[n*99/100].Microseconds())/1000, "p99-lag-ms")
	b.ReportMetric(float64(lags[n-1].Microseconds())/1000, "max-lag-ms")
	b.ReportMetric(float64(skipped.Load())/float64(n), "skips/run")
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
