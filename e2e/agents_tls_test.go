package e2e

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// writePKI writes, under dir, a CA's certificate (ca.pem), a server
// certificate it signed for 127.0.0.1 with its key (cert.pem, key.pem),
// and the certificate of a CA that signed nothing (other-ca.pem).
func writePKI(t *testing.T, dir string) {
	t.Helper()
	caKey, ca := newCert(t, nil, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "picket e2e CA"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign})
	key, cert := newCert(t, caKey, ca, &x509.Certificate{Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}})
	_, other := newCert(t, nil, nil, &x509.Certificate{Subject: pkix.Name{CommonName: "other CA"},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign})
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]*pem.Block{
		"ca.pem":       {Type: "CERTIFICATE", Bytes: ca.Raw},
		"cert.pem":     {Type: "CERTIFICATE", Bytes: cert.Raw},
		"key.pem":      {Type: "PRIVATE KEY", Bytes: keyDER},
		"other-ca.pem": {Type: "CERTIFICATE", Bytes: other.Raw},
	} {
		if err := os.WriteFile(filepath.Join(dir, name), pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// newCert makes an ECDSA key and a certificate from tmpl, signed by
// parent, or self-signed when parent is nil.
func newCert(t *testing.T, parentKey *ecdsa.PrivateKey, parent, tmpl *x509.Certificate) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano())
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	tmpl.KeyUsage |= x509.KeyUsageDigitalSignature
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}

// startTLSAgent runs picket agent with id against url (tls://host:port),
// trusting the CA in caFile, and returns its log. startAgent is the same
// without TLS.
func startTLSAgent(t *testing.T, dir, id, seed, url, caFile string) *logBuffer {
	t.Helper()
	cfg := filepath.Join(dir, id+".yaml")
	writeConfig(t, cfg, fmt.Sprintf("id: %s\nservers: [%q]\nkey_file: %s\nspool_dir: %s\ntls: {ca_file: %s}\n",
		id, url, seed, filepath.Join(dir, id+"-spool"), caFile))
	cmd := exec.Command(agentBinary(t), "agent", "--config", cfg, "--log-level", "debug")
	logs := &logBuffer{}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go logs.scan(stderr, make(chan string, 1))
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return logs
}

// TestAgentsTLS serves NATS with server.nats_tls. An agent with a tls://
// URL and the CA reports its metrics; an agent without the CA (a plain
// nats:// URL and no tls block) and one that trusts another CA are
// refused with a TLS error, and their hosts never report: their host
// checks go down.
func TestAgentsTLS(t *testing.T) {
	dir := t.TempDir()
	writePKI(t, dir)
	seeds, pubs := map[string]string{}, map[string]string{}
	for _, id := range []string{"secure", "plain", "wrong-ca"} {
		seeds[id], pubs[id] = enroll(t, dir, id)
	}
	cfg := filepath.Join(dir, "picket.yaml")
	writeConfig(t, cfg, fmt.Sprintf(`
server:
  nats_tls: {cert_file: cert.pem, key_file: key.pem}
agents:
  grace: 3s
  interval: 1s
  hosts:
    - {id: secure, public_key: %s}
    - {id: plain, public_key: %s}
    - {id: wrong-ca, public_key: %s}
`, pubs["secure"], pubs["plain"], pubs["wrong-ca"]))
	nats := freeAddr(t)
	s := startServer(t, cfg, filepath.Join(dir, "data"), "--nats-listen", nats)
	if !s.logs.contains("nats=tls://" + nats) {
		t.Errorf("the server does not say it listens with TLS:\n%s", s.logs)
	}
	startTLSAgent(t, dir, "secure", seeds["secure"], "tls://"+nats, filepath.Join(dir, "ca.pem"))
	_, plain := startAgent(t, dir, "plain", seeds["plain"], nats)
	wrong := startTLSAgent(t, dir, "wrong-ca", seeds["wrong-ca"], "tls://"+nats, filepath.Join(dir, "other-ca.pem"))

	waitFor(t, 30*time.Second, "secure's metrics in PromQL", func() (bool, string) {
		v, err := s.promQuery(`count(picket_host_memory_bytes{host="secure"})`)
		return err == nil && len(v) > 0, fmt.Sprint(v, err)
	})
	s.waitStatus("host-secure", "up")
	for id, logs := range map[string]*logBuffer{"plain": plain, "wrong-ca": wrong} {
		waitFor(t, 30*time.Second, id+"'s TLS error in its log", func() (bool, string) {
			return logs.contains("certificate signed by unknown authority"), logs.String()
		})
		s.waitStatus("host-"+id, "down")
		var h struct {
			Connected bool
			HelloAt   *time.Time `json:"hello_at"`
			LastSeen  *time.Time `json:"last_seen"`
		}
		if err := s.getJSON("/api/v1/hosts/"+id, &h); err != nil || h.Connected || h.HelloAt != nil || h.LastSeen != nil {
			t.Errorf("host %s = %+v, %v; want never seen", id, h, err)
		}
		v, err := s.promQuery(fmt.Sprintf(`count(picket_host_memory_bytes{host=%q})`, id))
		if err != nil || len(v) != 0 {
			t.Errorf("host %s has metrics: %v, %v", id, v, err)
		}
		if logs.contains(`msg="connected to the server"`) {
			t.Errorf("agent %s connected:\n%s", id, logs)
		}
	}
}
