package notifytest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/picket-monitor/picket/internal/notify"
)

// Decode decodes doc into v strictly (unknown fields are errors), as
// config decodes a channel's settings, and fails the test on an error.
func Decode(t *testing.T, doc string, v any) {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(doc))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decoding %q: %v", doc, err)
	}
}

// CheckDecoded decodes doc strictly into got, as config does, and fails
// the test where the result differs from want.
func CheckDecoded[S any](t *testing.T, doc string, got, want *S) {
	t.Helper()
	Decode(t, doc, got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("decoded (-want +got):\n%s", d)
	}
}

// FromYAML decodes doc strictly into the settings newSettings returns, as
// config does, and returns what build (a channel's New) makes of them,
// failing the test on an error.
func FromYAML[S, N any](t *testing.T, newSettings func() *S, build func(S) (N, error), doc string) N {
	t.Helper()
	n, err := fromYAML(t, newSettings, build, doc)
	if err != nil {
		t.Fatalf("New(%q): %v", doc, err)
	}
	return n
}

func fromYAML[S, N any](t *testing.T, newSettings func() *S, build func(S) (N, error), doc string) (N, error) {
	t.Helper()
	s := newSettings()
	Decode(t, doc, s)
	return build(*s)
}

// Build changes s by each of edits (skipping nil ones) and returns what
// build (a channel's New) makes of it, failing the test on an error.
func Build[S, N any](t *testing.T, build func(S) (N, error), s *S, edits ...func(*S)) N {
	t.Helper()
	for _, edit := range edits {
		if edit != nil {
			edit(s)
		}
	}
	n, err := build(*s)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// CheckValid fails the test when s does not make a notifier.
func CheckValid(t *testing.T, s notify.Settings) {
	t.Helper()
	if _, err := s.Notifier(); err != nil {
		t.Fatalf("Notifier: %v", err)
	}
}

// File writes text and a newline to a new file, removed when the test
// ends, and returns its path: a secret's *_file.
func File(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(text+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Missing returns the path of a file that does not exist.
func Missing(t *testing.T) string {
	return filepath.Join(t.TempDir(), "nope")
}
