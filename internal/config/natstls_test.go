package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/testcert"
)

// writeKeyPair writes a self-signed certificate and its key as cert.pem
// and key.pem under dir.
func writeKeyPair(t *testing.T, dir string) {
	t.Helper()
	testcert.NewCA(t).Write(t, filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem"))
}

func TestNATSTLS(t *testing.T) {
	dir := t.TempDir()
	writeKeyPair(t, dir)
	if err := os.Mkdir(filepath.Join(dir, "tls"), 0o700); err != nil {
		t.Fatal(err)
	}
	writeKeyPair(t, filepath.Join(dir, "tls"))
	abs := filepath.Join(dir, "abs")
	if err := os.Mkdir(abs, 0o700); err != nil {
		t.Fatal(err)
	}
	writeKeyPair(t, abs)

	tests := []struct {
		name, yaml string
		want       NATSTLS
	}{
		{"absent", "server: {listen: 127.0.0.1:7070}\n", NATSTLS{}},
		{"null", "server:\n  nats_tls:\n", NATSTLS{}},
		{"relative", "server:\n  nats_tls: {cert_file: tls/cert.pem, key_file: tls/key.pem}\n",
			NATSTLS{CertFile: filepath.Join(dir, "tls/cert.pem"), KeyFile: filepath.Join(dir, "tls/key.pem")}},
		{"absolute", "server:\n  nats_tls:\n    cert_file: " + abs + "/cert.pem\n    key_file: " + abs + "/key.pem\n",
			NATSTLS{CertFile: abs + "/cert.pem", KeyFile: abs + "/key.pem"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "picket.yaml")
			if err := os.WriteFile(path, []byte(tc.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			c, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, c.Server.NATSTLS); diff != "" {
				t.Errorf("NATSTLS (-want +got):\n%s", diff)
			}
			if got, want := c.Server.NATSTLS.Enabled(), tc.want.CertFile != ""; got != want {
				t.Errorf("Enabled() = %v, want %v", got, want)
			}
		})
	}
}

// TestNATSTLSChangeIsAServerChange makes sure that Server stays comparable
// and that nats_tls is part of it: the app compares the old and the new
// Server on reload and logs that server settings take effect at the next
// start.
func TestNATSTLSChangeIsAServerChange(t *testing.T) {
	dir := t.TempDir()
	writeKeyPair(t, dir)
	parse := func(yaml string) Server {
		t.Helper()
		c, err := Parse(filepath.Join(dir, "picket.yaml"), []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		return c.Server
	}
	plain := parse("")
	withTLS := parse("server:\n  nats_tls: {cert_file: cert.pem, key_file: key.pem}\n")
	again := parse("server:\n  nats_tls:\n    key_file: key.pem\n    cert_file: cert.pem\n")
	if plain == withTLS {
		t.Error("adding nats_tls leaves Server equal")
	}
	if withTLS != again {
		t.Error("the same nats_tls, written differently, makes Server differ")
	}
}
