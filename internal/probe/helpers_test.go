package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/testcert"
)

// testTimeout bounds every probe run in these tests; failure cases that
// wait for a deadline use it too.
const testTimeout = 2 * time.Second

// proberFor decodes settingsYAML strictly into fresh settings of the named
// type, as config does, and builds the prober for target.
func proberFor(t *testing.T, typ, settingsYAML, target string) (Prober, error) {
	t.Helper()
	pt, ok := Lookup(typ)
	if !ok {
		t.Fatalf("probe type %q is not registered", typ)
	}
	s := pt.New()
	if strings.TrimSpace(settingsYAML) != "" {
		dec := yaml.NewDecoder(strings.NewReader(settingsYAML))
		dec.KnownFields(true)
		if err := dec.Decode(s); err != nil {
			t.Fatalf("decoding %q: %v", settingsYAML, err)
		}
	}
	return s.Prober(target)
}

// mustProber is proberFor that fails the test on a settings error.
func mustProber(t *testing.T, typ, settingsYAML, target string) Prober {
	t.Helper()
	p, err := proberFor(t, typ, settingsYAML, target)
	if err != nil {
		t.Fatalf("Prober(%q) with %q: %v", target, settingsYAML, err)
	}
	return p
}

// runProbe runs p once through the harness with testTimeout.
func runProbe(t *testing.T, p Prober) Result {
	t.Helper()
	return Run(context.Background(), p, Limits{Timeout: testTimeout}, time.Now)
}

// checkResult compares the outcome and that the reason contains want.
func checkResult(t *testing.T, res Result, status Status, reason string) {
	t.Helper()
	if res.Status != status || !strings.Contains(res.Reason, reason) {
		t.Errorf("got %s %q, want %s with reason containing %q", res.Status, res.Reason, status, reason)
	}
}

// metric returns the named metric of a result.
func metric(res Result, name string) (float64, bool) {
	for _, m := range res.Metrics {
		if m.Name == name {
			return m.Value, true
		}
	}
	return 0, false
}

// refusedAddr returns a loopback address where nothing listens.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// silentAddr returns a loopback address that accepts connections and never
// sends a byte; connections are closed when the test ends.
func silentAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	conns := make(chan net.Conn, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(conns) > 0 {
			(<-conns).Close()
		}
	})
	return ln.Addr().String()
}

// testCA is a certificate authority made for one test.
type testCA struct {
	*testcert.Cert
	file string // PEM of the CA certificate
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	ca := &testCA{Cert: testcert.NewCA(t), file: filepath.Join(t.TempDir(), "ca.pem")}
	ca.Write(t, ca.file, "")
	return ca
}

// issue makes a server certificate for the names (IP addresses or DNS
// names) valid from notBefore to notAfter.
func (ca *testCA) issue(t *testing.T, notBefore, notAfter time.Time, names ...string) tls.Certificate {
	t.Helper()
	return ca.IssueBetween(t, notBefore, notAfter, names...).TLS()
}

// validFor issues a certificate for names that expires in d.
func (ca *testCA) validFor(t *testing.T, d time.Duration, names ...string) tls.Certificate {
	t.Helper()
	return ca.issue(t, time.Now().Add(-time.Hour), time.Now().Add(d), names...)
}

// tlsAddr serves TLS with cert on loopback, answering each connection with
// greeting (if any) and closing it after a short read.
func tlsAddr(t *testing.T, cert tls.Certificate, greeting string) string {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(testTimeout))
				if err := c.(*tls.Conn).Handshake(); err != nil {
					return
				}
				_, _ = c.Write([]byte(greeting))
				_, _ = c.Read(make([]byte, 1))
			}()
		}
	}()
	return ln.Addr().String()
}

// checkSettingsError checks that err is a *fielderr.Error for field, or, when
// field is empty, an error about the target that names no field.
func checkSettingsError(t *testing.T, err error, field string) {
	t.Helper()
	var fe *fielderr.Error
	switch {
	case err == nil:
		t.Errorf("no error, want one for %q", field)
	case field == "" && errors.As(err, &fe):
		t.Errorf("got field error %v, want a target error", err)
	case field != "" && !errors.As(err, &fe):
		t.Errorf("got %v, want a field error for %q", err, field)
	case field != "" && fe.Field != field:
		t.Errorf("got field %q (%v), want %q", fe.Field, err, field)
	}
}
