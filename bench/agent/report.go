package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"text/tabwriter"
	"time"
)

func table() *tabwriter.Writer {
	return tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
}

// runSide runs parts 1 and 2, then compacts the server's TSDB for part 3.
func runSide(ctx context.Context, o options) (diskResult, error) {
	unfill, err := fillProcesses(o.procs)
	defer unfill()
	if err != nil {
		return diskResult{}, err
	}
	r, err := startRig(o.bin, o.agentBin)
	defer r.stop()
	if err != nil {
		return diskResult{}, err
	}
	wireDone := make(chan wireResult, 1)
	var wireErr error
	go func() {
		w, err := measureWire(ctx, o.wireTicks)
		wireErr = err
		wireDone <- w
	}()
	s, err := measureSide(ctx, r, o.warmup, o.duration)
	if err != nil {
		return diskResult{}, err
	}
	w := <-wireDone
	if wireErr != nil {
		return diskResult{}, wireErr
	}
	printSide(s, o.duration)
	printWire(s, w)
	dir, err := r.stopServer()
	if err != nil {
		return diskResult{}, err
	}
	return compactDir(ctx, dir, "real: the agent of part 1 on this machine")
}

func printSide(s side, d time.Duration) {
	fmt.Printf("1. agent beside node_exporter, %s; processes on the machine: %d at the start, %d at the end\n", d, s.procsStart, s.procsEnd)
	tw := table()
	fmt.Fprintf(tw, "process\tCPU %% of one core\tRSS MB (end)\tof which anon MB\tpeak RSS MB\tsamples/s\tnotes\n")
	fmt.Fprintf(tw, "picket agent\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f series stored; 1 s metrics, 5 s processes, 5 s batches\n",
		s.agent.cores*100, s.agent.rss/mb, s.agent.anon/mb, s.agent.peak/mb, s.agent.perSecond, s.series)
	fmt.Fprintf(tw, "prometheus-node-exporter\t%.3f\t%.1f\t%.1f\t%.1f\t%.1f\t%.0f samples a scrape, scraped every 1 s, %d failed scrapes\n",
		s.ne.cores*100, s.ne.rss/mb, s.ne.anon/mb, s.ne.peak/mb, s.ne.perSecond, s.ne.perScrape, s.ne.scrapeErrs)
	tw.Flush()
	fmt.Println()
}

func printWire(s side, w wireResult) {
	fmt.Println("2. bytes on the wire per sample")
	tw := table()
	fmt.Fprintf(tw, "what\tbytes\tsamples\tbytes/sample\n")
	fmt.Fprintf(tw, "all agent→server TCP bytes of part 1 (NATS protocol, hellos, process tables, batches)\t%.0f\t%.0f\t%.2f\n",
		s.tcpBytes, s.samples, s.tcpBytes/s.samples)
	fmt.Fprintf(tw, "the payloads of the agent's batches among them (PUB picket.agent.a1.metrics)\t%.0f\t%.0f\t%.2f\n",
		s.batchBytes, s.samples, s.batchBytes/s.samples)
	fmt.Fprintf(tw, "the payloads of the process tables and events among them (PUB picket.agent.a1.procs), not samples\t%.0f\t-\t-\n", s.procBytes)
	if w.restSamples > 0 {
		fmt.Fprintf(tw, "wire batches of the real collectors, table by reference (%d batches)\t%d\t%d\t%.2f\n",
			w.batches-1, w.rest, w.restSamples, float64(w.rest)/float64(w.restSamples))
		fmt.Fprintf(tw, "the same batches, each carrying its series table\t%d\t%d\t%.2f\n",
			w.tableEveryTime, w.restSamples, float64(w.tableEveryTime)/float64(w.restSamples))
	}
	tw.Flush()
	fmt.Println()
}

func runFleetPart(ctx context.Context, o options) error {
	perBatch := 167*5 + 120 // synthHost: 167 series a tick, 120 process series every fifth
	batches := max(1, int(o.rate*o.fleetWindow.Seconds()/float64(perBatch*o.agents)))
	start := time.Now().Add(-time.Hour).Truncate(time.Second)
	built := time.Now()
	fleet, err := buildFleet(o.agents, batches, start)
	if err != nil {
		return err
	}
	buildTime := time.Since(built)
	res, err := runFleet(ctx, o.bin, fleet, o.rate)
	if err != nil {
		return err
	}
	printFleet(res, buildTime)
	return nil
}

func printFleet(r *fleetResult, build time.Duration) {
	fmt.Printf("4. ingest: %d simulated agents on their own NATS connections, %d batches each (built beforehand in %s), asked for %.0f samples/s\n",
		r.agents, r.batches, build.Round(time.Second), r.wantRate)
	tw := table()
	fmt.Fprintf(tw, "seconds\tbatches acked\trefused\tno reply\tsamples/s acked\tsamples/s stored\tserver CPU cores\tsamples/s per server core\tserver peak RSS MB\tthis program's CPU cores\n")
	fmt.Fprintf(tw, "%.1f\t%d\t%d\t%d\t%.0f\t%.0f\t%.2f\t%.0f\t%.0f\t%.2f\n", r.secs, r.acked.Load(), r.refused.Load(), r.failed.Load(),
		float64(r.ackedSamples.Load())/r.secs, r.stored/r.secs, r.serverCores, r.stored/r.secs/r.serverCores, r.peakRSS/mb, r.selfCores)
	tw.Flush()
	r.reasons.Range(func(k, v any) bool {
		fmt.Printf("  refused %q: %d\n", k, v.(*atomic.Int64).Load())
		return true
	})
	fmt.Println()
}
