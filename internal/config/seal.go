package config

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"os"
	"reflect"
	"strings"
	"sync"

	"github.com/picket-monitor/picket/internal/secret"
)

// sealKey keys the HMAC that mixes files and secrets into fingerprints. It
// is config's one package-level value, made once per process and never
// changed. It has to outlive a single Load, since fingerprints are compared
// between loads, and needs to live no longer than the process, since they
// are never compared across processes. A fingerprint is not treated as a
// secret, so without the key it must tell nothing about one.
var sealKey = sync.OnceValue(func() []byte {
	k := make([]byte, 32)
	rand.Read(k) // never fails: it crashes the process rather than return an error
	return k
})

// seal returns an HMAC-SHA256, under sealKey, of the content of every file
// a *_file field of settings s (probe or channel settings) names and of
// every non-empty secret it holds, each with its field path, or nil when
// there are none. A file that cannot be read counts as such; Prober (or
// Notifier) reports it. Equal files and secrets
// give equal seals within one process, so a check whose secret was rotated
// gets a new fingerprint and is rebuilt on reload. Call it after
// resolveFiles, and before the prober reads the files: a file replaced in
// between then changes the fingerprint at the next reload instead of
// leaving a stale prober in place.
func seal(s any) []byte {
	if s == nil || reflect.ValueOf(s).IsNil() {
		return nil
	}
	mac := hmac.New(sha256.New, sealKey())
	used := false
	walkSensitive(reflect.ValueOf(s).Elem(), "", "", func(file bool, path string, v reflect.Value) {
		switch {
		case file && strings.TrimSpace(v.String()) != "":
			name := strings.TrimSpace(v.String())
			b, err := os.ReadFile(name)
			if err != nil {
				frame(mac, "unreadable file", path, name)
			} else {
				frame(mac, "file", path, name, string(b))
			}
		case !file && v.String() != "":
			frame(mac, "secret", path, v.Interface().(secret.Secret).Reveal())
		default:
			return
		}
		used = true
	})
	if !used {
		return nil
	}
	return mac.Sum(nil)
}

// frame writes parts to h, each after its length, so that no two lists of
// parts write the same bytes.
func frame(h hash.Hash, parts ...string) {
	for _, p := range parts {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
		h.Write([]byte(p))
	}
}
