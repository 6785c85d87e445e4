//go:build !agentonly

package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/probe"
)

func validate(path string, stdout, stderr io.Writer) int {
	cfg, err := config.Load(path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: ok, %d checks\n", path, len(cfg.Checks))
	return 0
}

func check(args []string, stdout, stderr io.Writer) int {
	c, err := config.CheckFromArgs(args, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "picket check: %v\n", err)
		return exitUsage
	}
	if c == nil { // --help was asked for and printed
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	lim := probe.Limits{Timeout: c.Timeout, DegradedOver: c.DegradedWhen.LatencyOver}
	res := probe.Run(ctx, c.Prober, lim, time.Now)
	fmt.Fprintf(stdout, "%s %s in %s: %s\n", c.Type, res.Status, res.Duration.Round(10*time.Microsecond), res.Reason)
	for _, m := range res.Metrics {
		fmt.Fprintf(stdout, "  picket_probe_%s %g\n", m.Name, m.Value)
	}
	switch res.Status {
	case probe.StatusUp:
		return exitUp
	case probe.StatusDegraded:
		return exitDegraded
	default:
		return exitDown
	}
}
