package collector

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeSystemctl writes a systemctl that records its arguments, prints
// the testdata file out (if any) and exits with code; it returns its
// path and the file the arguments land in.
func fakeSystemctl(t *testing.T, out string, code int) (path, args string) {
	t.Helper()
	dir := t.TempDir()
	path, args = filepath.Join(dir, "systemctl"), filepath.Join(dir, "args")
	script := "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + args + "\n"
	if out != "" {
		abs, err := filepath.Abs(filepath.Join("testdata/systemd", out))
		if err != nil {
			t.Fatal(err)
		}
		script += "cat " + abs + "\n"
	}
	script += "echo 'Failed to connect to bus: No such file or directory' >&2\n"
	script += "exit " + string(rune('0'+code)) + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, args
}

func TestSystemctl(t *testing.T) {
	t.Parallel()
	path, args := fakeSystemctl(t, "list-units.json", 0)
	got, err := Systemctl{Path: path}.Units(t.Context(), []string{"service", "bogus; rm -rf /", "timer"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(systemdFixture(), got); diff != "" {
		t.Errorf("Units() mismatch (-want +got):\n%s", diff)
	}
	wantArgs := "list-units --all --plain --no-legend --no-pager --full --output=json --type=service,timer"
	if gotArgs := strings.Join(strings.Fields(string(processFixture(t, args))), " "); gotArgs != wantArgs {
		t.Errorf("systemctl ran with %q, want %q", gotArgs, wantArgs)
	}
}

func TestSystemctlErrors(t *testing.T) {
	t.Parallel()
	failing, _ := fakeSystemctl(t, "", 1)
	garbled, _ := fakeSystemctl(t, "truncated.json", 0)
	tests := []struct {
		name         string
		path         string
		notSupported bool
		wantText     string
	}{
		{name: "not installed", path: filepath.Join(t.TempDir(), "systemctl"), notSupported: true},
		{name: "not in PATH", path: "picket-no-such-systemctl", notSupported: true},
		{name: "fails", path: failing, wantText: "Failed to connect to bus"},
		{name: "garbled", path: garbled, wantText: "parsing systemctl JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Systemctl{Path: tt.path}.Units(t.Context(), DefaultUnitTypes())
			if err == nil {
				t.Fatal("Units() error = nil, want one")
			}
			if errors.Is(err, ErrNotSupported) != tt.notSupported || !strings.Contains(err.Error(), tt.wantText) {
				t.Errorf("Units() error = %v, want not supported %v and text %q", err, tt.notSupported, tt.wantText)
			}
		})
	}
}

func TestCappedBuffer(t *testing.T) {
	t.Parallel()
	b := cappedBuffer{max: 5}
	for _, s := range []string{"abc", "defg", "h"} {
		if n, err := b.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if b.String() != "abcde" || !b.over {
		t.Errorf("cappedBuffer = %q, over %v; want %q, true", b.String(), b.over, "abcde")
	}
}
