package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/picket-monitor/picket/internal/probe"
	"github.com/picket-monitor/picket/internal/secret"
	"github.com/picket-monitor/picket/internal/testcert"
	"gopkg.in/yaml.v3"
)

// writeFile writes content to path, making its directory.
func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeCA writes a new self-signed certificate as PEM to path.
func writeCA(t *testing.T, path string) {
	t.Helper()
	writeFile(t, path, string(testcert.NewCA(t).PEM()))
}

func httpSettings(s probe.Settings) *probe.HTTPSettings { return s.(*probe.HTTPSettings) }

// TestLoadResolvesFiles loads configs from a temp dir, which is not the
// working directory, so a relative *_file path is found only when it is
// resolved against the config file's directory.
func TestLoadResolvesFiles(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "conf")
	writeFile(t, filepath.Join(conf, "secrets", "pw"), "hunter2\n")
	writeCA(t, filepath.Join(conf, "ca.pem"))
	writeCA(t, filepath.Join(dir, "up.pem"))
	abs := filepath.Join(t.TempDir(), "abs.pem")
	writeCA(t, abs)
	const http = `{id: c, type: http, target: "http://127.0.0.1:1/", `
	tests := []struct {
		name, check string
		field       func(probe.Settings) string
		want        string
	}{
		{"password_file", http + `auth: {basic: {username: u, password_file: secrets/pw}}}`,
			func(s probe.Settings) string { return httpSettings(s).Auth.Basic.PasswordFile }, filepath.Join(conf, "secrets", "pw")},
		{"token_file with spaces and dot", http + `auth: {bearer: {token_file: " ./secrets/pw "}}}`,
			func(s probe.Settings) string { return httpSettings(s).Auth.Bearer.TokenFile }, filepath.Join(conf, "secrets", "pw")},
		{"http ca_file", http + `ca_file: ca.pem}`,
			func(s probe.Settings) string { return httpSettings(s).CAFile }, filepath.Join(conf, "ca.pem")},
		{"tcp ca_file one directory up", `{id: c, type: tcp, target: "127.0.0.1:1", tls: true, ca_file: ../up.pem}`,
			func(s probe.Settings) string { return s.(*probe.TCPSettings).CAFile }, filepath.Join(dir, "up.pem")},
		{"absolute tls ca_file untouched", `{id: c, type: tls, target: "127.0.0.1:1", ca_file: ` + abs + `}`,
			func(s probe.Settings) string { return s.(*probe.TLSSettings).CAFile }, abs},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(conf, "picket-"+strconv.Itoa(i)+".yaml")
			writeFile(t, file, "checks:\n  - "+tt.check+"\n")
			c, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got := tt.field(c.Checks[0].Settings); got != tt.want {
				t.Errorf("path = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestParseKeepsFiles checks that a config without a directory of its own
// names files relative to the working directory, and one with a relative
// directory relative to that.
func TestParseKeepsFiles(t *testing.T) {
	tests := []struct{ name, file, path, want string }{
		{"no directory", "picket check", "testdata/password", "testdata/password"},
		{"no directory, dot", "picket.yaml", "./testdata/password", "./testdata/password"},
		{"relative directory", "testdata/picket.yaml", "password", filepath.Join("testdata", "password")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "checks:\n  - {id: c, type: http, target: \"http://127.0.0.1:1/\", auth: {basic: {username: u, password_file: " + tt.path + "}}}\n"
			c, err := Parse(tt.file, []byte(src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := httpSettings(c.Checks[0].Settings).Auth.Basic.PasswordFile; got != tt.want {
				t.Errorf("password_file = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckFromArgsKeepsFiles(t *testing.T) {
	args := []string{"http", "http://127.0.0.1:1/", "--auth-basic-username", "u", "--auth-basic-password-file", "testdata/password"}
	c, err := CheckFromArgs(args, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := httpSettings(c.Settings).Auth.Basic.PasswordFile; got != "testdata/password" {
		t.Errorf("password_file = %q, want it as given", got)
	}
}

// walkSample has a sensitive field in every place walkSensitive looks,
// and some where it must not.
type walkSample struct {
	KeyFile string        `yaml:"key_file"`
	Token   secret.Secret `yaml:"token"`
	Name    string        `yaml:"name"` // not sensitive
	Inline  walkInline    `yaml:",inline"`
	Ptr     *walkInner    `yaml:"ptr"`
	NilPtr  *walkInner    `yaml:"nil_ptr"`
	List    []walkInner   `yaml:"list"`
	Files   []string      `yaml:"extra_file"`
	Skipped walkCustom    `yaml:"custom"`
	Map     map[string]walkInner
	Headers map[string]secret.Secret `yaml:"headers"`
	Keys    map[string]string        `yaml:"keys_file"`
	Plain   map[string]string        `yaml:"plain"` // not sensitive
	hidden  walkInner
}

type walkInline struct {
	CertFile string `yaml:"cert_file"`
}

type walkInner struct {
	PasswordFile string        `yaml:"password_file"`
	Password     secret.Secret `yaml:"password"`
}

// walkCustom decodes itself, so its fields are not config fields.
type walkCustom struct {
	DataFile string `yaml:"data_file"`
}

func (w *walkCustom) UnmarshalYAML(*yaml.Node) error { return nil }

func (w *walkSample) Prober(string) (probe.Prober, error) { return nil, nil }

func TestWalkSensitive(t *testing.T) {
	inner := func(s string) walkInner { return walkInner{PasswordFile: s, Password: secret.Secret(s)} }
	ptr := inner("p")
	s := &walkSample{KeyFile: "k", Token: "t", Name: "n", Inline: walkInline{"c"}, Ptr: &ptr,
		List: []walkInner{inner("l0"), inner("/abs")}, Files: []string{"f0"},
		Skipped: walkCustom{"d"}, Map: map[string]walkInner{"m": inner("m")},
		Headers: map[string]secret.Secret{"X-b": "hb", "Authorization": "ha"},
		Keys:    map[string]string{"b": "kb", "a": "/ka"}, Plain: map[string]string{"p": "p"},
		hidden: inner("h")}
	var got []string
	walkSensitive(reflect.ValueOf(s).Elem(), "", "", func(file bool, path string, v reflect.Value) {
		kind := "secret"
		if file {
			kind = "file"
		}
		got = append(got, kind+" "+path+"="+v.String())
	})
	want := []string{
		"file key_file=k", "secret token=t", "file cert_file=c",
		"file ptr.password_file=p", "secret ptr.password=p",
		"file list[0].password_file=l0", "secret list[0].password=l0",
		"file list[1].password_file=/abs", "secret list[1].password=/abs",
		"file extra_file[0]=f0",
		"file map.m.password_file=m", "secret map.m.password=m",
		"secret headers.Authorization=ha", "secret headers.X-b=hb",
		"file keys_file.a=/ka", "file keys_file.b=kb",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("visited (-want +got):\n%s", diff)
	}

	resolveFiles(s, "/etc/picket")
	gotPaths := []string{s.KeyFile, s.Inline.CertFile, s.Ptr.PasswordFile, s.List[0].PasswordFile, s.List[1].PasswordFile, s.Files[0],
		s.Map["m"].PasswordFile, s.Keys["a"], s.Keys["b"], s.Skipped.DataFile, s.Name, s.Plain["p"]}
	wantPaths := []string{"/etc/picket/k", "/etc/picket/c", "/etc/picket/p", "/etc/picket/l0", "/abs", "/etc/picket/f0",
		"/etc/picket/m", "/ka", "/etc/picket/kb", "d", "n", "p"}
	if diff := cmp.Diff(wantPaths, gotPaths); diff != "" {
		t.Errorf("resolved (-want +got):\n%s", diff)
	}
}
