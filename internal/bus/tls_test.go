package bus

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/picket-monitor/picket/internal/testcert"
)

// testPKI is a certificate authority made for one test and a server
// certificate it signed for 127.0.0.1.
type testPKI struct {
	pool    *x509.CertPool
	server  *testcert.Cert
	otherCA *x509.CertPool // a pool without the test's CA
}

func newTestPKI(t *testing.T) testPKI {
	t.Helper()
	ca := testcert.NewCA(t)
	return testPKI{pool: ca.Pool(), server: ca.Issue(t, "127.0.0.1"), otherCA: testcert.NewCA(t).Pool()}
}

// serverTLS writes the PEM files and loads them with ServerTLS, as the
// app does.
func (p testPKI) serverTLS(t *testing.T) *tls.Config {
	t.Helper()
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	p.server.Write(t, cert, key)
	c, err := ServerTLS(cert, key)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dialTLS connects as agent k over TLS, trusting roots. It asks for
// session tickets, as some clients do.
func dialTLS(t *testing.T, url string, k agentKey, roots *x509.CertPool) (*nats.Conn, error) {
	t.Helper()
	tc := &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12, ClientSessionCache: tls.NewLRUClientSessionCache(4)}
	nc, err := nats.Connect(url,
		nats.Secure(tc),
		nats.Nkey(k.pub, k.kp.Sign),
		nats.CustomInboxPrefix(AgentInboxPrefix(k.id)),
		nats.NoReconnect(),
		nats.Timeout(5*time.Second),
	)
	if err != nil {
		return nil, err
	}
	t.Cleanup(nc.Close)
	return nc, nil
}

// dialPlain speaks the NATS protocol in the clear, as a client without
// TLS would: it reads the server's INFO, sends CONNECT and PING, and
// returns what the server sent until it closed the connection.
func dialPlain(t *testing.T, clientURL string) (info, rest string) {
	t.Helper()
	u, err := url.Parse(clientURL)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(waitFor))
	r := bufio.NewReader(conn)
	info, err = r.ReadString('\n')
	if err != nil {
		t.Fatalf("reading INFO: %v", err)
	}
	if _, err := io.WriteString(conn, "CONNECT {\"verbose\":false,\"pedantic\":false}\r\nPING\r\n"); err != nil {
		t.Fatalf("sending CONNECT: %v", err)
	}
	b, _ := io.ReadAll(r) // ends when the server closes, or at the deadline
	return info, string(b)
}

func TestTLSListener(t *testing.T) {
	pki := newTestPKI(t)
	a, unknown := newAgentKey(t, "web-1"), newAgentKey(t, "web-2")
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0", Agents: []AgentUser{a.user()}, TLS: pki.serverTLS(t)})
	url := b.ClientURL()

	tests := []struct {
		name  string
		key   agentKey
		roots *x509.CertPool
		check func(error) bool
		want  string
	}{
		{"the CA and a listed key", a, pki.pool, func(err error) bool { return err == nil }, "no error"},
		{"the CA and an unlisted key", unknown, pki.pool, func(err error) bool { return errors.Is(err, nats.ErrAuthorization) }, "authorization violation"},
		{"another CA", a, pki.otherCA, isUnknownAuthority, "certificate signed by unknown authority"},
		{"the system's roots", a, nil, isUnknownAuthority, "certificate signed by unknown authority"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			nc, err := dialTLS(t, url, tc.key, tc.roots)
			if !tc.check(err) {
				t.Fatalf("connect error = %v, want %s", err, tc.want)
			}
			if err != nil {
				return
			}
			st, err := nc.TLSConnectionState()
			if err != nil || st.Version < tls.VersionTLS12 {
				t.Errorf("TLS state = %+v, %v; want TLS 1.2 or later", st, err)
			}
			if err := nc.Publish(agentSubject(a.id, AgentHello), nil); err != nil {
				t.Fatal(err)
			}
			if err := nc.FlushTimeout(waitFor); err != nil {
				t.Errorf("an agent over TLS cannot use its connection: %v", err)
			}
		})
	}
	t.Run("plain", func(t *testing.T) { expectPlainRefused(t, url) })
	if err := b.Conn().FlushTimeout(waitFor); err != nil {
		t.Errorf("the bus's own in-process connection is broken with TLS on: %v", err)
	}
}

func isUnknownAuthority(err error) bool {
	var ua x509.UnknownAuthorityError
	return errors.As(err, &ua)
}

// expectPlainRefused checks that a client without TLS is told TLS is
// required and gets no further: no PONG, so no CONNECT was accepted.
func expectPlainRefused(t *testing.T, url string) {
	t.Helper()
	info, rest := dialPlain(t, url)
	if !strings.Contains(info, `"tls_required":true`) {
		t.Errorf("INFO does not require TLS: %s", info)
	}
	if strings.Contains(rest, "PONG") || strings.Contains(rest, "+OK") {
		t.Errorf("a plain client was let in; the server answered %q", rest)
	}
}

func TestTLSSurvivesSetAgents(t *testing.T) {
	pki := newTestPKI(t)
	a, other := newAgentKey(t, "web-1"), newAgentKey(t, "web-2")
	var logs syncBuffer
	b := startBus(t, t.TempDir(), Options{Listen: "127.0.0.1:0", Agents: []AgentUser{a.user()}, TLS: pki.serverTLS(t),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ca, err := dialTLS(t, b.ClientURL(), a, pki.pool)
	if err != nil {
		t.Fatal(err)
	}

	if err := b.SetAgents([]AgentUser{a.user(), other.user()}); err != nil {
		t.Fatalf("SetAgents: %v", err)
	}
	if _, err := dialTLS(t, b.ClientURL(), other, pki.pool); err != nil {
		t.Errorf("an agent added by SetAgents cannot connect over TLS: %v", err)
	}
	if err := ca.FlushTimeout(waitFor); err != nil {
		t.Errorf("a listed agent lost its TLS connection on reload: %v", err)
	}
	expectPlainRefused(t, b.ClientURL())
	if strings.Contains(logs.String(), "Reloaded: tls") {
		t.Errorf("SetAgents reloaded the TLS settings, which did not change:\n%s", logs.String())
	}
}

func TestServerTLS(t *testing.T) {
	pki, other := newTestPKI(t), newTestPKI(t)
	dir := t.TempDir()
	pki.server.Write(t, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
	other.server.Write(t, filepath.Join(dir, "other-cert.pem"), filepath.Join(dir, "other-key.pem"))
	tests := []struct {
		name, cert, key string
		wantErr         string
	}{
		{"a pair", "cert.pem", "key.pem", ""},
		{"no files", "", "", ""},
		{"a certificate without its key", "cert.pem", "", "no such file"},
		{"a key of another certificate", "cert.pem", "other-key.pem", "private key does not match public key"},
		{"a missing key", "cert.pem", "missing.pem", "no such file"},
		{"a key as certificate", "key.pem", "key.pem", "failed to find certificate PEM data"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := func(name string) string {
				if name == "" {
					return ""
				}
				return filepath.Join(dir, name)
			}
			c, err := ServerTLS(in(tc.cert), in(tc.key))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want one saying %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.cert == "" {
				if c != nil {
					t.Errorf("ServerTLS without files = %v, want nil", c)
				}
				return
			}
			if len(c.Certificates) != 1 || c.MinVersion < tls.VersionTLS12 {
				t.Errorf("config = %d certificates, min version %x; want 1 and TLS 1.2", len(c.Certificates), c.MinVersion)
			}
		})
	}
}
