package agent

import (
	"encoding/json"
	"fmt"

	"github.com/picket-monitor/picket/internal/agent/proto"
)

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

// parseReply decodes a reply; a reply that is not one counts as none.
func parseReply(data []byte) (proto.Reply, error) {
	var r proto.Reply
	if err := json.Unmarshal(data, &r); err != nil {
		return r, fmt.Errorf("reading reply: %w", err)
	}
	return r, nil
}

// commandReply is a proto.CommandReply before its data is encoded.
type commandReply struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Data  any    `json:"data,omitempty"`
}

func (r commandReply) encode() []byte {
	rep := proto.CommandReply{V: proto.Version, OK: r.OK, Error: r.Error}
	if r.Data != nil {
		data, err := json.Marshal(r.Data)
		if err != nil { // only data of our own making goes in
			rep.OK, rep.Error = false, "encoding reply: "+err.Error()
		}
		rep.Data = data
	}
	b, _ := json.Marshal(rep) // RawMessage data is valid JSON or empty
	return b
}
