package collector

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiskIOCollector(t *testing.T) {
	tests := []struct{ name, file string }{
		{"real", "proc/diskstats"},
		{"names", "diskio/names"},
		{"huge", "diskio/huge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewDiskIO(Paths{Proc: procRoot(t, map[string]string{"diskstats": tt.file})})
			got := mustGather(t, c)
			checkSane(t, got)
			checkGolden(t, "diskio/"+tt.name+".golden", got)
			if diff := cmp.Diff(got, mustGather(t, c)); diff != "" { // names from the interner now
				t.Errorf("second Collect differs (-first +second):\n%s", diff)
			}
		})
	}
}

func TestDiskIOCollectorErrors(t *testing.T) {
	t.Parallel()
	root := procRoot(t, map[string]string{"diskstats": "diskio/short"})
	if _, err := gatherSamples(t, NewDiskIO(Paths{Proc: root})); !containsText(errText(err), "diskio: parsing") {
		t.Errorf("malformed file: %v", err)
	}
	if _, err := gatherSamples(t, NewDiskIO(Paths{Proc: t.TempDir()})); !isNotSupported(err) {
		t.Errorf("missing file: %v, want ErrNotSupported", err)
	}
}

func TestDiskIOCollectorRealProc(t *testing.T) {
	t.Parallel()
	got := mustGather(t, NewDiskIO(Paths{}))
	checkSane(t, got)
	for _, s := range got {
		if skipDisk(s.Labels[0].Value) {
			t.Errorf("%s: device should be skipped", formatSample(s))
		}
	}
	if len(got)%len(diskSeries) != 0 {
		t.Errorf("%d samples, not %d per device", len(got), len(diskSeries))
	}
}
