package main

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/picket-monitor/picket/bench/internal/picket"
)

type result struct {
	perSecond, cpuPerCheck, peakRSSMB float64
	lagP50, lagP99                    float64
	skipped, notUp                    float64
}

func config(n int, interval time.Duration, tg *targets) string {
	var b strings.Builder
	fmt.Fprintf(&b, "server: {max_concurrency: 2000}\ndefaults: {interval: %s}\nchecks:\n", interval)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - {id: c%d, type: http, target: \"http://%s/health\", expect: {body_contains: UP}}\n",
			i, tg.addrs[i%len(tg.addrs)])
	}
	return b.String()
}

func measure(bin string, n int, interval, window time.Duration, tg *targets) (result, error) {
	srv, err := picket.Start(bin, config(n, interval, tg))
	if err != nil {
		return result{}, err
	}
	defer srv.Stop()
	time.Sleep(interval + 2*time.Second) // warm-up: every check has run once
	pid := srv.Cmd.Process.Pid
	a, err := sample(srv.URL, pid)
	if err != nil {
		return result{}, err
	}
	time.Sleep(window)
	b, err := sample(srv.URL, pid)
	if err != nil {
		return result{}, err
	}
	return diff(a, b), nil
}

// snapshot is what is read at the start and end of the window.
type snapshot struct {
	at          time.Time
	cpuSeconds  float64
	peakRSS     float64
	runs, notUp float64
	skipped     float64
	lag         map[float64]float64 // cumulative bucket counts by upper bound
}

func sample(url string, pid int) (snapshot, error) {
	s := snapshot{at: time.Now(), lag: map[float64]float64{}}
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		s.add(sc.Text())
	}
	s.cpuSeconds, s.peakRSS, err = procStats(pid)
	return s, err
}

var bucketLine = regexp.MustCompile(`^picket_schedule_lag_seconds_bucket\{le="([^"]+)"\} (\S+)$`)

func (s *snapshot) add(line string) {
	f := strings.Fields(line)
	if len(f) != 2 {
		return
	}
	v, _ := strconv.ParseFloat(f[1], 64)
	switch {
	case strings.HasPrefix(line, "picket_probe_runs_total{"):
		s.runs += v
		if !strings.Contains(line, `status="up"`) {
			s.notUp += v
		}
	case strings.HasPrefix(line, "picket_schedule_skipped_total "):
		s.skipped = v
	default:
		if m := bucketLine.FindStringSubmatch(line); m != nil {
			le, _ := strconv.ParseFloat(m[1], 64)
			s.lag[le] = v
		}
	}
}

// procStats reads CPU seconds (user+system) and peak RSS (bytes) of pid.
func procStats(pid int) (cpu, peak float64, err error) {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+2:]))
	ut, _ := strconv.ParseFloat(fields[11], 64)
	st, _ := strconv.ParseFloat(fields[12], 64)
	cpu = (ut + st) / 100 // USER_HZ is 100 on Linux
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, l := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(l)[1], 64)
			peak = kb * 1024
		}
	}
	return cpu, peak, nil
}

func diff(a, b snapshot) result {
	runs := b.runs - a.runs
	r := result{
		perSecond: runs / b.at.Sub(a.at).Seconds(),
		peakRSSMB: b.peakRSS / (1 << 20),
		skipped:   b.skipped - a.skipped,
		notUp:     b.notUp - a.notUp,
	}
	if runs > 0 {
		r.cpuPerCheck = (b.cpuSeconds - a.cpuSeconds) * 1000 / runs
	}
	r.lagP50, r.lagP99 = quantile(a.lag, b.lag, 0.5), quantile(a.lag, b.lag, 0.99)
	return r
}

// quantile interpolates within histogram buckets, as histogram_quantile
// does, over the counts added during the window.
func quantile(a, b map[float64]float64, q float64) float64 {
	var les []float64
	for le := range b {
		les = append(les, le)
	}
	sort.Float64s(les)
	if len(les) == 0 {
		return math.NaN()
	}
	total := b[math.Inf(1)] - a[math.Inf(1)]
	rank := q * total
	prevLE, prevCount := 0.0, 0.0
	for _, le := range les {
		c := b[le] - a[le]
		if c >= rank {
			if math.IsInf(le, 1) {
				return prevLE
			}
			if c == prevCount {
				return le
			}
			return prevLE + (le-prevLE)*(rank-prevCount)/(c-prevCount)
		}
		prevLE, prevCount = le, c
	}
	return prevLE
}
