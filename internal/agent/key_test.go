package agent

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nkeys"
)

func TestGenerateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "agent.seed")
	pub, err := GenerateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !nkeys.IsValidPublicUserKey(pub) {
		t.Errorf("public key %q is not an NKey user key", pub)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Errorf("seed file mode %04o, want 0600", perm)
	}
	kp, err := loadKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := kp.PublicKey(); got != pub {
		t.Errorf("the seed's public key is %q, GenerateKey said %q", got, pub)
	}
	before, _ := os.ReadFile(path)
	if _, err := GenerateKey(path); err == nil {
		t.Error("GenerateKey overwrote an existing seed")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the existing seed changed")
	}
}

func TestLoadKeyRefuses(t *testing.T) {
	user, _ := nkeys.CreateUser()
	userSeed, _ := user.Seed()
	account, _ := nkeys.CreateAccount()
	accountSeed, _ := account.Seed()
	for _, tc := range []struct {
		name    string
		content []byte
		mode    os.FileMode
		want    string
	}{
		{"world-readable", userSeed, 0o644, "readable by group or others (mode 0644)"},
		{"group-readable", userSeed, 0o640, "readable by group or others (mode 0640)"},
		{"not a seed", []byte("hello\n"), 0o600, "not an NKey seed"},
		{"account seed", accountSeed, 0o600, "not an NKey user seed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "agent.seed")
			if err := os.WriteFile(path, tc.content, tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil {
				t.Fatal(err)
			}
			_, err := loadKey(path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("loadKey: %v, want an error with %q", err, tc.want)
			}
		})
	}
}
