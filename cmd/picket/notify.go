//go:build !agentonly

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/notify"
)

// notifyTest sends one test message through a configured channel, not
// through a server's outbox, and says what the channel answered.
func notifyTest(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "test" {
		fmt.Fprint(stderr, "usage: picket notify test CHANNEL [--config FILE]\n")
		return exitUsage
	}
	id, rest := leadingArg(args[1:])
	fs := flag.NewFlagSet("notify test", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "picket.yaml", "config `file`")
	if err := fs.Parse(rest); err != nil || id == "" {
		fmt.Fprint(stderr, "usage: picket notify test CHANNEL [--config FILE]\n")
		return exitUsage
	}
	cfg, err := config.Load(*path)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	ch, ok := cfg.Channel(id)
	if !ok {
		fmt.Fprintf(stderr, "picket notify test: no channel %q in %s (channels: %s)\n", id, *path, strings.Join(channelIDs(cfg), ", "))
		return exitUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	retry, err := ch.Notifier.Notify(ctx, testMessage(ch.ID))
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "%s (%s): sent\n", ch.ID, ch.Type)
		return 0
	case retry:
		fmt.Fprintf(stdout, "%s (%s): failed, would be retried: %v\n", ch.ID, ch.Type, err)
	default:
		fmt.Fprintf(stdout, "%s (%s): rejected, would not be retried: %v\n", ch.ID, ch.Type, err)
	}
	return 1
}

func channelIDs(cfg *config.Config) []string {
	var ids []string
	for _, c := range cfg.Channels {
		ids = append(ids, c.ID)
	}
	return ids
}

func testMessage(channel string) notify.Message {
	host, _ := os.Hostname()
	now := time.Now().UTC()
	id := fmt.Sprintf("test-%s-%d", channel, now.UnixMilli())
	return notify.Message{
		ID: id, GroupKey: id, Kind: notify.KindTest, Severity: notify.SeverityInfo, Status: "up",
		Title: "TEST: Picket can reach this channel",
		Text:  fmt.Sprintf("A test message from picket notify test on %s at %s.", host, now.Format(time.RFC1123)),
		Time:  now,
	}
}
