package bus

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"
)

// agentKey is a test agent's key pair.
type agentKey struct {
	id   string
	kp   nkeys.KeyPair
	pub  string
	seed string
}

func newAgentKey(t *testing.T, id string) agentKey {
	t.Helper()
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	seed, err := kp.Seed()
	if err != nil {
		t.Fatal(err)
	}
	return agentKey{id: id, kp: kp, pub: pub, seed: string(seed)}
}

func (k agentKey) user() AgentUser { return AgentUser{ID: k.id, PublicKey: k.pub} }

// agentConn is an agent's connection and the asynchronous errors (such
// as permission violations) the server sent it.
type agentConn struct {
	*nats.Conn
	errs chan error
}

// dialAgent connects to url as agent k, signing with signer (k's own key
// when nil), without reconnecting.
func dialAgent(t *testing.T, url string, k agentKey, signer nkeys.KeyPair) (*agentConn, error) {
	t.Helper()
	if signer == nil {
		signer = k.kp
	}
	errs := make(chan error, 16)
	nc, err := nats.Connect(url,
		nats.Nkey(k.pub, signer.Sign),
		nats.CustomInboxPrefix(AgentInboxPrefix(k.id)),
		nats.NoReconnect(),
		nats.Timeout(5*time.Second),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			select {
			case errs <- err:
			default:
			}
		}),
	)
	if err != nil {
		return nil, err
	}
	t.Cleanup(nc.Close)
	return &agentConn{Conn: nc, errs: errs}, nil
}

func mustDialAgent(t *testing.T, url string, k agentKey) *agentConn {
	t.Helper()
	c, err := dialAgent(t, url, k, nil)
	if err != nil {
		t.Fatalf("agent %s connecting: %v", k.id, err)
	}
	return c
}

// violation waits for the server to report a permission violation
// mentioning subject.
func (c *agentConn) violation(t *testing.T, subject string) {
	t.Helper()
	timeout := time.After(waitFor)
	for {
		select {
		case err := <-c.errs:
			if errors.Is(err, nats.ErrPermissionViolation) && strings.Contains(err.Error(), subject) {
				return
			}
		case <-timeout:
			t.Fatalf("no permission violation reported for %s", subject)
		}
	}
}

// syncBuffer is a log sink that tests read while the server writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestAgentAuthentication(t *testing.T) {
	a, other := newAgentKey(t, "web-1"), newAgentKey(t, "web-2")
	var logs syncBuffer
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0", Agents: []AgentUser{a.user()},
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	tests := []struct {
		name   string
		key    agentKey
		signer nkeys.KeyPair
		ok     bool
	}{
		{"listed key", a, nil, true},
		{"unknown key", other, nil, false},
		{"listed public key, other private key", a, other.kp, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := dialAgent(t, b.ClientURL(), tt.key, tt.signer)
			if tt.ok && err != nil {
				t.Fatalf("connect: %v", err)
			}
			if !tt.ok && !errors.Is(err, nats.ErrAuthorization) {
				t.Fatalf("connect error = %v, want %v", err, nats.ErrAuthorization)
			}
		})
	}
	t.Run("anonymous", func(t *testing.T) {
		nc, err := nats.Connect(b.ClientURL(), nats.NoReconnect())
		if err == nil {
			nc.Close()
		}
		if !errors.Is(err, nats.ErrAuthorization) {
			t.Fatalf("connect error = %v, want %v", err, nats.ErrAuthorization)
		}
	})
	got := logs.String()
	if !strings.Contains(got, "authentication error") {
		t.Errorf("the refusals were not logged; log:\n%s", got)
	}
	for _, seed := range []string{a.seed, other.seed} {
		if strings.Contains(got, seed) {
			t.Errorf("the log shows a private key:\n%s", got)
		}
	}
}

