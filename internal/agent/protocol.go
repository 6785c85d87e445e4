package agent

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// protocolVersion is the version of the agent protocol this agent speaks;
// every message carries it as "v".
const protocolVersion = 1

// subjects are the NATS subjects of one agent.
type subjects struct {
	hello, metrics, procs, cmd string
}

func subjectsOf(id string) subjects {
	p := "picket.agent." + id + "."
	return subjects{hello: p + "hello", metrics: p + "metrics", procs: p + "procs", cmd: p + "cmd"}
}

// inboxPrefix is where replies to the agent's requests arrive; the
// server's NATS permissions confine the agent to it.
func inboxPrefix(id string) string { return "_INBOX_picket." + id }

// hello introduces the agent on every (re)connect.
type hello struct {
	V            int      `json:"v"`
	Agent        string   `json:"agent"`
	Hostname     string   `json:"hostname"`
	OS           string   `json:"os"`
	Kernel       string   `json:"kernel"`
	Arch         string   `json:"arch"`
	Cores        int      `json:"cores"`
	Collectors   []string `json:"collectors"`
	AgentVersion string   `json:"agent_version"`
}

// procsMessage is the payload of picket.agent.<id>.procs, zstd-compressed.
type procsMessage struct {
	V      int                      `json:"v"`
	Time   time.Time                `json:"time"`
	Table  []collector.Process      `json:"table,omitempty"`
	Events []collector.ProcessEvent `json:"events"`
}

// reply is the server's answer to hello, metrics and procs.
type reply struct {
	V      int    `json:"v"`
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
	Retry  *bool  `json:"retry"`
	Seq    uint64 `json:"seq"`
	Server string `json:"server"`
}

// parseReply decodes a reply; a reply that is not one counts as none.
func parseReply(data []byte) (reply, error) {
	var r reply
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("reading reply: %w", err)
	}
	return r, nil
}

// refused reports whether the server said the message will never be
// accepted; a refusal that does not say "retry":false is worth retrying.
func (r reply) refused() bool { return !r.OK && r.Retry != nil && !*r.Retry }

// command is a request from the server on picket.agent.<id>.cmd.
type command struct {
	V    int             `json:"v"`
	Cmd  string          `json:"cmd"`
	Args json.RawMessage `json:"args"`
}

// commandReply answers a command.
type commandReply struct {
	V     int    `json:"v"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Data  any    `json:"data,omitempty"`
}

func (r commandReply) encode() []byte {
	r.V = protocolVersion
	b, err := json.Marshal(r)
	if err != nil { // only data of our own making goes in
		b, _ = json.Marshal(commandReply{V: protocolVersion, Error: "encoding reply: " + err.Error()})
	}
	return b
}
