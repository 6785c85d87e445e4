package agent

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nkeys"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
)

// agentUser is the NATS user of an agent, with exactly the permissions of
// the protocol: its own subjects to publish, answers to the server's
// commands, its commands and its inbox to subscribe.
func agentUser(id, pub string) *server.NkeyUser {
	return &server.NkeyUser{Nkey: pub, Permissions: &server.Permissions{
		Publish:   &server.SubjectPermission{Allow: []string{"picket.agent." + id + ".>"}},
		Subscribe: &server.SubjectPermission{Allow: []string{"picket.agent." + id + ".cmd", "_INBOX_picket." + id + ".>"}},
		Response:  &server.ResponsePermission{MaxMsgs: 1, Expires: time.Minute},
	}}
}

// startNATS starts a NATS server on loopback that knows the given users;
// port 0 picks a free one.
func startNATS(t *testing.T, port int, users ...*server.NkeyUser) *server.Server {
	t.Helper()
	if port == 0 {
		port = -1
	}
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, NoLog: true, NoSigs: true, Nkeys: users})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	t.Cleanup(s.Shutdown)
	return s
}

// responder plays Picket's server: it acknowledges hello and stores
// batches, on a connection of its own with every permission.
type responder struct {
	nc      *nats.Conn
	mu      sync.Mutex // protects the fields below
	hellos  []proto.Hello
	batches []*wire.Batch
}

func newServerUser(t *testing.T) (*server.NkeyUser, nkeys.KeyPair) {
	t.Helper()
	kp, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := kp.PublicKey()
	return &server.NkeyUser{Nkey: pub}, kp
}

