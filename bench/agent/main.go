// Command agent measures Picket's host agent, as issue 4 asks:
//
//  1. picket agent (1 s metrics, 5 s process table) beside Debian's
//     prometheus-node-exporter scraped every second, for -duration: CPU
//     (% of one core, from utime+stime in /proc/PID/stat), RSS and peak
//     RSS (VmRSS, VmHWM) of each, the processes on the machine, and the
//     samples each produces a second (the agent's from the server's
//     picket_agent_samples_total, node_exporter's counted per scrape);
//
//  2. bytes per sample on the wire: every byte the agent sends to the
//     server's NATS port (counted by a TCP proxy in between) over the
//     samples stored, and the batches a wire.Builder makes of this host's
//     real collectors in-process;
//
//  3. bytes per sample on disk: synthetic hosts' 1 s samples over more
//     than 3 h written into internal/store in a temp dir, which then
//     compacts its head into a block by itself; the block's chunk files
//     over the samples in its meta.json;
//
//  4. ingest: -agents simulated agents, each its own NATS connection with
//     its own NKey, sending pre-built batches to picket serve at a total
//     of -rate samples a second for about -fleet-window, each waiting for
//     its acknowledgement: samples a second accepted and the server's CPU.
//
//     go run ./bench/agent -bin bin/picket -agent-bin bin/picket-agent -duration 5m
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"
)

type options struct {
	bin         string
	agentBin    string
	procs       int
	duration    time.Duration
	warmup      time.Duration
	wireTicks   int
	diskHosts   int
	diskSpan    time.Duration
	agents      int
	rate        float64
	fleetWindow time.Duration
	parts       string
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/picket", "picket binary, run as the server")
	flag.StringVar(&o.agentBin, "agent-bin", "bin/picket-agent", "part 1: binary run as the agent (the agent-only build, or a full picket)")
	flag.IntVar(&o.procs, "procs", 100, "part 1: start idle processes until the machine has about this many")
	flag.DurationVar(&o.duration, "duration", 5*time.Minute, "part 1: measurement window")
	flag.DurationVar(&o.warmup, "warmup", 15*time.Second, "part 1: wait after the first samples arrive")
	flag.IntVar(&o.wireTicks, "wire-ticks", 120, "part 2: ticks of the real collectors (a second each, during part 1)")
	flag.IntVar(&o.diskHosts, "disk-hosts", 10, "part 3: synthetic hosts")
	flag.DurationVar(&o.diskSpan, "disk-span", 2*time.Hour, "part 3: time the synthetic samples span (2h: one block range)")
	flag.IntVar(&o.agents, "agents", 1000, "part 4: simulated agents")
	flag.Float64Var(&o.rate, "rate", 1.5e6, "part 4: samples per second asked of the whole fleet")
	flag.DurationVar(&o.fleetWindow, "fleet-window", 30*time.Second, "part 4: about how long the fleet sends")
	flag.StringVar(&o.parts, "parts", "side,disk,fleet", "parts to run: side (1, 2 and 3 on real data), disk (3 on synthetic data), fleet (4)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Printf("%d cores (%s/%s), %s\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, time.Now().UTC().Format(time.DateOnly))
	var disks []diskResult
	if strings.Contains(o.parts, "side") {
		d, err := runSide(ctx, o)
		if err != nil {
			log.Fatalf("parts 1 to 3: %v", err)
		}
		disks = append(disks, d)
	}
	if strings.Contains(o.parts, "disk") {
		d, err := measureSynthetic(ctx, o.diskHosts, o.diskSpan)
		if err != nil {
			log.Fatalf("part 3: %v", err)
		}
		disks = append(disks, d)
	}
	if len(disks) > 0 {
		printDisk(disks)
	}
	if strings.Contains(o.parts, "fleet") {
		if err := runFleetPart(ctx, o); err != nil {
			log.Fatalf("part 4: %v", err)
		}
	}
}
