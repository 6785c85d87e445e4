package ingest

import (
	"encoding/json"
	"errors"

	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/host"
)

// Bounds on what a hello may carry; longer strings are cut.
const (
	maxHelloString = 256
	maxCollectors  = 64
)

// hello records an agent's hello and replies with the server's name.
func (a *Agents) hello(m *bus.AgentMessage) {
	if len(m.Data) > maxHelloSize {
		a.refuse(m, wire.ReasonTooLarge, false)
		return
	}
	var h proto.Hello
	if err := json.Unmarshal(m.Data, &h); err != nil {
		a.refuse(m, ReasonBadMessage, false)
		return
	}
	if reason := checkMessage(h.V, h.Agent, m.Agent); reason != "" {
		a.refuse(m, reason, false)
		return
	}
	a.opts.Hosts.Hello(m.Agent, clipHello(h.HostInfo))
	a.stats.accepted(bus.AgentHello, 0)
	a.reply(m, proto.Reply{V: proto.Version, OK: true, Server: a.opts.Server})
}

// checkMessage returns the reason to refuse a message of version v that
// names agent when it came from from, or "".
func checkMessage(v int, agent, from string) string {
	switch {
	case v != proto.Version:
		return wire.ReasonVersion
	case agent != from:
		return ReasonWrongAgent
	}
	return ""
}

func clipHello(h proto.HostInfo) proto.HostInfo {
	for _, s := range []*string{&h.Hostname, &h.OS, &h.Kernel, &h.Arch, &h.AgentVersion} {
		*s = clip(*s)
	}
	h.Collectors = h.Collectors[:min(len(h.Collectors), maxCollectors)]
	for i := range h.Collectors {
		h.Collectors[i] = clip(h.Collectors[i])
	}
	return h
}

func clip(s string) string {
	if len(s) > maxHelloString {
		return s[:maxHelloString]
	}
	return s
}

// procs decompresses and records a process message. The message names no
// agent: its subject does.
func (a *Agents) procs(m *bus.AgentMessage) {
	data, err := a.zd.DecodeAll(m.Data, nil)
	if err != nil {
		a.refuse(m, procsReason(err), false)
		return
	}
	var p proto.Procs
	if err := json.Unmarshal(data, &p); err != nil {
		a.refuse(m, ReasonBadMessage, false)
		return
	}
	if p.V != proto.Version {
		a.refuse(m, wire.ReasonVersion, false)
		return
	}
	a.opts.Hosts.Procs(m.Agent, host.Procs{Time: p.Time, Table: p.Table, Events: p.Events})
	a.stats.accepted(bus.AgentProcs, 0)
	a.reply(m, proto.Reply{V: proto.Version, OK: true})
}

// procsReason tells a message that decompresses beyond the limit (a zip
// bomb, or a table too large) from one that is not zstd at all.
func procsReason(err error) string {
	if errors.Is(err, zstd.ErrDecoderSizeExceeded) || errors.Is(err, zstd.ErrWindowSizeExceeded) {
		return wire.ReasonTooLarge
	}
	return ReasonBadMessage
}
