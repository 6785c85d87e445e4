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

	"github.com/picket-monitor/picket/internal/agent"
)

const agentUsage = `usage:
  picket agent --config FILE [--log-level LEVEL]
  picket agent enroll --key FILE
`

// version is what the agent reports in its hello; set by the build.
var version = "dev"

func agentCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "enroll" {
		return enroll(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "/etc/picket-agent/agent.yaml", "agent config `file`")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn, error")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "picket agent: --log-level: %v\n", err)
		return exitUsage
	}
	cfg, err := agent.LoadConfig(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// The agent lives beside the services it watches: keep its heap
		// small; GOMEMLIMIT in the environment still wins.
		debug.SetMemoryLimit(16 << 20)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if err := agent.Run(ctx, agent.Options{Config: cfg, Logger: log, Version: version}); err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintf(stderr, "picket agent: %v\n", err)
		return 1
	}
	return 0
}

// enroll makes the agent's NKey and prints the public key for the
// server's config.
func enroll(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("agent enroll", flag.ContinueOnError)
	fs.SetOutput(stderr)
	key := fs.String("key", "", "where to write the agent's NKey seed (`file`, created 0600, never overwritten)")
	if err := fs.Parse(args); err != nil || *key == "" {
		fmt.Fprint(stderr, agentUsage)
		return exitUsage
	}
	pub, err := agent.GenerateKey(*key)
	if err != nil {
		fmt.Fprintf(stderr, "picket agent enroll: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "seed written to %s\npublic key (add it to the server's config): %s\n", *key, pub)
	return 0
}
