package host

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/bus"
)

// commandVersion is the agent protocol version of the commands sent.
const commandVersion = 1

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
	var data struct {
		Until time.Time `json:"until"`
	}
	err := c.ask(ctx, id, "live", map[string]string{"for": d.String()}, &data)
	return data.Until, err
}

// Processes asks agent id for its process table as it is now.
func (c *Commander) Processes(ctx context.Context, id string) (ProcessTable, error) {
	var data struct {
		Time  time.Time           `json:"time"`
		Table []collector.Process `json:"table"`
	}
	if err := c.ask(ctx, id, "processes", nil, &data); err != nil {
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

// ActionResult is what running an action on a host gave.
type ActionResult struct {
	Name      string  `json:"name"`
	ExitCode  int     `json:"exit_code"` // -1: it did not exit by itself
	Output    string  `json:"output"`    // stdout and stderr, the end of it
	Truncated bool    `json:"truncated,omitempty"`
	Seconds   float64 `json:"duration_seconds"`
}

// Action asks agent id to run the action its own config names name. An
// action that ran and failed returns its result and a *RefusedError.
func (c *Commander) Action(ctx context.Context, id, name string) (ActionResult, error) {
	var res ActionResult
	err := c.ask(ctx, id, "action", map[string]string{"name": name}, &res)
	return res, err
}

// ask sends command cmd with args to agent id and decodes the data of
// its reply into data, also when the agent says no.
func (c *Commander) ask(ctx context.Context, id, cmd string, args, data any) error {
	req, err := json.Marshal(struct {
		V    int    `json:"v"`
		Cmd  string `json:"cmd"`
		Args any    `json:"args,omitempty"`
	}{commandVersion, cmd, args})
	if err != nil {
		return fmt.Errorf("encoding command %q: %w", cmd, err)
	}
	raw, err := c.bus.AgentRequest(ctx, id, req)
	if err != nil {
		return err
	}
	var rep struct {
		OK    bool            `json:"ok"`
		Error string          `json:"error"`
		Data  json.RawMessage `json:"data"`
	}
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
