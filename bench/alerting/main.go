// Command alerting measures detection latency: the time from a target
// failing to a webhook receiving Picket's DOWN notification, with one HTTP
// check at interval 1s and confirm 2, over many outages. The outages start
// at random points of the check's interval, as real ones do.
//
//	go run ./bench/alerting -bin bin/picket -n 40
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"runtime"
	"slices"
	"time"

	"github.com/picket-monitor/picket/bench/internal/picket"
)

func main() {
	bin := flag.String("bin", "bin/picket", "picket binary")
	n := flag.Int("n", 40, "outages to measure")
	interval := flag.Duration("interval", time.Second, "check interval")
	confirm := flag.Int("confirm", 2, "consecutive failures before an outage is real")
	flag.Parse()

	var err error
	// One check and one target per outage: a single check failing again
	// and again every few seconds is flapping, which Picket rightly
	// reports as such instead of paging for each change.
	targets := make([]*target, *n)
	checks := ""
	for i := range targets {
		if targets[i], err = newTarget(); err != nil {
			log.Fatal(err)
		}
		checks += fmt.Sprintf("  - {id: web%d, type: http, target: \"http://%s/\", interval: %s, confirm: %d}\n",
			i, targets[i].addr, *interval, *confirm)
	}
	hook, err := newHook()
	if err != nil {
		log.Fatal(err)
	}
	cfg := fmt.Sprintf("channels:\n  - {id: hook, type: webhook, url: %q}\ndefault_route: {channels: [hook]}\n"+
		"checks:\n%s", hook.url, checks)
	srv, err := picket.Start(*bin, cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Stop()
	time.Sleep(3 * *interval)
	var lat []time.Duration
	for i, tg := range targets {
		time.Sleep(time.Duration(rand.Int64N(int64(*interval)))) // a random phase
		t0 := time.Now()
		tg.stop()
		at, err := hook.next("problem", fmt.Sprintf("web%d", i), 30*time.Second)
		if err != nil {
			log.Fatalf("outage %d: %v", i+1, err)
		}
		lat = append(lat, at.Sub(t0))
	}
	report(lat, *interval, *confirm)
}

func report(lat []time.Duration, interval time.Duration, confirm int) {
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1)+0.5)] }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }
	fmt.Printf("detection latency, target failing -> webhook has the DOWN (interval %s, confirm %d, %d outages)\n",
		interval, confirm, len(lat))
	fmt.Printf("  min %s  p50 %s  p90 %s  p99 %s  max %s\n", ms(lat[0]), ms(q(0.5)), ms(q(0.9)), ms(q(0.99)), ms(lat[len(lat)-1]))
	fmt.Printf("%d cores (%s/%s)\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)
}
