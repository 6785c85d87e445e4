package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the testdata/*.err golden files")

// TestInvalid loads every testdata/invalid-<rule>.yaml and compares the
// problems, one per line, with testdata/invalid-<rule>.err.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			got := loadProblems(t, file)
			golden := strings.TrimSuffix(file, ".yaml") + ".err"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("problems differ from %s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// loadProblems loads file, which must be rejected, and returns its
// problems as printed, one per line.
func loadProblems(t *testing.T, file string) string {
	t.Helper()
	c, err := Load(file)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load(%s) = %v, %v; want Problems", file, c, err)
	}
	if c != nil {
		t.Errorf("Load(%s) returned a config along with problems", file)
	}
	for _, p := range ps {
		if p.File != file {
			t.Errorf("problem %q names file %q, want %q", p, p.File, file)
		}
	}
	return ps.Error() + "\n"
}
