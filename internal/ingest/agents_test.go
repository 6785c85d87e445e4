package ingest_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/host"
	"github.com/picket-monitor/picket/internal/ingest"
)

// waitFor bounds every wait of these tests.
const waitFor = 20 * time.Second

// agentKeys are the test agents' key pairs, by id.
type agentKeys map[string]nkeys.KeyPair

func newAgentKeys(t *testing.T, ids ...string) agentKeys {
	t.Helper()
	keys := agentKeys{}
	for _, id := range ids {
		kp, err := nkeys.CreateUser()
		if err != nil {
			t.Fatal(err)
		}
		keys[id] = kp
	}
	return keys
}

func (k agentKeys) users(t *testing.T) []bus.AgentUser {
	t.Helper()
	var users []bus.AgentUser
	for id, kp := range k {
		pub, err := kp.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, bus.AgentUser{ID: id, PublicKey: pub})
	}
	return users
}

// server is a real bus listening on loopback, a real store and the
// Agents between them.
type server struct {
	bus    *bus.Bus
	agents *ingest.Agents
	hosts  *host.Registry
	keys   agentKeys
}

// startServer starts a server for agents web-1 and web-2 with opts (its
// Store, Hosts and Now are set here unless given).
func startServer(t *testing.T, opts ingest.AgentsOptions) *server {
	t.Helper()
	keys := newAgentKeys(t, "web-1", "web-2")
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	b, err := bus.Start(ctx, bus.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0", ResultsMaxBytes: 64 << 20,
		Agents: keys.users(t), Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatalf("bus.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("bus.Close: %v", err)
		}
	})
	if opts.Store == nil {
		opts.Store = openStore(t)
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0.Add(time.Hour) }
	}
	reg := host.NewRegistry(host.Options{Now: opts.Now})
	if opts.Hosts == nil {
		opts.Hosts = reg
	}
	a, err := ingest.NewAgents(opts)
	if err != nil {
		t.Fatalf("NewAgents: %v", err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	if err := a.Start(runCtx, b); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { stop(); a.Wait() })
	return &server{bus: b, agents: a, hosts: reg, keys: keys}
}

// agentReply is a reply of protocol v1.
type agentReply struct {
	V      int     `json:"v"`
	OK     bool    `json:"ok"`
	Seq    *uint64 `json:"seq"`
	Server string  `json:"server"`
	Error  string  `json:"error"`
	Retry  *bool   `json:"retry"`
}

// connect connects as agent id, as the agent does.
func (s *server) connect(t *testing.T, id string) *nats.Conn {
	t.Helper()
	kp := s.keys[id]
	pub, _ := kp.PublicKey()
	nc, err := nats.Connect(s.bus.ClientURL(), nats.Nkey(pub, kp.Sign), nats.CustomInboxPrefix(bus.AgentInboxPrefix(id)),
		nats.NoReconnect(), nats.Timeout(5*time.Second))
	if err != nil {
		t.Fatalf("agent %s connecting: %v", id, err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// request sends data as agent nc on its subject of kind and returns the
// reply.
func request(t *testing.T, nc *nats.Conn, id, kind string, data []byte) agentReply {
	t.Helper()
	m, err := nc.Request("picket.agent."+id+"."+kind, data, waitFor)
	if err != nil {
		t.Fatalf("%s request: %v", kind, err)
	}
	var r agentReply
	if err := json.Unmarshal(m.Data, &r); err != nil {
		t.Fatalf("reply %q: %v", m.Data, err)
	}
	return r
}

// point is one sample of a test batch, at tick i.
type point struct {
	tick int
	s    collector.Sample
}

func sample(name string, v float64, labels ...string) collector.Sample {
	s := collector.Sample{Name: name, Value: v}
	for i := 0; i+1 < len(labels); i += 2 {
		s.Labels = append(s.Labels, collector.Label{Name: labels[i], Value: labels[i+1]})
	}
	return s
}

// encode builds agent's batch seq, its ticks a second apart from start.
func encode(t testing.TB, agent string, seq uint64, start time.Time, points ...point) []byte {
	t.Helper()
	bld, err := wire.NewBuilder(agent, wire.BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range points {
		bld.Add(start.Add(time.Duration(p.tick)*time.Second).UnixMilli(), p.s)
	}
	out, err := bld.Encode(seq)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
