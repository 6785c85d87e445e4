package e2e

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/testcert"
)

// writePKI writes, under dir, a CA's certificate (ca.pem), a server
// certificate it signed for 127.0.0.1 with its key (cert.pem, key.pem),
// and the certificate of a CA that signed nothing (other-ca.pem).
func writePKI(t *testing.T, dir string) {
	t.Helper()
	ca := testcert.NewCA(t)
	ca.Write(t, filepath.Join(dir, "ca.pem"), "")
	ca.Issue(t, "127.0.0.1").Write(t, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
	testcert.NewCA(t).Write(t, filepath.Join(dir, "other-ca.pem"), "")
}

// trusting is the tls block of an agent's config that trusts the CA in
// caFile.
func trusting(caFile string) string { return fmt.Sprintf("tls: {ca_file: %s}\n", caFile) }

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
	startAgentWith(t, dir, "secure", seeds["secure"], "tls://"+nats, trusting(filepath.Join(dir, "ca.pem")))
	_, plain := startAgent(t, dir, "plain", seeds["plain"], nats)
	_, wrong := startAgentWith(t, dir, "wrong-ca", seeds["wrong-ca"], "tls://"+nats, trusting(filepath.Join(dir, "other-ca.pem")))

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