func TestAgentPermissions(t *testing.T) {
	a, other := newAgentKey(t, "web-1"), newAgentKey(t, "web-2")
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0", Agents: []AgentUser{a.user(), other.user()}})
	ctx := testCtx(t)
	seen := make(chan AgentMessage, 16)
	if err := b.ServeAgents(ctx, func(m *AgentMessage) {
		seen <- AgentMessage{Agent: m.Agent, Kind: m.Kind, Data: m.Data}
		if err := m.Respond([]byte("ok " + m.Kind)); err != nil {
			t.Error(err)
		}
	}); err != nil {
		t.Fatal(err)
	}
	c := mustDialAgent(t, b.ClientURL(), a)

	reply, err := c.Request(agentSubject(a.id, AgentMetrics), []byte("batch"), waitFor)
	if err != nil {
		t.Fatalf("request on its own subject: %v", err)
	}
	if string(reply.Data) != "ok metrics" {
		t.Errorf("reply = %q, want %q", reply.Data, "ok metrics")
	}
	if m := <-seen; m.Agent != a.id || m.Kind != AgentMetrics || string(m.Data) != "batch" {
		t.Errorf("served %+v, want agent %s kind metrics data batch", m, a.id)
	}

	t.Run("publish as another agent", func(t *testing.T) {
		subject := agentSubject(other.id, AgentMetrics)
		if err := c.Publish(subject, []byte("forged")); err != nil {
			t.Fatal(err)
		}
		c.violation(t, subject)
	})
	for _, subject := range []string{agentSubject(other.id, agentCmd), AgentInboxPrefix(other.id) + ".>",
		agentSubject(a.id, AgentMetrics), resultsSubject, "_INBOX.>", ">"} {
		t.Run("subscribe "+subject, func(t *testing.T) {
			if _, err := c.SubscribeSync(subject); err != nil {
				t.Fatal(err)
			}
			c.violation(t, subject)
		})
	}
	t.Run("publish a result", func(t *testing.T) {
		if err := c.Publish(resultSubject("web"), []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		c.violation(t, resultSubject("web"))
	})
	select {
	case m := <-seen:
		t.Errorf("a forbidden message was served: %+v", m)
	default:
	}
}

func TestAgentRequest(t *testing.T) {
	a := newAgentKey(t, "db-1")
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0", Agents: []AgentUser{a.user()}})
	ctx := testCtx(t)
	c := mustDialAgent(t, b.ClientURL(), a)
	sub, err := c.Subscribe(agentSubject(a.id, agentCmd), func(m *nats.Msg) {
		_ = m.Respond(append([]byte("done: "), m.Data...))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := b.AgentRequest(ctx, a.id, []byte(`{"v":1,"cmd":"processes"}`))
	if err != nil {
		t.Fatalf("AgentRequest: %v", err)
	}
	if want := `done: {"v":1,"cmd":"processes"}`; string(got) != want {
		t.Errorf("reply = %q, want %q", got, want)
	}
	if err := sub.Unsubscribe(); err != nil {
		t.Fatal(err)
	}
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AgentRequest(ctx, a.id, nil); !errors.Is(err, ErrAgentOffline) {
		t.Errorf("AgentRequest to an agent not listening: error = %v, want ErrAgentOffline", err)
	}
	if _, err := b.AgentRequest(ctx, "a.b", nil); !errors.Is(err, ErrInvalidID) {
		t.Errorf("AgentRequest to a bad id: error = %v, want ErrInvalidID", err)
	}
}

func TestSetAgents(t *testing.T) {
	a, other := newAgentKey(t, "web-1"), newAgentKey(t, "web-2")
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0", Agents: []AgentUser{a.user()}})
	ca := mustDialAgent(t, b.ClientURL(), a)
	if _, err := dialAgent(t, b.ClientURL(), other, nil); !errors.Is(err, nats.ErrAuthorization) {
		t.Fatalf("unlisted agent connect error = %v, want %v", err, nats.ErrAuthorization)
	}

	if err := b.SetAgents([]AgentUser{a.user(), other.user()}); err != nil {
		t.Fatalf("SetAgents: %v", err)
	}
	mustDialAgent(t, b.ClientURL(), other)
	if err := ca.FlushTimeout(waitFor); err != nil {
		t.Errorf("a listed agent lost its connection on reload: %v", err)
	}

	bad := AgentUser{ID: "x", PublicKey: other.seed}
	if err := b.SetAgents([]AgentUser{a.user(), bad}); !errors.Is(err, ErrBadAgentKey) {
		t.Fatalf("SetAgents with a private key as public key: error = %v, want ErrBadAgentKey", err)
	} else if strings.Contains(err.Error(), other.seed) {
		t.Errorf("the error shows the key: %v", err)
	}

	if err := b.SetAgents([]AgentUser{other.user()}); err != nil {
		t.Fatalf("SetAgents: %v", err)
	}
	deadline := time.Now().Add(waitFor)
	for !ca.IsClosed() && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !ca.IsClosed() {
		t.Error("a removed agent is still connected")
	}
	if err := b.Conn().FlushTimeout(waitFor); err != nil {
		t.Errorf("the bus's own connection is broken after SetAgents: %v", err)
	}
}

func TestAgentOptions(t *testing.T) {
	k1, k2 := newAgentKey(t, "a"), newAgentKey(t, "b")
	tests := []struct {
		name   string
		agents []AgentUser
		want   string
	}{
		{"bad id", []AgentUser{{ID: "a.b", PublicKey: k1.pub}}, "agent id"},
		{"seed as key", []AgentUser{{ID: "a", PublicKey: k1.seed}}, ErrBadAgentKey.Error()},
		{"empty key", []AgentUser{{ID: "a"}}, ErrBadAgentKey.Error()},
		{"id twice", []AgentUser{k1.user(), {ID: "a", PublicKey: k2.pub}}, `agent "a" listed twice`},
		{"key twice", []AgentUser{k1.user(), {ID: "b", PublicKey: k1.pub}}, "same public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Start(testCtx(t), Options{DataDir: t.TempDir(), Agents: tt.agents})
			if err == nil {
				b.Close()
				t.Fatalf("Start succeeded, want error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Start error = %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), k1.seed) {
				t.Errorf("the error shows a private key: %v", err)
			}
		})
	}
}
