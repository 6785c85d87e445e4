package collector

import (
	"math"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

func TestMemoryCollector(t *testing.T) {
	tests := []struct{ name, file string }{
		{"real", "proc/meminfo"},
		{"swap", "memory/swap"},
		{"old-kernel", "memory/old-kernel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := procRoot(t, map[string]string{"meminfo": tt.file})
			got := mustGather(t, NewMemory(Paths{Proc: root}))
			checkSane(t, got)
			checkGolden(t, "memory/"+tt.name+".golden", got)
		})
	}
}

func TestMemoryCollectorErrors(t *testing.T) {
	t.Parallel()
	root := procRoot(t, map[string]string{"meminfo": "memory/no-total"})
	if _, err := gatherSamples(t, NewMemory(Paths{Proc: root})); !containsText(errText(err), "memory: parsing") {
		t.Errorf("malformed file: %v", err)
	}
	if _, err := gatherSamples(t, NewMemory(Paths{Proc: t.TempDir()})); !isNotSupported(err) {
		t.Errorf("missing file: %v, want ErrNotSupported", err)
	}
}

func TestMemoryCollectorRealProc(t *testing.T) {
	t.Parallel()
	got := mustGather(t, NewMemory(Paths{}))
	checkSane(t, got)
	v := func(name, kind string) float64 {
		x, ok := valueOf(got, name, "kind", kind)
		if !ok {
			t.Fatalf("no %s{kind=%q}", name, kind)
		}
		return x
	}
	total := v(MemoryBytes, "total")
	if total <= 0 || v(MemoryBytes, "used")+v(MemoryBytes, "available") != total ||
		v(MemoryBytes, "free") > total || v(MemoryBytes, "cached") > total {
		t.Errorf("inconsistent memory figures: %v", got)
	}
	if v(SwapBytes, "used")+v(SwapBytes, "free") != v(SwapBytes, "total") {
		t.Errorf("inconsistent swap figures: %v", got)
	}
}

// TestMemoryMatchesFree compares the collector with `free -b -w` (procps-ng
// 4) on this machine. Memory moves between the two reads, so figures other
// than total may differ by up to 1 % of total.
func TestMemoryMatchesFree(t *testing.T) {
	out, err := exec.Command("free", "-b", "-w").Output()
	if err != nil {
		t.Skipf("free: %v", err)
	}
	got := mustGather(t, NewMemory(Paths{}))
	var cols []string
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "Mem:") {
			cols = strings.Fields(line)[1:]
		}
	}
	if len(cols) != 7 {
		t.Fatalf("unexpected free output:\n%s", out)
	}
	// free -w columns: total used free shared buffers cache available
	for i, kind := range []string{"total", "used", "free", "", "buffers", "cached", "available"} {
		if kind == "" {
			continue
		}
		want, err := strconv.ParseFloat(cols[i], 64)
		if err != nil {
			t.Fatal(err)
		}
		have, _ := valueOf(got, MemoryBytes, "kind", kind)
		total, _ := valueOf(got, MemoryBytes, "kind", "total")
		if math.Abs(have-want) > total/100 || kind == "total" && have != want {
			t.Errorf("%s: collector %.0f, free %.0f", kind, have, want)
		}
	}
}
