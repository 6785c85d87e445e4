package config

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nkeys"
	"gopkg.in/yaml.v3"
)

// Agents lists the host agents allowed to connect, each with its NKey.
type Agents struct {
	// Grace is how long a host may go without reporting before its host
	// check is down; default 30s.
	Grace time.Duration `yaml:"grace"`
	// Interval is how often each host check looks; default 10s.
	Interval time.Duration `yaml:"interval"`
	Hosts    []AgentHost   `yaml:"hosts"`
}

// AgentHost is one agent: its id (the host label of its series), the
// public key that `picket agent enroll` printed, and the name and labels
// of its host check.
type AgentHost struct {
	ID        string            `yaml:"id"`
	Name      string            `yaml:"name"`
	PublicKey string            `yaml:"public_key"`
	Labels    map[string]string `yaml:"labels"`
}

// HostCheckPrefix starts the id of the check made for each agent: a host
// whose agent stops reporting is down like any check, with the same
// confirmation, incidents and routing.
const HostCheckPrefix = "host-"

// HostCheckType is the type of those checks; it is not a probe type a
// user can write, and app gives them their prober.
const HostCheckType = "host"

// maxAgentID leaves room for the host check's prefix in a 64-byte id.
const maxAgentID = 64 - len(HostCheckPrefix)

// DefaultAgents returns the agents section's defaults.
func DefaultAgents() Agents { return Agents{Grace: 30 * time.Second, Interval: 10 * time.Second} }

// agents decodes the agents section and adds a host check per agent. It
// runs after checks, so a host check's id cannot shadow a check's.
func (d *decoder) agents(n *yaml.Node, c *Config) {
	if isNull(n) {
		return
	}
	d.decodeStruct(n, &c.Agents, "agents")
	if c.Agents.Grace <= 0 {
		d.add(valueAt(n, "grace"), "agents.grace", "must be positive, got %s", c.Agents.Grace)
	}
	if msg := intervalProblem(c.Agents.Interval); msg != "" {
		d.add(valueAt(n, "interval"), "agents.interval", "%s", msg)
	}
	_, list := lookup(resolve(n), "hosts")
	srcs := d.items(list, "agents.hosts", "agent", "agents")
	ids := make([]string, len(srcs))
	for i, src := range srcs {
		if i < len(c.Agents.Hosts) {
			ids[i] = c.Agents.Hosts[i].ID
			d.agentHost(src, c.Agents.Hosts[i])
		}
	}
	first := d.uniqueIDs(ids, srcs)
	for i, h := range c.Agents.Hosts {
		if j, ok := first[h.ID]; ok && j == i {
			d.addHostCheck(c, srcs[i], h)
		}
	}
}

func (d *decoder) agentHost(src source, h AgentHost) {
	d.requireKeys(src, "id", "public_key")
	d.checkID(src, h.ID)
	if len(h.ID) > maxAgentID {
		d.add(valueAt(src.node, "id"), src.path+".id", "%d characters; an agent id may have at most %d", len(h.ID), maxAgentID)
	}
	if h.PublicKey != "" && !nkeys.IsValidPublicUserKey(h.PublicKey) {
		d.add(valueAt(src.node, "public_key"), src.path+".public_key",
			"not an NKey user public key (it starts with U; picket agent enroll prints it)")
	}
	d.labels(src, h.Labels)
}

// addHostCheck adds the check that watches h, unless a check already
// has its id.
func (d *decoder) addHostCheck(c *Config, src source, h AgentHost) {
	if h.ID == "" || !validID.MatchString(HostCheckPrefix+h.ID) {
		return
	}
	id := HostCheckPrefix + h.ID
	if _, taken := c.Check(id); taken {
		d.add(valueAt(src.node, "id"), src.path+".id", "its host check %q has the id of a check in checks", id)
		return
	}
	def := c.Defaults
	name := h.Name
	if name == "" {
		name = h.ID
	}
	chk := Check{
		ID: id, Name: name, Type: HostCheckType, Target: h.ID, Labels: h.Labels,
		Interval: c.Agents.Interval, Timeout: c.Agents.Interval * 8 / 10,
		Confirm: def.Confirm, Recover: def.Recover, Severity: def.Severity, Flapping: def.Flapping,
	}
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%v", id, name, chk.Interval, h.Labels)))
	chk.Fingerprint = "host:" + hex.EncodeToString(sum[:16]) + ":" + strconv.Itoa(chk.Confirm)
	c.Checks = append(c.Checks, chk)
}
