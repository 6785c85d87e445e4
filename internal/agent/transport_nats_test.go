package agent

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/picket-monitor/picket/internal/testcert"
)

// testCA is a certificate authority made for one test and a server
// certificate it signed for 127.0.0.1.
type testCA struct {
	certPEM []byte          // the CA's certificate: what tls.ca_file holds
	server  tls.Certificate // for 127.0.0.1, with its key
}

func newTestCA(t *testing.T) testCA {
	t.Helper()
	ca := testcert.NewCA(t)
	return testCA{certPEM: ca.PEM(), server: ca.Issue(t, "127.0.0.1").TLS()}
}

// startServerWith starts a NATS server on loopback with the given users,
// requiring TLS with cert unless cert is nil, and answers the agents'
// hello on an in-process connection of its own.
func startServerWith(t *testing.T, cert *tls.Certificate, users ...*server.NkeyUser) *server.Server {
	t.Helper()
	srvUser, srvKey := newServerUser(t)
	opts := &server.Options{Host: "127.0.0.1", Port: -1, NoLog: true, NoSigs: true, Nkeys: append(users, srvUser)}
	if cert != nil {
		opts.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		opts.TLSTimeout = 5
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	t.Cleanup(s.Shutdown)
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats server not ready")
	}
	pub, _ := srvKey.PublicKey()
	nc, err := nats.Connect("", nats.InProcessServer(s), nats.Nkey(pub, srvKey.Sign))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if _, err := nc.Subscribe("picket.agent.*.hello", func(m *nats.Msg) { m.Respond([]byte(`{"v":1,"ok":true}`)) }); err != nil {
		t.Fatal(err)
	}
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	return s
}

// connectTransport starts the transport of an agent whose key is in dir
// with the given servers and tls block (YAML, may be empty), connecting
// until the test ends, and returns it with its log.
func connectTransport(t *testing.T, dir, servers, tlsBlock string) (*natsTransport, *logBuffer) {
	t.Helper()
	path := filepath.Join(dir, "agent.yaml")
	cfg := fmt.Sprintf("id: web-1\nservers: [%s]\nkey_file: agent.seed\nspool_dir: spool\n%s", servers, tlsBlock)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	kp, err := loadKey(c.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	tr, err := newNATSTransport(c, kp, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { defer close(done); tr.connect(ctx) }()
	t.Cleanup(func() { cancel(); <-done; tr.Close() })
	return tr, logs
}

func TestNATSTLS(t *testing.T) {
	ca, other := newTestCA(t), newTestCA(t)
	tests := []struct {
		name     string
		tls      bool   // whether the server requires TLS
		scheme   string // of the agent's URL
		caPEM    []byte // the agent's tls.ca_file; nil: no tls block
		wantLogs string // the refusal in the agent's log; "": it connects over TLS
	}{
		{"tls URL and the CA", true, "tls", ca.certPEM, ""},
		{"nats URL and the CA", true, "nats", ca.certPEM, ""},
		{"tls block with a plain server", false, "nats", ca.certPEM, nats.ErrSecureConnWanted.Error()},
		{"another CA", true, "tls", other.certPEM, "certificate signed by unknown authority"},
		{"no tls block", true, "nats", nil, "certificate signed by unknown authority"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, pub := newAgentKey(t)
			cert := &ca.server
			if !tc.tls {
				cert = nil
			}
			ns := startServerWith(t, cert, agentUser("web-1", pub))
			url := tc.scheme + "://" + ns.Addr().String()
			block := ""
			if tc.caPEM != nil {
				if err := os.WriteFile(filepath.Join(dir, "ca.pem"), tc.caPEM, 0o644); err != nil {
					t.Fatal(err)
				}
				block = "tls: {ca_file: ca.pem}\n"
			}
			tr, logs := connectTransport(t, dir, url, block)
			if tc.wantLogs != "" {
				waitFor(t, "the refusal in the log", func() bool { return strings.Contains(logs.String(), tc.wantLogs) })
				if nc := tr.nc.Load(); nc != nil {
					t.Errorf("the agent connected to %s", nc.ConnectedUrlRedacted())
				}
				return
			}
			waitFor(t, "the connection", func() bool { nc := tr.nc.Load(); return nc != nil && nc.IsConnected() })
			if st, err := tr.nc.Load().TLSConnectionState(); err != nil || !st.HandshakeComplete {
				t.Errorf("the connection is not TLS: %+v, %v", st, err)
			}
			reply, err := tr.Request(t.Context(), "picket.agent.web-1.hello", []byte(`{"v":1}`))
			if err != nil || !strings.Contains(string(reply), `"ok":true`) {
				t.Errorf("hello over TLS: %s, %v", reply, err)
			}
		})
	}
}
