package agent

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// configIn copies testdata/name to a temporary directory as agent.yaml,
// next to a key file agent.seed with the given mode and a ca.pem, and
// returns its path.
func configIn(t *testing.T, name string, keyMode os.FileMode) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "agent.yaml")
	for file, content := range map[string][]byte{path: data, filepath.Join(dir, "ca.pem"): newTestCA(t).certPEM} {
		if err := os.WriteFile(file, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seed := filepath.Join(dir, "agent.seed")
	if err := os.WriteFile(seed, []byte("SU...\n"), keyMode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(seed, keyMode); err != nil { // past the umask
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			mode := os.FileMode(0o600)
			if strings.Contains(name, "world-readable") {
				mode = 0o644
			}
			path := configIn(t, filepath.Base(file), mode)
			_, err := LoadConfig(path)
			if err == nil {
				t.Fatal("LoadConfig accepted the file")
			}
			got := strings.ReplaceAll(err.Error(), filepath.Dir(path), "$DIR") + "\n"
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoadConfig(t *testing.T) {
	no, yes := false, true
	for _, tc := range []struct {
		file string
		want func(dir string) *Config
	}{
		{"valid.yaml", func(dir string) *Config {
			return &Config{
				ID:       "web-1",
				Servers:  []string{"nats://picket-1.example.com:7071", "tls://picket-2.example.com:7071"},
				KeyFile:  filepath.Join(dir, "agent.seed"),
				TLS:      &TLS{CAFile: filepath.Join(dir, "ca.pem")},
				SpoolDir: filepath.Join(dir, "spool"), SpoolMax: 64 << 20,
				Interval: time.Second, ProcessInterval: 10 * time.Second, BatchInterval: 5 * time.Second,
				Collectors: map[string]CollectorConfig{"systemd": {Enabled: &no}, "cpu": {Enabled: &yes}},
				Actions: []Action{
					{Name: "restart-nginx", Command: []string{"/usr/bin/systemctl", "restart", "nginx"}, Timeout: time.Minute},
					{Name: "flush-cache", Command: []string{"/usr/local/bin/flush-cache"}, Timeout: 30 * time.Second},
				},
			}
		}},
		{"minimal.yaml", func(dir string) *Config {
			return &Config{
				ID: "db-2", Servers: []string{"nats://127.0.0.1:7071"}, KeyFile: filepath.Join(dir, "agent.seed"),
				SpoolDir: DefaultSpoolDir, SpoolMax: DefaultSpoolMax, Interval: DefaultInterval,
				ProcessInterval: DefaultProcessInterval, BatchInterval: DefaultBatchInterval,
			}
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := configIn(t, tc.file, 0o600)
			got, err := LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.want(filepath.Dir(path))
			want.File = path
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigEnabled(t *testing.T) {
	no := false
	c := &Config{Collectors: map[string]CollectorConfig{"systemd": {Enabled: &no}, "cpu": {}}}
	for name, want := range map[string]bool{"systemd": false, "cpu": true, "memory": true} {
		if got := c.Enabled(name); got != want {
			t.Errorf("Enabled(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestByteSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want ByteSize
		ok   bool
	}{
		{"1048576", 1 << 20, true},
		{"256MiB", 256 << 20, true},
		{"1 GiB", 1 << 30, true},
		{"500MB", 500e6, true},
		{"1.5 gb", 1.5e9, true},
		{"2kB", 2000, true},
		{"1  GiB", 0, false},
		{"64KiB", 64 << 10, true},
		{"12 parsecs", 0, false},
		{"-1", 0, false},
		{"99999999999GiB", 0, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var v struct {
				Size ByteSize `yaml:"size"`
			}
			err := yaml.Unmarshal([]byte("size: "+tc.in), &v)
			if tc.ok && (err != nil || v.Size != tc.want) {
				t.Errorf("got %d, %v; want %d", v.Size, err, tc.want)
			}
			if !tc.ok && (err == nil || !strings.Contains(err.Error(), "is not a size")) {
				t.Errorf("err = %v, want a size error", err)
			}
		})
	}
}

func FuzzParseConfig(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parseConfig("fuzz.yaml", data)
		if (cfg == nil) == (err == nil) {
			t.Fatalf("parseConfig returned %v and %v", cfg, err)
		}
	})
}
