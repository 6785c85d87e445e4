package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/schedule"
)

// commands answers the server's requests on picket.agent.<id>.cmd.
type commands struct {
	clock   schedule.Clock
	live    *live
	procs   *procs // nil when the process collector is off
	actions *actions
	log     *slog.Logger
	stats   *stats
}

// handle answers one command. Anything this agent does not know, a newer
// version or command included, is refused, so new commands never break
// old agents.
func (c *commands) handle(ctx context.Context, req []byte) []byte {
	var cmd proto.Command
	if err := json.Unmarshal(req, &cmd); err != nil {
		return c.refuse("", fmt.Sprintf("bad request: %v", err))
	}
	if cmd.V != proto.Version {
		return c.refuse(cmd.Cmd, fmt.Sprintf("unsupported version %d", cmd.V))
	}
	switch cmd.Cmd {
	case proto.CmdLive:
		return c.startLive(cmd.Args)
	case proto.CmdProcesses:
		return c.processes(ctx)
	case proto.CmdAction:
		return c.action(ctx, cmd.Args)
	default:
		return c.refuse(cmd.Cmd, fmt.Sprintf("unsupported command %q", cmd.Cmd))
	}
}

func (c *commands) refuse(cmd, why string) []byte {
	c.stats.commandsRefused.Add(1)
	c.log.Warn("refused a command from the server", "cmd", cmd, "reason", why)
	return commandReply{Error: why}.encode()
}

// startLive turns live mode on for the time asked (default a minute, at
// most ten), or extends it.
func (c *commands) startLive(args json.RawMessage) []byte {
	var a proto.LiveArgs
	if err := decodeArgs(args, &a, false); err != nil {
		return c.refuse(proto.CmdLive, err.Error())
	}
	d := defaultLiveFor
	if a.For != "" {
		var err error
		if d, err = time.ParseDuration(a.For); err != nil || d <= 0 {
			return c.refuse("live", fmt.Sprintf("bad duration %q", a.For))
		}
	}
	until := c.live.start(c.clock.Now().Add(min(d, maxLiveFor)))
	c.log.Info("live mode on: every metric every second", "until", until.UTC())
	return commandReply{OK: true, Data: proto.LiveData{Until: until.UTC()}}.encode()
}

// processes answers with the process table read now; the births and
// deaths that read finds go out with the next procs message.
func (c *commands) processes(ctx context.Context) []byte {
	if c.procs == nil {
		return c.refuse("processes", "the process collector is disabled on this agent")
	}
	now := c.clock.Now()
	table, err := c.procs.scan(ctx, now)
	if err != nil {
		return commandReply{Error: "reading the process table: " + err.Error()}.encode()
	}
	return commandReply{OK: true, Data: proto.ProcessTable{Time: now.UTC(), Table: table}}.encode()
}

// action runs an action of the agent's own config, by name only.
func (c *commands) action(ctx context.Context, args json.RawMessage) []byte {
	var a proto.ActionArgs
	if err := decodeArgs(args, &a, true); err != nil {
		return c.refuse("action", err.Error()+"; an action takes its name and nothing else")
	}
	if !c.actions.has(a.Name) {
		return c.refuse("action", fmt.Sprintf("action %q is not in this agent's config", a.Name))
	}
	return c.actions.run(ctx, a.Name).encode()
}

// decodeArgs decodes a command's args; strict refuses fields it does not
// know, for commands where an unknown field could change what runs.
func decodeArgs(args json.RawMessage, v any, strict bool) error {
	if len(args) == 0 || string(args) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(args))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad args: %w", err)
	}
	return nil
}
