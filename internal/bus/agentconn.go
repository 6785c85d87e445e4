package bus

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// agentQueue is the queue group of the servers answering agents: in a
// cluster each request is handled once, preferably by the node the agent
// is connected to.
const agentQueue = "picket-agents"

// DefaultAgentRequestTimeout bounds AgentRequest when ctx has no deadline.
const DefaultAgentRequestTimeout = 30 * time.Second

// ErrAgentOffline is returned (wrapped) by AgentRequest when no agent
// listens on the id's command subject: it is not connected.
var ErrAgentOffline = errors.New("agent not connected")

// AgentMessage is one request from an agent.
type AgentMessage struct {
	// Agent is the id in the subject. The server's permissions let an
	// agent publish only on its own subjects, so it is the sender's id.
	Agent string
	Kind  string // AgentHello, AgentMetrics or AgentProcs
	Data  []byte // the payload; the receiver's to keep
	msg   *nats.Msg
}

// Respond sends data as the reply to m. A message sent without a reply
// subject (a publish, not a request) gets none, and Respond returns nil.
func (m *AgentMessage) Respond(data []byte) error {
	if m.msg == nil || m.msg.Reply == "" {
		return nil
	}
	if err := m.msg.Respond(data); err != nil {
		return fmt.Errorf("replying to agent %s: %w", m.Agent, err)
	}
	return nil
}

// ServeAgents calls fn with every hello, metrics and procs request agents
// send from now on, until ctx ends or the bus closes. It returns once the
// server has the subscriptions. fn runs on the connection's delivery
// goroutines, one per kind, so calls for different kinds may overlap and
// calls for one kind come one at a time in the order received: fn should
// hand the work off and return quickly. Requests that arrive while nobody
// serves them get no reply; agents keep them and send them again.
func (b *Bus) ServeAgents(ctx context.Context, fn func(*AgentMessage)) error {
	var subs []*nats.Subscription
	unsubscribe := func() {
		for _, s := range subs {
			_ = s.Unsubscribe() // fails only when the connection is already gone
		}
	}
	for _, kind := range []string{AgentHello, AgentMetrics, AgentProcs} {
		s, err := b.nc.QueueSubscribe(agentSubject("*", kind), agentQueue, func(m *nats.Msg) {
			if id := agentOf(m.Subject); id != "" {
				fn(&AgentMessage{Agent: id, Kind: kind, Data: m.Data, msg: m})
			}
		})
		if err != nil {
			unsubscribe()
			return fmt.Errorf("subscribing to agent %s requests: %w", kind, err)
		}
		subs = append(subs, s)
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := b.nc.FlushWithContext(fctx); err != nil {
		unsubscribe()
		return fmt.Errorf("subscribing to agent requests: %w", err)
	}
	go func() {
		select {
		case <-ctx.Done():
		case <-b.closed:
		}
		unsubscribe()
	}()
	return nil
}

// agentOf returns the agent id of picket.agent.<id>.<kind>, or "".
func agentOf(subject string) string {
	rest, ok := strings.CutPrefix(subject, agentPrefix)
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, ".")
	if !ok {
		return ""
	}
	return id
}

// AgentRequest sends payload to agent id on its command subject and
// returns the agent's reply. It fails with ErrAgentOffline when the agent
// is not connected, and when ctx ends (after DefaultAgentRequestTimeout
// when ctx has no deadline).
func (b *Bus) AgentRequest(ctx context.Context, id string, payload []byte) ([]byte, error) {
	if err := checkID("agent id", id); err != nil {
		return nil, err
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultAgentRequestTimeout)
		defer cancel()
	}
	m, err := b.nc.RequestWithContext(ctx, agentSubject(id, agentCmd), payload)
	if errors.Is(err, nats.ErrNoResponders) {
		return nil, fmt.Errorf("asking agent %s: %w", id, ErrAgentOffline)
	}
	if err != nil {
		return nil, fmt.Errorf("asking agent %s: %w", id, err)
	}
	return m.Data, nil
}

// SetAgents replaces the agents allowed to connect, without a restart.
// A connected agent that is no longer listed, or whose key changed, is
// disconnected; the others stay connected. On error (a bad id or key) the
// list in force does not change.
func (b *Bus) SetAgents(agents []AgentUser) error {
	b.agentsMu.Lock()
	defer b.agentsMu.Unlock()
	o := b.opts
	o.Agents = slices.Clone(agents)
	sopts, err := serverOptions(o, publicKey(b.self))
	if err != nil {
		return err
	}
	if err := b.srv.ReloadOptions(sopts); err != nil {
		return fmt.Errorf("updating agents: %w", err)
	}
	b.opts = o
	return nil
}

// publicKey returns kp's public key, or "" (which no user has) when kp
// was wiped.
func publicKey(kp nkeys.KeyPair) string {
	pub, err := kp.PublicKey()
	if err != nil {
		return ""
	}
	return pub
}
