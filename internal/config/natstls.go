package config

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"gopkg.in/yaml.v3"
)

// NATSTLS is the certificate the embedded NATS listener presents to
// agents. With it set, the listener accepts TLS clients only; without it,
// agents connect in the clear. Both files are set, or neither.
type NATSTLS struct {
	// CertFile is the PEM certificate chain, the server's own first.
	// After Load or Parse it is resolved against the config file's
	// directory, like every *_file setting.
	CertFile string `yaml:"cert_file"`
	// KeyFile is the PEM private key of the certificate, resolved like
	// CertFile.
	KeyFile string `yaml:"key_file"`
}

// Enabled reports whether the listener uses TLS.
func (t NATSTLS) Enabled() bool { return t.CertFile != "" }

// natsTLS validates server.nats_tls once the server section is decoded:
// both files are required, each must be readable, the certificate must
// parse and the key must belong to it. Paths are resolved against the
// config file's directory. The files are read again when the server
// starts; this only makes a bad pair fail at load, at its line.
func (d *decoder) natsTLS(server *yaml.Node, t *NATSTLS) {
	_, n := lookup(resolve(server), "nats_tls")
	if isNull(n) || resolve(n).Kind != yaml.MappingNode {
		return // absent, or not a mapping (already reported)
	}
	src := source{node: resolve(n), path: "server.nats_tls"}
	d.requireKeys(src, "cert_file", "key_file")
	t.CertFile, t.KeyFile = d.filePath(t.CertFile), d.filePath(t.KeyFile)
	certPEM := d.readTLSFile(src, "cert_file", t.CertFile)
	keyPEM := d.readTLSFile(src, "key_file", t.KeyFile)
	if certPEM == nil {
		return
	}
	if err := checkCertPEM(certPEM); err != nil {
		d.add(valueAt(src.node, "cert_file"), src.path+".cert_file", "%v", err)
		return
	}
	if keyPEM == nil {
		return
	}
	if _, err := tls.X509KeyPair(certPEM, keyPEM); err != nil {
		d.add(valueAt(src.node, "key_file"), src.path+".key_file", "not the key of cert_file: %v", err)
	}
}

// filePath resolves a *_file path the way resolveFiles does.
func (d *decoder) filePath(p string) string {
	if d.dir == "." {
		return p
	}
	return resolvePath(d.dir, p)
}

// readTLSFile reads the file of key, reporting a key that is present but
// empty or a file that cannot be read. It returns nil on any problem and
// when the key is absent (requireKeys reports that).
func (d *decoder) readTLSFile(src source, key, path string) []byte {
	_, v := lookup(src.node, key)
	if isNull(v) || resolve(v).Kind != yaml.ScalarNode {
		return nil // absent, or not text: reported elsewhere
	}
	field := src.path + "." + key
	if path == "" {
		d.add(v, field, "must not be empty")
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			err = pe.Err // the path is the value at this line already
		}
		d.add(v, field, "reading %q: %v", resolve(v).Value, err)
		return nil
	}
	return data
}

// checkCertPEM reports PEM data whose first certificate is missing or
// does not parse.
func checkCertPEM(data []byte) error {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return errors.New("holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
		}
		if b.Type == "CERTIFICATE" {
			if _, err := x509.ParseCertificate(b.Bytes); err != nil {
				return fmt.Errorf("parsing the certificate: %w", err)
			}
			return nil
		}
	}
}
