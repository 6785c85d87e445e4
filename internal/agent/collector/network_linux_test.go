package collector

import "testing"

func TestNetworkCollector(t *testing.T) {
	tests := []struct{ name, file string }{
		{"real", "proc/net/dev"},
		{"old-kernel", "network/old-kernel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := NewNetwork(Paths{Proc: procRoot(t, map[string]string{"net/dev": tt.file})})
			got := mustGather(t, c)
			checkSane(t, got)
			checkGolden(t, "network/"+tt.name+".golden", got)
		})
	}
}

func TestNetworkCollectorErrors(t *testing.T) {
	t.Parallel()
	root := procRoot(t, map[string]string{"net/dev": "network/short"})
	if _, err := gatherSamples(t, NewNetwork(Paths{Proc: root})); !containsText(errText(err), "network: parsing") {
		t.Errorf("malformed file: %v", err)
	}
	if _, err := gatherSamples(t, NewNetwork(Paths{Proc: t.TempDir()})); !isNotSupported(err) {
		t.Errorf("missing file: %v, want ErrNotSupported", err)
	}
}

// TestNetworkCollectorRealProc expects loopback, which every network
// namespace has.
func TestNetworkCollectorRealProc(t *testing.T) {
	t.Parallel()
	got := mustGather(t, NewNetwork(Paths{}))
	checkSane(t, got)
	if _, ok := valueOf(got, NetReceiveBytes, "interface", "lo"); !ok {
		t.Errorf("no loopback in %d samples", len(got))
	}
}
