package collector

import "testing"

// TestLoadAndUptimeCollectors covers the two one-file collectors: golden
// samples from testdata, ErrNotSupported without the file, and sane
// values from this machine.
func TestLoadAndUptimeCollectors(t *testing.T) {
	tests := []struct {
		name   string
		new    func(Paths) Collector
		file   string
		series []string
	}{
		{"load", NewLoad, "loadavg", []string{Load1, Load5, Load15}},
		{"uptime", NewUptime, "uptime", []string{UptimeSeconds}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := mustGather(t, tt.new(Paths{Proc: "testdata/proc"}))
			checkGolden(t, tt.name+"/real.golden", got)
			if _, err := gatherSamples(t, tt.new(Paths{Proc: t.TempDir()})); !isNotSupported(err) {
				t.Errorf("missing file: %v, want ErrNotSupported", err)
			}
			bad := procRoot(t, map[string]string{tt.file: "uptime/not-a-number"})
			if _, err := gatherSamples(t, tt.new(Paths{Proc: bad})); !containsText(errText(err), tt.name+": parsing") {
				t.Errorf("malformed file: %v", err)
			}
			live := mustGather(t, tt.new(Paths{}))
			checkSane(t, live)
			for _, series := range tt.series {
				if _, ok := valueOf(live, series); !ok {
					t.Errorf("no %s from this machine", series)
				}
			}
		})
	}
}
