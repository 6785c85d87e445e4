// Command checks measures how many HTTP checks one picket server sustains.
// For each N it starts `picket serve` as a process with N HTTP checks
// aimed at a local target served by this program, waits one interval for
// the schedule to settle, then measures over a fixed window: checks per
// second achieved, CPU milliseconds of the picket process per check, its
// peak RSS, and scheduling lag (actual start minus planned start) p50/p99
// from picket_schedule_lag_seconds.
//
//	go run ./bench/checks -bin bin/picket -n 100,1000,10000 -interval 10s -window 30s
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/picket", "picket binary")
	ns := flag.String("n", "100,1000,10000", "comma-separated numbers of checks")
	interval := flag.Duration("interval", 10*time.Second, "check interval")
	window := flag.Duration("window", 30*time.Second, "measurement window after one interval of warm-up")
	addrs := flag.Int("targets", 16, "loopback addresses the target listens on (127.0.1.x), to spread connections")
	flag.Parse()

	tg, err := startTargets(*addrs)
	if err != nil {
		log.Fatal(err)
	}
	defer tg.close()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "checks\tinterval\twant/s\tgot/s\tCPU ms/check\tpeak RSS MB\tlag p50 ms\tlag p99 ms\tskipped\tnot up\t\n")
	for _, f := range strings.Split(*ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			log.Fatalf("bad -n entry %q", f)
		}
		r, err := measure(*bin, n, *interval, *window, tg)
		if err != nil {
			log.Fatalf("n=%d: %v", n, err)
		}
		fmt.Fprintf(tw, "%d\t%s\t%.0f\t%.1f\t%.3f\t%.1f\t%.2f\t%.2f\t%.0f\t%.0f\t\n", n, *interval,
			float64(n)/interval.Seconds(), r.perSecond, r.cpuPerCheck, r.peakRSSMB, r.lagP50*1000, r.lagP99*1000, r.skipped, r.notUp)
		log.Printf("n=%d done", n)
	}
	tw.Flush()
	fmt.Printf("\n%d cores (%s/%s), window %s\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, *window)
}
