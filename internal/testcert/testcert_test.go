package testcert

import (
	"crypto/tls"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	ca, other := NewCA(t), NewCA(t)
	day := 24 * time.Hour
	tests := []struct {
		name    string
		cert    *Cert
		roots   *x509.CertPool
		host    string
		wantErr string // "" when the certificate verifies
	}{
		{"an IP address", ca.Issue(t, "127.0.0.1", "svc.test"), ca.Pool(), "127.0.0.1", ""},
		{"a DNS name", ca.Issue(t, "127.0.0.1", "svc.test"), ca.Pool(), "svc.test", ""},
		{"a CA that serves", NewCA(t, "localhost"), nil, "localhost", ""},
		{"another name", ca.Issue(t, "127.0.0.1"), ca.Pool(), "127.0.0.2", "not 127.0.0.2"},
		{"another CA", ca.Issue(t, "127.0.0.1"), other.Pool(), "127.0.0.1", "unknown authority"},
		{"expired", ca.IssueBetween(t, time.Now().Add(-2*day), time.Now().Add(-day), "127.0.0.1"), ca.Pool(), "127.0.0.1", "expired"},
		{"not valid yet", ca.IssueBetween(t, time.Now().Add(day), time.Now().Add(2*day), "127.0.0.1"), ca.Pool(), "127.0.0.1", "not yet valid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.roots == nil {
				tc.roots = tc.cert.Pool()
			}
			_, err := tc.cert.Cert.Verify(x509.VerifyOptions{Roots: tc.roots, DNSName: tc.host})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Verify: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Verify error = %v, want one saying %q", err, tc.wantErr)
			}
		})
	}
}

func TestWrite(t *testing.T) {
	ca := NewCA(t)
	leaf := ca.Issue(t, "127.0.0.1")
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	leaf.Write(t, certFile, keyFile)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	if !pair.Leaf.Equal(leaf.TLS().Leaf) {
		t.Error("the written certificate is not the one issued")
	}
	caFile := filepath.Join(dir, "ca.pem")
	ca.Write(t, caFile, "")
	data, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(data) || !roots.Equal(ca.Pool()) {
		t.Errorf("%s does not hold the CA's certificate:\n%s", caFile, data)
	}
}
