package app

import (
	"context"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/internal/ingest"
)

// agentUsers are the agents the embedded NATS lets in, each confined to
// its own subjects.
func agentUsers(cfg *config.Config) []bus.AgentUser {
	users := make([]bus.AgentUser, 0, len(cfg.Agents.Hosts))
	for _, h := range cfg.Agents.Hosts {
		users = append(users, bus.AgentUser{ID: h.ID, PublicKey: h.PublicKey})
	}
	return users
}

func agentIDs(cfg *config.Config) []string {
	ids := make([]string, 0, len(cfg.Agents.Hosts))
	for _, h := range cfg.Agents.Hosts {
		ids = append(ids, h.ID)
	}
	return ids
}

// openAgents makes the host registry and the ingest of agents' messages.
func (a *App) openAgents(cfg *config.Config) error {
	a.hosts = host.NewRegistry(host.Options{Grace: cfg.Agents.Grace})
	a.hosts.SetHosts(agentIDs(cfg))
	var err error
	a.agents, err = ingest.NewAgents(ingest.AgentsOptions{Store: a.store, Hosts: a.hosts, Server: a.node})
	if err != nil {
		return err
	}
	return a.metrics.reg.Register(newAgentCollector(a.agents.Stats))
}

// runAgents serves the agents until ctx ends.
func (a *App) runAgents(ctx context.Context) error { return a.agents.Run(ctx, a.bus) }

// reloadAgents applies a new list of agents: removed agents and changed
// keys are disconnected at once, the others stay connected.
func (a *App) reloadAgents(cfg *config.Config) {
	if err := a.bus.SetAgents(agentUsers(cfg)); err != nil {
		a.log.Warn("updating the agents NATS lets in", "err", err)
	}
	a.hosts.SetHosts(agentIDs(cfg))
	a.hosts.SetGrace(cfg.Agents.Grace)
}
