package main

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
)

var publicKey = regexp.MustCompile(`U[A-Z2-7]{55}`)

// enroll runs picket agent enroll and returns the seed file and the
// public key it printed.
func enroll(bin, dir, id string) (seed, pub string, err error) {
	seed = filepath.Join(dir, id+".seed")
	out, err := exec.Command(bin, "agent", "enroll", "--key", seed).CombinedOutput()
	if err != nil {
		return "", "", fmt.Errorf("enrolling %s: %w: %s", id, err, out)
	}
	if pub = publicKey.FindString(string(out)); pub == "" {
		return "", "", fmt.Errorf("enrolling %s: no public key in %q", id, out)
	}
	return seed, pub, nil
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}
