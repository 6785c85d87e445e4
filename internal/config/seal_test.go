package config

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/picket-monitor/picket/internal/notify/webhook"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/secret"
)

// loadFingerprint loads file and returns the fingerprint of its first check.
func loadFingerprint(t *testing.T, file string) string {
	t.Helper()
	c, err := Load(file)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c.Checks[0].Fingerprint
}

// TestFingerprintFollowsFiles rewrites the files a check names, step by
// step, without touching the config. Steps in the same group must have
// equal fingerprints, steps in different groups different ones.
func TestFingerprintFollowsFiles(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "picket.yaml")
	writeFile(t, file, `checks:
  - id: web
    type: http
    target: https://127.0.0.1:1/
    ca_file: ca.pem
    auth: {basic: {username: u, password_file: pw}}
`)
	pw, ca := filepath.Join(dir, "pw"), filepath.Join(dir, "ca.pem")
	writeCA(t, ca)
	steps := []struct {
		name  string
		write func()
		group int
	}{
		{"first", func() { writeFile(t, pw, "one\n") }, 0},
		{"unchanged", func() {}, 0},
		{"password rotated", func() { writeFile(t, pw, "two\n") }, 1},
		{"password rotated back", func() { writeFile(t, pw, "one\n") }, 0},
		{"CA replaced", func() { writeCA(t, ca) }, 2},
	}
	fps := make([]string, len(steps))
	for i, st := range steps {
		st.write()
		fps[i] = loadFingerprint(t, file)
		for j := range i {
			if want := steps[j].group == st.group; (fps[i] == fps[j]) != want {
				t.Errorf("%s: fingerprint equal to that at %s is %v, want %v", st.name, steps[j].name, !want, want)
			}
		}
	}
}

func TestFingerprintFollowsEnv(t *testing.T) {
	const src = "checks:\n  - {id: web, type: http, target: \"http://127.0.0.1:1/\", auth: {bearer: {token: \"${PICKET_TEST_FP_TOKEN}\"}}}\n"
	t.Setenv("PICKET_TEST_FP_TOKEN", "first")
	first := fingerprintOf(t, src, "web")
	t.Setenv("PICKET_TEST_FP_TOKEN", "second")
	if got := fingerprintOf(t, src, "web"); got == first {
		t.Errorf("fingerprint %s did not change with the variable", got)
	}
	t.Setenv("PICKET_TEST_FP_TOKEN", "first")
	if got := fingerprintOf(t, src, "web"); got != first {
		t.Errorf("fingerprint %s, want %s again for the same value", got, first)
	}
}

// TestFingerprintHidesSecret checks that neither the secret nor its
// unkeyed hash shows in the fingerprint.
func TestFingerprintHidesSecret(t *testing.T) {
	const value = "correct-horse-battery-staple"
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "token"), value)
	tests := []struct{ name, auth string }{
		{"inline", "{bearer: {token: " + value + "}}"},
		{"file", "{bearer: {token_file: token}}"},
	}
	sum := sha256.Sum256([]byte(value))
	unkeyed := hex.EncodeToString(sum[:])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, tt.name+".yaml")
			writeFile(t, file, "checks:\n  - {id: web, type: http, target: \"http://127.0.0.1:1/\", auth: "+tt.auth+"}\n")
			fp := loadFingerprint(t, file)
			if strings.Contains(fp, value) || strings.Contains(unkeyed, fp) || strings.Contains(fp, unkeyed[:16]) {
				t.Errorf("fingerprint %s shows the secret or its hash %s", fp, unkeyed)
			}
		})
	}
}

// TestSealNoneByDefault checks that no probe type's default settings name
// a file or hold a secret, so checks that set none keep fingerprints that
// do not depend on the process.
func TestSealNoneByDefault(t *testing.T) {
	for _, name := range probe.Names() {
		typ, _ := probe.Lookup(name)
		if got := seal(typ.New()); got != nil {
			t.Errorf("%s: seal of default settings = %x, want nil", name, got)
		}
	}
}

// TestSealMapSecrets checks that secrets held in a map are sealed, in an
// order that does not depend on map iteration.
func TestSealMapSecrets(t *testing.T) {
	headers := func(last string) *webhook.Settings {
		s := webhook.NewSettings()
		s.Headers = make(map[string]secret.Secret)
		for i := range 20 {
			s.Headers["X-H"+strconv.Itoa(i)] = secret.Secret("v" + strconv.Itoa(i))
		}
		s.Headers["X-Last"] = secret.Secret(last)
		return s
	}
	first := seal(headers("one"))
	if first == nil {
		t.Fatal("seal of header secrets is nil")
	}
	for i := range 10 {
		if got := seal(headers("one")); !bytes.Equal(got, first) {
			t.Fatalf("seal %d = %x, want %x for the same headers", i, got, first)
		}
	}
	if got := seal(headers("two")); bytes.Equal(got, first) {
		t.Error("seal did not change with a header's value")
	}
}
