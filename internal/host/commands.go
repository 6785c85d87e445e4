package host

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/bus"
)

// ErrOffline is returned (wrapped) when the host's agent is not connected.
var ErrOffline = bus.ErrAgentOffline

// RefusedError is an agent's "no" to a command: it does not know it, the
// action is not in its config, or it failed. Reason is the agent's words.
type RefusedError struct {
	Command, Reason string
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the agent refused %q: %s", e.Command, e.Reason)
}

// Requester sends a request to an agent's command subject and returns
// its reply; *bus.Bus is one.
type Requester interface {
	AgentRequest(ctx context.Context, id string, payload []byte) ([]byte, error)
}

// Commander asks agents to do things: live mode, the process table now, a
// named action of their own config. A process table it gets is also
// recorded in the registry, when it has one.
type Commander struct {
	bus Requester
	reg *Registry // may be nil
}

// NewCommander returns a Commander sending through bus; reg, when not
// nil, records the process tables it gets.
func NewCommander(bus Requester, reg *Registry) *Commander {
	return &Commander{bus: bus, reg: reg}
}

// Live asks agent id to send every metric every second for d (the agent
// caps it at ten minutes) and returns when live mode ends.
func (c *Commander) Live(ctx context.Context, id string, d time.Duration) (time.Time, error) {
	var data proto.LiveData
	err := c.ask(ctx, id, proto.CmdLive, proto.LiveArgs{For: d.String()}, &data)
	return data.Until, err
}

// Processes asks agent id for its process table as it is now.
func (c *Commander) Processes(ctx context.Context, id string) (ProcessTable, error) {
	var data proto.ProcessTable
	if err := c.ask(ctx, id, proto.CmdProcesses, nil, &data); err != nil {
		return ProcessTable{}, err
	}
	if data.Table == nil { // an empty scan: for the registry, nil means "events only"
		data.Table = []collector.Process{}
	}
	if c.reg != nil {
		c.reg.Procs(id, Procs{Time: data.Time, Table: data.Table})
		if t, ok := c.reg.Processes(id); ok {
			return t, nil
		}
	}
	return ProcessTable{Host: id, Time: &data.Time, Processes: data.Table}, nil
}

// Action asks agent id to run the action its own config names name. An
// action that ran and failed returns its result and a *RefusedError.
func (c *Commander) Action(ctx context.Context, id, name string) (proto.ActionResult, error) {
	var res proto.ActionResult
	err := c.ask(ctx, id, proto.CmdAction, proto.ActionArgs{Name: name}, &res)
	return res, err
}

// ask sends command cmd with args (nil: none) to agent id and decodes
// the data of its reply into data, also when the agent says no.
func (c *Commander) ask(ctx context.Context, id, cmd string, args, data any) error {
	command := proto.Command{V: proto.Version, Cmd: cmd}
	var err error
	if args != nil {
		if command.Args, err = json.Marshal(args); err != nil {
			return fmt.Errorf("encoding command %q: %w", cmd, err)
		}
	}
	req, err := json.Marshal(command)
	if err != nil {
		return fmt.Errorf("encoding command %q: %w", cmd, err)
	}
	raw, err := c.bus.AgentRequest(ctx, id, req)
	if err != nil {
		return err
	}
	var rep proto.CommandReply
	if err := json.Unmarshal(raw, &rep); err != nil {
		return fmt.Errorf("agent %s answered %q with something that is not a reply: %w", id, cmd, err)
	}
	if len(rep.Data) > 0 {
		if err := json.Unmarshal(rep.Data, data); err != nil {
			return fmt.Errorf("agent %s answered %q with bad data: %w", id, cmd, err)
		}
	}
	if !rep.OK {
		return &RefusedError{Command: cmd, Reason: or(rep.Error, "no reason given")}
	}
	return nil
}

func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
