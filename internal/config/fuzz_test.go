package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and returns either a config or
// Problems, each naming the file and saying something.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data)
		if err == nil {
			if c == nil {
				t.Fatal("Parse returned neither a config nor an error")
			}
			return
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("Parse error %T is not non-empty Problems: %v", err, err)
		}
		if c != nil {
			t.Fatal("Parse returned a config along with problems")
		}
		for _, p := range ps {
			if p.File != "fuzz.yaml" || p.Line < 0 || p.Column < 0 || p.Msg == "" {
				t.Fatalf("malformed problem %#v", p)
			}
		}
	})
}
