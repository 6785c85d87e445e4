package secret

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("hunter2")
	js, _ := json.Marshal(struct{ P Secret }{s})
	ym, _ := yaml.Marshal(struct{ P Secret }{s})
	for name, out := range map[string]string{
		"%v": fmt.Sprintf("%v", s), "%s": fmt.Sprintf("%s", s), "%#v": fmt.Sprintf("%#v", s),
		"%+v struct": fmt.Sprintf("%+v", struct{ P Secret }{s}),
		"json":       string(js), "yaml": string(ym),
	} {
		if strings.Contains(out, "hunter2") {
			t.Errorf("%s printed the secret: %s", name, out)
		}
	}
	if s.Reveal() != "hunter2" {
		t.Errorf("Reveal = %q", s.Reveal())
	}
}

func TestUnmarshalYAML(t *testing.T) {
	t.Setenv("PICKET_TEST_TOKEN", "from-env")
	tests := []struct {
		name, doc, want, err string
	}{
		{"literal", "p: plain", "plain", ""},
		{"env", "p: ${PICKET_TEST_TOKEN}", "from-env", ""},
		{"unset env", "p: ${PICKET_TEST_UNSET_VAR}", "", "PICKET_TEST_UNSET_VAR is not set"},
		{"not a whole reference", "p: x${PICKET_TEST_TOKEN}", "x${PICKET_TEST_TOKEN}", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct{ P Secret }
			err := yaml.Unmarshal([]byte(tt.doc), &v)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || v.P.Reveal() != tt.want {
				t.Fatalf("got %q, %v; want %q", v.P.Reveal(), err, tt.want)
			}
		})
	}
}

func TestPick(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "token")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := Pick("token", "", file); err != nil || s.Reveal() != "from-file" {
		t.Errorf("Pick(file) = %q, %v", s.Reveal(), err)
	}
	if _, err := Pick("token", "x", file); err == nil || !strings.Contains(err.Error(), "token and token_file") {
		t.Errorf("Pick(both) err = %v", err)
	}
	_, err := Pick("token", "", filepath.Join(dir, "missing"))
	if err == nil || !strings.HasPrefix(err.Error(), "token_file: ") {
		t.Errorf("Pick(missing) err = %v", err)
	}
}

func TestRedactURL(t *testing.T) {
	tests := map[string]string{
		"https://user:pw@example.org/x": "https://user:xxxxx@example.org/x",
		"https://user@example.org/x":    "https://user@example.org/x",
		"https://example.org/x":         "https://example.org/x",
		"127.0.0.1:80":                  "127.0.0.1:80",
		"odd@thing":                     "odd@thing",
	}
	for in, want := range tests {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
