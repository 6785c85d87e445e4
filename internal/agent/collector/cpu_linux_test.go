package collector

import (
	"testing"
	"time"
)

func TestCPUCollector(t *testing.T) {
	tests := []struct {
		name  string
		ticks []string // testdata files that /proc/stat holds at each Collect
	}{
		{"real", []string{"cpu/stat.0", "cpu/stat.1"}},
		{"iowait-back", []string{"cpu/iowait-back.0", "cpu/iowait-back.1"}},
		{"restart", []string{"cpu/huge", "cpu/old-kernel"}},
		{"core-hotplug", []string{"cpu/offline-core", "cpu/new-kernel", "cpu/offline-core"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			c := NewCPU(Paths{Proc: root})
			var rounds [][]Sample
			for _, file := range tt.ticks {
				writeProcFile(t, root, "stat", file)
				got := mustGather(t, c)
				checkSane(t, got)
				for _, s := range got {
					if s.Name == CPUPercent && s.Value > 100 {
						t.Errorf("%s: over 100", formatSample(s))
					}
				}
				rounds = append(rounds, got)
			}
			checkGolden(t, "cpu/"+tt.name+".golden", rounds...)
		})
	}
}

func TestCPUCollectorErrors(t *testing.T) {
	t.Parallel()
	root := procRoot(t, map[string]string{"stat": "cpu/short"})
	if _, err := gatherSamples(t, NewCPU(Paths{Proc: root})); !containsText(errText(err), "cpu: parsing") {
		t.Errorf("malformed file: %v", err)
	}
	if _, err := gatherSamples(t, NewCPU(Paths{Proc: t.TempDir()})); !isNotSupported(err) {
		t.Errorf("missing file: %v, want ErrNotSupported", err)
	}
}

// TestCPUCollectorRealProc runs against this machine's /proc/stat until
// some time has elapsed (a bounded number of tries).
func TestCPUCollectorRealProc(t *testing.T) {
	t.Parallel()
	c := NewCPU(Paths{})
	first := mustGather(t, c)
	if cores, _ := valueOf(first, CPUCores); len(first) != 1 || cores < 1 {
		t.Fatalf("first Collect: %v, want only CPUCores >= 1", first)
	}
	var got []Sample
	for range 100 {
		time.Sleep(20 * time.Millisecond)
		if got = mustGather(t, c); len(got) > 1 {
			break
		}
	}
	checkSane(t, got)
	sums := map[string]float64{}
	for _, s := range got {
		if s.Name == CPUPercent {
			sums[s.Labels[0].Value] += s.Value
		}
	}
	if _, ok := sums["all"]; !ok {
		t.Fatalf("no cpu=\"all\" percentages in %v", got)
	}
	for cpu, sum := range sums {
		if sum < 99.5 || sum > 100.5 { // eight values each rounded to 0.1
			t.Errorf("cpu %s: modes sum to %v", cpu, sum)
		}
	}
}
