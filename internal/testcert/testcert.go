// Package testcert makes throwaway certificate authorities and
// certificates for tests. Keys are ECDSA P-256; every failure ends the
// test.
package testcert

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"net"
	"os"
	"testing"
	"time"
)

// Cert is a certificate with its private key.
type Cert struct {
	Cert *x509.Certificate
	Key  *ecdsa.PrivateKey
}

// NewCA makes a self-signed certificate authority valid from an hour ago
// for a year, so that it outlives what it issues. Names (IP addresses or
// DNS names), if any, let it serve TLS for them too, for a server whose
// certificate doubles as the CA file its clients trust.
func NewCA(t testing.TB, names ...string) *Cert {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject:   pkix.Name{CommonName: "picket test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	addNames(tmpl, names)
	return create(t, tmpl, nil)
}

// Issue makes a server certificate for names (IP addresses or DNS
// names), signed by c and valid from an hour ago for a day.
func (c *Cert) Issue(t testing.TB, names ...string) *Cert {
	t.Helper()
	return c.IssueBetween(t, time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour), names...)
}

// IssueBetween is Issue for a certificate valid from notBefore to
// notAfter: one that has expired or is not valid yet, or one that
// expires soon.
func (c *Cert) IssueBetween(t testing.TB, notBefore, notAfter time.Time, names ...string) *Cert {
	t.Helper()
	tmpl := &x509.Certificate{
		Subject:   pkix.Name{CommonName: "picket test"},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	addNames(tmpl, names)
	return create(t, tmpl, c)
}

// addNames puts names in tmpl's subject alternative names, and the first
// in its common name.
func addNames(tmpl *x509.Certificate, names []string) {
	for i, n := range names {
		if i == 0 {
			tmpl.Subject.CommonName = n
		}
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
}

// create makes a key and a certificate from tmpl signed by parent, or
// self-signed when parent is nil. The serial number is random: x509
// picks one when tmpl has none.
func create(t testing.TB, tmpl *x509.Certificate, parent *Cert) *Cert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	issuer, signer := tmpl, key
	if parent != nil {
		issuer, signer = parent.Cert, parent.Key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, issuer, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &Cert{Cert: cert, Key: key}
}

// PEM returns the certificate in PEM: what a ca_file holds.
func (c *Cert) PEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Cert.Raw})
}

// Write writes the certificate in PEM to certFile and, unless keyFile is
// empty, the key in PKCS #8 PEM to keyFile. The directories must exist.
func (c *Cert) Write(t testing.TB, certFile, keyFile string) {
	t.Helper()
	if err := os.WriteFile(certFile, c.PEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	if keyFile == "" {
		return
	}
	der, err := x509.MarshalPKCS8PrivateKey(c.Key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TLS returns the certificate and key for a tls.Config.
func (c *Cert) TLS() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.Cert.Raw}, PrivateKey: c.Key, Leaf: c.Cert}
}

// Pool returns a pool that trusts c alone.
func (c *Cert) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(c.Cert)
	return p
}
