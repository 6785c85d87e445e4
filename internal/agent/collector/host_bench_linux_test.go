package collector

import "testing"

// hostCollectors returns one of each host collector reading p.
func hostCollectors(p Paths) []struct {
	name string
	c    Collector
} {
	return []struct {
		name string
		c    Collector
	}{
		{"cpu", NewCPU(p)}, {"memory", NewMemory(p)}, {"filesystem", NewFilesystem(p)},
		{"diskio", NewDiskIO(p)}, {"network", NewNetwork(p)}, {"load", NewLoad(p)}, {"uptime", NewUptime(p)},
	}
}

// BenchmarkCollect measures each collector against this machine's /proc,
// in the steady state (after a first Collect).
func BenchmarkCollect(b *testing.B) {
	for _, hc := range hostCollectors(Paths{}) {
		b.Run(hc.name, func(b *testing.B) {
			emit := func(Sample) {}
			if err := hc.c.Collect(b.Context(), emit); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := hc.c.Collect(b.Context(), emit); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCollectRound measures one round of every host collector, what
// the agent does each second; %core@1s is the share of one core that
// costs at one round per second.
func BenchmarkCollectRound(b *testing.B) {
	hcs := hostCollectors(Paths{})
	samples := 0
	emit := func(Sample) { samples++ }
	round := func() {
		for _, hc := range hcs {
			if err := hc.c.Collect(b.Context(), emit); err != nil {
				b.Fatal(err)
			}
		}
	}
	round()
	samples = 0
	b.ReportAllocs()
	for b.Loop() {
		round()
	}
	b.ReportMetric(float64(samples)/float64(b.N), "samples/op")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e7, "%core@1s")
}
