// Command picket is the Picket monitoring server and its tools:
//
//	picket serve --config FILE [--data-dir DIR] [--listen ADDR]
//	picket check TYPE TARGET [--setting value ...]
//	picket config validate FILE
//	picket incident list|show|ack|resolve|note ...
//	picket notify test CHANNEL [--config FILE]
//	picket agent --config FILE
//	picket agent enroll --key FILE
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

const usage = `usage:
  picket serve --config FILE [--data-dir DIR] [--listen ADDR] [--nats-listen ADDR]
  picket check TYPE TARGET [--timeout 10s] [--SETTING VALUE ...]
  picket config validate FILE
  picket incident list|show|ack|resolve|note ...
  picket notify test CHANNEL [--config FILE]
  picket agent --config FILE | picket agent enroll --key FILE

Run "picket check TYPE --help" for the settings of a probe type.
`

// Exit codes of picket check follow the outcome; 3 means the command
// itself was wrong, as Nagios's UNKNOWN.
const (
	exitUp = iota
	exitDegraded
	exitDown
	exitUsage
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "serve":
		return serve(args[1:], stderr)
	case "check":
		return check(args[1:], stdout, stderr)
	case "incident":
		return incidentCmd(args[1:], stdout, stderr)
	case "notify":
		return notifyTest(args[1:], stdout, stderr)
	case "agent":
		return agentCmd(args[1:], stdout, stderr)
	case "config":
		if len(args) == 3 && args[1] == "validate" {
			return validate(args[2], stdout, stderr)
		}
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprint(stderr, usage)
	return exitUsage
}

func serve(args []string, stderr io.Writer) int {
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