func startResponder(t *testing.T, url string, kp nkeys.KeyPair) *responder {
	t.Helper()
	pub, _ := kp.PublicKey()
	nc, err := nats.Connect(url, nats.Nkey(pub, kp.Sign), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	dec, err := wire.NewDecoder(wire.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dec.Close)
	r := &responder{nc: nc}
	tables := wire.NewTables(0)
	sub := func(subject string, h func(data []byte) string) {
		if _, err := nc.Subscribe(subject, func(m *nats.Msg) { m.Respond([]byte(h(m.Data))) }); err != nil {
			t.Fatal(err)
		}
	}
	sub("picket.agent.*.hello", func(data []byte) string {
		var h proto.Hello
		json.Unmarshal(data, &h)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.hellos = append(r.hellos, h)
		return `{"v":1,"ok":true,"server":"test"}`
	})
	sub("picket.agent.*.metrics", func(data []byte) string {
		b, err := dec.Decode(data, tables)
		if err != nil {
			return fmt.Sprintf(`{"v":1,"ok":false,"error":%q,"retry":false}`, err.Error())
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.batches = append(r.batches, b)
		return fmt.Sprintf(`{"v":1,"ok":true,"seq":%d}`, b.Seq)
	})
	sub("picket.agent.*.procs", func([]byte) string { return `{"v":1,"ok":true}` })
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *responder) counts() (hellos, batches int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.hellos), len(r.batches)
}

// waitFor polls cond every 50 ms until it holds, failing after a bound
// far above what it needs.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for range 600 {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

// newAgentKey makes an agent key in a new directory and returns the
// directory and the public key.
func newAgentKey(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	pub, err := GenerateKey(filepath.Join(dir, "agent.seed"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, pub
}

// writeAgentConfig writes the config of an agent whose key is in dir and
// returns its path.
func writeAgentConfig(t *testing.T, dir, id, url string) string {
	t.Helper()
	cfg := fmt.Sprintf(`id: %s
servers: [%s]
key_file: agent.seed
spool_dir: spool
batch_interval: 1s
process_interval: 1s
actions:
  - {name: say-ok, command: [/bin/echo, ok]}
`, id, url)
	path := filepath.Join(dir, "agent.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runAgent runs the agent of the config at path until the test ends.
func runAgent(t *testing.T, path string) *logBuffer {
	t.Helper()
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{Config: cfg, Logger: slog.New(slog.NewTextHandler(logs, nil)), Version: "test"})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	return logs
}

func TestNATSEndToEnd(t *testing.T) {
	srvUser, srvKey := newServerUser(t)
	dir, pub := newAgentKey(t)
	ns := startNATS(t, 0, srvUser, agentUser("web-1", pub))
	r := startResponder(t, ns.ClientURL(), srvKey)
	runAgent(t, writeAgentConfig(t, dir, "web-1", ns.ClientURL()))

	waitFor(t, "hello and two acknowledged batches", func() bool {
		h, b := r.counts()
		return h == 1 && b >= 2
	})
	r.mu.Lock()
	h, b := r.hellos[0], r.batches[0]
	r.mu.Unlock()
	if h.Agent != "web-1" || h.AgentVersion != "test" || h.Cores < 1 || len(h.Collectors) == 0 {
		t.Errorf("hello = %+v", h)
	}
	names := map[string]bool{}
	for _, s := range b.Series {
		names[s.Name] = true
	}
	for _, want := range []string{collector.Load1, collector.MemoryBytes, collector.ProcessesTotal} {
		if !names[want] {
			t.Errorf("the first batch has no %s", want)
		}
	}

	// Commands: the agent may answer the server's requests.
	for _, tc := range []struct{ req, want string }{
		{`{"v":1,"cmd":"action","args":{"name":"say-ok"}}`, `"output":"ok\n"`},
		{`{"v":1,"cmd":"processes"}`, `"table":[{"pid":1,`},
		{`{"v":1,"cmd":"action","args":{"name":"nope"}}`, `"ok":false`},
	} {
		msg, err := r.nc.Request("picket.agent.web-1.cmd", []byte(tc.req), 10*time.Second)
		if err != nil {
			t.Fatalf("command %s: %v", tc.req, err)
		}
		if !strings.Contains(string(msg.Data), tc.want) {
			t.Errorf("command %s: reply %.300s, want %s in it", tc.req, msg.Data, tc.want)
		}
	}
}

func TestNATSWrongKeyRefused(t *testing.T) {
	srvUser, _ := newServerUser(t)
	_, known := newAgentKey(t)
	dir, _ := newAgentKey(t) // a key the server does not know
	ns := startNATS(t, 0, srvUser, agentUser("web-1", known))
	cfg, err := LoadConfig(writeAgentConfig(t, dir, "web-1", ns.ClientURL()))
	if err != nil {
		t.Fatal(err)
	}
	kp, err := loadKey(cfg.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	tr, err := newNATSTransport(cfg, kp, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); tr.connect(ctx) }()
	waitFor(t, "the refusal in the log", func() bool { return strings.Contains(logs.String(), "Authorization Violation") })
	if _, err := tr.Request(ctx, "picket.agent.web-1.hello", []byte("{}")); err != errNotConnected {
		t.Errorf("Request with a refused key: %v, want errNotConnected", err)
	}
	cancel()
	<-done
	tr.Close()
	if n := strings.Count(logs.String(), "Authorization Violation"); n != 1 {
		t.Errorf("the refusal is logged %d times, want once:\n%s", n, logs)
	}
}

func TestNATSReconnectReplays(t *testing.T) {
	srvUser, srvKey := newServerUser(t)
	dir, pub := newAgentKey(t)
	users := []*server.NkeyUser{srvUser, agentUser("web-1", pub)}
	ns := startNATS(t, 0, users...)
	port := ns.Addr().(*net.TCPAddr).Port
	r := startResponder(t, ns.ClientURL(), srvKey)
	runAgent(t, writeAgentConfig(t, dir, "web-1", ns.ClientURL()))
	waitFor(t, "the first batch", func() bool { _, b := r.counts(); return b >= 1 })

	ns.Shutdown()
	ns.WaitForShutdown()
	time.Sleep(3 * time.Second) // the server is away for a few ticks
	startNATS(t, port, users...)
	back := time.Now().UnixMilli()
	waitFor(t, "a second hello and a batch from after the restart", func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.hellos) == 2 && len(r.batches) > 0 && r.batches[len(r.batches)-1].First > back
	})
	r.mu.Lock()
	defer r.mu.Unlock()
	var ticks []int64
	for i, b := range r.batches {
		if i > 0 && b.Seq != r.batches[i-1].Seq+1 {
			t.Errorf("batch %d has seq %d after %d", i, b.Seq, r.batches[i-1].Seq)
		}
		for _, s := range b.Series {
			if s.Name == collector.UptimeSeconds {
				for _, p := range s.Points {
					ticks = append(ticks, p.T)
				}
			}
		}
	}
	for i := 1; i < len(ticks); i++ {
		if ticks[i]-ticks[i-1] != 1000 {
			t.Errorf("a gap between ticks %d and %d", ticks[i-1], ticks[i])
		}
	}
}

// TestNATSFailover: an agent given two servers moves to the other when
// the one it uses goes away, says hello there, and sends on from where
// it was, with no batch lost. (One may come twice, when the first server
// took it but went away before its reply; the server's store keeps one.)
func TestNATSFailover(t *testing.T) {
	srvUser, srvKey := newServerUser(t)
	dir, pub := newAgentKey(t)
	users := []*server.NkeyUser{srvUser, agentUser("web-1", pub)}
	servers := []*server.Server{startNATS(t, 0, users...), startNATS(t, 0, users...)}
	rs := []*responder{startResponder(t, servers[0].ClientURL(), srvKey), startResponder(t, servers[1].ClientURL(), srvKey)}
	runAgent(t, writeAgentConfig(t, dir, "web-1", servers[0].ClientURL()+", "+servers[1].ClientURL()))

	first := -1
	waitFor(t, "batches on one of the servers", func() bool {
		for i, r := range rs {
			if _, b := r.counts(); b >= 2 {
				first = i
				return true
			}
		}
		return false
	})
	other := 1 - first
	servers[first].Shutdown()
	servers[first].WaitForShutdown()
	waitFor(t, "a hello and batches on the other server", func() bool {
		h, b := rs[other].counts()
		return h == 1 && b >= 2
	})
	rs[first].mu.Lock()
	all := slices.Clone(rs[first].batches)
	rs[first].mu.Unlock()
	moved := len(all) // the first batch sent to the other server
	rs[other].mu.Lock()
	all = append(all, rs[other].batches...)
	rs[other].mu.Unlock()
	for i := 1; i < len(all); i++ {
		if d := all[i].Seq - all[i-1].Seq; d != 1 && !(d == 0 && i == moved) {
			t.Errorf("batch %d has seq %d after %d", i, all[i].Seq, all[i-1].Seq)
		}
	}
}
