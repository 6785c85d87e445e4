// Package proto holds the JSON messages of the agent protocol, the one
// definition the agent (internal/agent) and the server (internal/ingest,
// internal/host) both encode and decode. Metrics batches have their own
// binary format in internal/agent/wire.
//
// Every message carries the protocol version as "v". A side that gets a
// version or a command it does not know refuses it, so new commands can
// be added without breaking old agents.
package proto

import (
	"encoding/json"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// Version is the protocol version this build speaks.
const Version = 1

// Commands the server may send on picket.agent.<id>.cmd.
const (
	CmdLive      = "live"      // args LiveArgs; data LiveData
	CmdProcesses = "processes" // no args; data ProcessTable
	CmdAction    = "action"    // args ActionArgs; data ActionResult
)

// HostInfo is what an agent says of its host.
type HostInfo struct {
	Hostname     string   `json:"hostname"`
	OS           string   `json:"os"`
	Kernel       string   `json:"kernel"`
	Arch         string   `json:"arch"`
	Cores        int      `json:"cores"`
	Collectors   []string `json:"collectors"`
	AgentVersion string   `json:"agent_version"`
}

// Hello introduces an agent on every (re)connect, on
// picket.agent.<id>.hello.
type Hello struct {
	V     int    `json:"v"`
	Agent string `json:"agent"`
	HostInfo
}

// Procs is the payload of picket.agent.<id>.procs, zstd-compressed: the
// whole table, or (Table nil) only the births and deaths since the last.
type Procs struct {
	V      int                      `json:"v"`
	Time   time.Time                `json:"time"`
	Table  []collector.Process      `json:"table,omitempty"`
	Events []collector.ProcessEvent `json:"events"`
}

// Reply is the server's answer to a hello, a metrics batch or a procs
// message.
type Reply struct {
	V      int     `json:"v"`
	OK     bool    `json:"ok"`
	Seq    *uint64 `json:"seq,omitempty"`    // of the batch stored
	Server string  `json:"server,omitempty"` // the server's name, in the answer to hello
	Error  string  `json:"error,omitempty"`  // a counted reason
	// Retry, when false, says the message will never be taken: the agent
	// drops it. Absent or true: keep it and send it again.
	Retry *bool `json:"retry,omitempty"`
}

// Refused reports whether the server said the message will never be
// accepted.
func (r Reply) Refused() bool { return !r.OK && r.Retry != nil && !*r.Retry }

// Command is a request from the server on picket.agent.<id>.cmd.
type Command struct {
	V    int             `json:"v"`
	Cmd  string          `json:"cmd"`
	Args json.RawMessage `json:"args,omitempty"`
}

// CommandReply answers a Command; Data is the command's answer, also
// when it failed (an action that ran and exited with an error).
type CommandReply struct {
	V     int             `json:"v"`
	OK    bool            `json:"ok"`
	Error string          `json:"error,omitempty"`
	Data  json.RawMessage `json:"data,omitempty"`
}

// LiveArgs ask for live mode for For (a Go duration; the agent's default
// when empty).
type LiveArgs struct {
	For string `json:"for,omitempty"`
}

// LiveData says until when live mode lasts.
type LiveData struct {
	Until time.Time `json:"until"`
}

// ProcessTable is the answer to CmdProcesses: the table read now.
type ProcessTable struct {
	Time  time.Time           `json:"time"`
	Table []collector.Process `json:"table"`
}

// ActionArgs name an action of the agent's own config, and nothing else.
type ActionArgs struct {
	Name string `json:"name"`
}

// ActionResult is what running an action gave.
type ActionResult struct {
	Name      string  `json:"name"`
	ExitCode  int     `json:"exit_code"` // -1: it did not exit by itself
	Output    string  `json:"output"`    // stdout and stderr, the end of it
	Truncated bool    `json:"truncated,omitempty"`
	Seconds   float64 `json:"duration_seconds"`
}
