package collector

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSensors: golden temperatures from a sysfs tree in testdata (labels
// from the label files or the file names, a chip name shared by two
// monitors made unique, an unreadable value skipped, fans ignored), a
// monitor added later found at the next scan, ErrNotSupported without
// monitors, and this machine's monitors, if it has any.
func TestSensors(t *testing.T) {
	got := mustGather(t, NewSensors(Paths{Sys: "testdata/sensors"}))
	checkGolden(t, "sensors/real.golden", got)

	for name, files := range map[string]map[string]string{
		"no hwmon directory": nil,
		"only a fan":         {"hwmon0/name": "acpi_fan\n", "hwmon0/fan1_input": "1200\n"},
	} {
		t.Run(name, func(t *testing.T) {
			root := sysRoot(t, files)
			if _, err := gatherSamples(t, NewSensors(Paths{Sys: root})); !isNotSupported(err) {
				t.Errorf("Collect = %v, want ErrNotSupported", err)
			}
		})
	}

	t.Run("a monitor added later", func(t *testing.T) {
		root := sysRoot(t, map[string]string{"hwmon0/name": "k10temp\n", "hwmon0/temp1_input": "50125\n"})
		c := NewSensors(Paths{Sys: root})
		mustGather(t, c) // the first scan
		writeFile(t, filepath.Join(root, "class/hwmon/hwmon1/name"), "drivetemp\n")
		writeFile(t, filepath.Join(root, "class/hwmon/hwmon1/temp1_input"), "33000\n")
		for i := 1; i <= rescanEvery; i++ {
			ss := mustGather(t, c)
			_, found := valueOf(ss, TemperatureCelsius, "chip", "drivetemp")
			if want := i == rescanEvery; found != want {
				t.Fatalf("collection %d: drivetemp found %v, want %v", i+1, found, want)
			}
		}
	})

	t.Run("this machine", func(t *testing.T) {
		ss, err := gatherSamples(t, NewSensors(Paths{}))
		if isNotSupported(err) {
			t.Skipf("no temperature sensors here: %v", err)
		}
		if err != nil || len(ss) == 0 {
			t.Fatalf("Collect = %d samples, %v", len(ss), err)
		}
		checkSane(t, ss)
	})
}

// sysRoot makes a /sys tree with files under class/hwmon and returns its
// root; nil files make none.
func sysRoot(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(root, "class/hwmon", name), content)
	}
	return root
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
