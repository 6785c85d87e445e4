package collector

import (
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The flag has its own name so that it cannot clash with another test
// file of the package registering -update.
var updateHostGolden = flag.Bool("update-host-golden", false, "rewrite the host collectors' testdata/*/*.golden files")

// readTestdata returns the contents of testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// procRoot makes a proc tree in a temporary directory holding, for each
// destination path, the testdata file named by files[dest].
func procRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for dest, src := range files {
		writeProcFile(t, root, dest, src)
	}
	return root
}

// writeProcFile copies testdata/src to root/dest.
func writeProcFile(t *testing.T, root, dest, src string) {
	t.Helper()
	path := filepath.Join(root, dest)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, readTestdata(t, src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// gatherSamples runs one Collect and returns copies of the samples.
func gatherSamples(t *testing.T, c Collector) ([]Sample, error) {
	t.Helper()
	var got []Sample
	err := c.Collect(t.Context(), func(s Sample) {
		s.Labels = slices.Clone(s.Labels)
		got = append(got, s)
	})
	return got, err
}

// mustGather is gatherSamples failing the test on an error.
func mustGather(t *testing.T, c Collector) []Sample {
	t.Helper()
	got, err := gatherSamples(t, c)
	if err != nil {
		t.Fatalf("Collect: %v", err)
	}
	return got
}

// formatSample renders s as a line of the Prometheus text format.
func formatSample(s Sample) string {
	var b strings.Builder
	b.WriteString(s.Name)
	sep := "{"
	for _, l := range s.Labels {
		b.WriteString(sep + l.Name + "=" + strconv.Quote(l.Value))
		sep = ","
	}
	if len(s.Labels) > 0 {
		b.WriteString("}")
	}
	b.WriteString(" " + strconv.FormatFloat(s.Value, 'f', -1, 64))
	return b.String()
}

// checkGolden compares the samples of one or more Collects, separated by
// "# collect N" lines, with testdata/name, or rewrites the file when
// -update-host-golden is given.
func checkGolden(t *testing.T, name string, rounds ...[]Sample) {
	t.Helper()
	var lines []string
	for i, round := range rounds {
		lines = append(lines, "# collect "+strconv.Itoa(i+1))
		for _, s := range round {
			lines = append(lines, formatSample(s))
		}
	}
	path := filepath.Join("testdata", name)
	if *updateHostGolden {
		if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := strings.Split(strings.TrimSuffix(string(readTestdata(t, name)), "\n"), "\n")
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("samples differ from %s (-want +got):\n%s", path, diff)
	}
}

// checkSane fails the test for a sample whose value is negative, NaN or
// infinite, or that has an empty label value.
func checkSane(t *testing.T, ss []Sample) {
	t.Helper()
	for _, s := range ss {
		if s.Value < 0 || math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			t.Errorf("%s: bad value", formatSample(s))
		}
		for _, l := range s.Labels {
			if l.Value == "" {
				t.Errorf("%s: empty label %s", formatSample(s), l.Name)
			}
		}
	}
}

// valueOf returns the value of the first sample named name whose labels
// include all of labels (name, value pairs), and whether there is one.
func valueOf(ss []Sample, name string, labels ...string) (float64, bool) {
	for _, s := range ss {
		if s.Name == name && hasLabels(s, labels) {
			return s.Value, true
		}
	}
	return 0, false
}

func hasLabels(s Sample, pairs []string) bool {
	for i := 0; i+1 < len(pairs); i += 2 {
		if !slices.Contains(s.Labels, Label{Name: pairs[i], Value: pairs[i+1]}) {
			return false
		}
	}
	return true
}

// errText returns err's message, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// containsText reports whether msg matches want: both empty, or want
// non-empty and in msg.
func containsText(msg, want string) bool {
	if want == "" {
		return msg == ""
	}
	return strings.Contains(msg, want)
}

// isNotSupported reports whether err is ErrNotSupported.
func isNotSupported(err error) bool { return errors.Is(err, ErrNotSupported) }
