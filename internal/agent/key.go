package agent

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/nats-io/nkeys"
)

// GenerateKey makes a new NKey user pair for an agent, writes its seed to
// seedPath (mode 0600; an existing file is never overwritten) and returns
// the public key, which goes into the server's config next to the agent's
// id.
func GenerateKey(seedPath string) (publicKey string, err error) {
	kp, err := nkeys.CreateUser()
	if err != nil {
		return "", fmt.Errorf("generating agent key: %w", err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return "", fmt.Errorf("generating agent key: %w", err)
	}
	defer wipe(seed)
	pub, err := kp.PublicKey()
	if err != nil {
		return "", fmt.Errorf("generating agent key: %w", err)
	}
	f, err := os.OpenFile(seedPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", fmt.Errorf("writing agent key: %w", err)
	}
	_, err = f.Write(seed)
	if err == nil {
		_, err = f.WriteString("\n")
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(seedPath)
		return "", fmt.Errorf("writing agent key %s: %w", seedPath, err)
	}
	return pub, nil
}

// loadKey reads the agent's seed from path, refusing a file others may
// read, and returns its key pair.
func loadKey(path string) (nkeys.KeyPair, error) {
	if err := checkKeyFile(path); err != nil {
		return nil, fmt.Errorf("agent key: %w", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading agent key: %w", err)
	}
	defer wipe(data)
	kp, err := nkeys.FromSeed(bytes.TrimSpace(data))
	if err != nil {
		return nil, fmt.Errorf("agent key %s: not an NKey seed: %w", path, err)
	}
	pub, err := kp.PublicKey()
	if err != nil || !nkeys.IsValidPublicUserKey(pub) {
		return nil, errors.New("agent key " + path + ": not an NKey user seed (it should start with SU)")
	}
	return kp, nil
}

func wipe(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
