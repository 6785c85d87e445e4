//go:build !agentonly

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	_ "time/tzdata" // maintenance windows name time zones; hosts may lack the database

	"github.com/picket-monitor/picket/internal/app"
)

func serve(args []string, _, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var opts app.Options
	fs.StringVar(&opts.ConfigPath, "config", "picket.yaml", "config `file`")
	fs.StringVar(&opts.DataDir, "data-dir", "", "data `dir` (default: server.data_dir of the config)")
	fs.StringVar(&opts.Listen, "listen", "", "HTTP `address` (default: server.listen of the config, 127.0.0.1:7070)")
	natsListen := fs.String("nats-listen", "-", "embedded NATS `address` for agents; empty disables (default: server.nats_listen, 127.0.0.1:7071)")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *natsListen != "-" {
		opts.NATSListen = natsListen
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "picket serve: --log-level: %v\n", err)
		return exitUsage
	}
	opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if os.Getenv("GOGC") == "" {
		// Most of the server's heap is long-lived (the TSDB head, the
		// schedule), so Go's default of collecting at twice the live heap
		// mostly buys idle RSS; Prometheus lowered it to 50 for the same
		// reason. GOGC in the environment still wins.
		debug.SetGCPercent(50)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Run(ctx, opts); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "picket serve: %v\n", err)
		return 1
	}
	return 0
}
