package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/picket-monitor/picket/internal/notify/channel"
)

const channelBase = `
channels:
  - id: hook
    type: webhook
    url: http://127.0.0.1:9000/hook
    # a comment
    headers: {Authorization: "${PICKET_TEST_HOOK_AUTH}", X-Team: payments}
  - {id: other, type: webhook, url: "http://127.0.0.1:9001/"}
`

// channelFingerprint parses src and returns the fingerprint of channel id.
func channelFingerprint(t *testing.T, src, id string) string {
	t.Helper()
	c, err := Parse("picket.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse:\n%v", err)
	}
	ch, ok := c.Channel(id)
	if !ok {
		t.Fatalf("no channel %q", id)
	}
	return ch.Fingerprint
}

func TestChannelFingerprint(t *testing.T) {
	t.Setenv("PICKET_TEST_HOOK_AUTH", "Bearer one")
	base := channelFingerprint(t, channelBase, "hook")
	tests := []struct {
		name, old, new string
		changed        bool
	}{
		{"same text", "", "", false},
		{"comment changed", "# a comment", "# another comment", false},
		{"header keys reordered", `{Authorization: "${PICKET_TEST_HOOK_AUTH}", X-Team: payments}`,
			`{X-Team: payments, Authorization: "${PICKET_TEST_HOOK_AUTH}"}`, false},
		{"quoting style", "url: http://127.0.0.1:9000/hook", `url: "http://127.0.0.1:9000/hook"`, false},
		{"other channel changed", "9001", "9002", false},
		{"url", "9000/hook", "9000/hook2", true},
		{"header value", "X-Team: payments", "X-Team: billing", true},
		{"setting added", "    # a comment\n", "    method: PUT\n", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(channelBase, tt.old, tt.new, 1)
			if src == channelBase && tt.old != "" {
				t.Fatalf("%q is not in the base config", tt.old)
			}
			if got := channelFingerprint(t, src, "hook"); (got != base) != tt.changed {
				t.Errorf("fingerprint %s, was %s; want changed %v", got, base, tt.changed)
			}
		})
	}
}

// TestChannelFingerprintFollowsSecrets checks that the seal reaches a
// secret held in a map (webhook headers) and a secret file.
func TestChannelFingerprintFollowsSecrets(t *testing.T) {
	t.Setenv("PICKET_TEST_HOOK_AUTH", "Bearer one")
	first := channelFingerprint(t, channelBase, "hook")
	t.Setenv("PICKET_TEST_HOOK_AUTH", "Bearer two")
	if got := channelFingerprint(t, channelBase, "hook"); got == first {
		t.Errorf("fingerprint %s did not change with a header secret", got)
	}

	dir := t.TempDir()
	file, token := filepath.Join(dir, "picket.yaml"), filepath.Join(dir, "secrets", "tg")
	writeFile(t, file, "channels:\n  - {id: tg, type: telegram, bot_token_file: secrets/tg, chat_id: \"1\"}\n")
	fps := make([]string, 0, 3)
	for _, tok := range []string{"1:one", "1:two", "1:one"} {
		writeFile(t, token, tok+"\n")
		c, err := Load(file)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		fps = append(fps, c.Channels[0].Fingerprint)
	}
	if fps[0] == fps[1] || fps[0] != fps[2] {
		t.Errorf("fingerprints %v: want the rotated token to change it and the old one to restore it", fps)
	}
}

// TestChannelDefaults checks that no channel type's default settings name
// a file or hold a secret, and that none has a setting named like a
// common channel field, which could never be set.
func TestChannelDefaults(t *testing.T) {
	common := make(map[string]bool)
	for _, f := range structFields(reflect.TypeFor[Channel]()) {
		common[f.name] = true
	}
	for _, name := range channel.Names() {
		t.Run(name, func(t *testing.T) {
			typ, _ := channel.Lookup(name)
			if got := seal(typ.New()); got != nil {
				t.Errorf("seal of default settings = %x, want nil", got)
			}
			for _, f := range structFields(reflect.TypeOf(typ.New()).Elem()) {
				if common[f.name] {
					t.Errorf("setting %q is also a common channel field", f.name)
				}
			}
		})
	}
}
