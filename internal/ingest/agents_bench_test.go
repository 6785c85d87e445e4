package ingest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/wire"
	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/store"
)

// benchHost emits what a quiet server with about a hundred processes
// sends: 8 cores, memory and swap, 5 filesystems, 3 disks, 4 interfaces,
// load, uptime and 40 process names, about 290 series, with values
// rounded as at the source and changing slowly.
type benchHost struct {
	rng  *rand.Rand
	base []float64 // per series, in emit order
}

var (
	benchModes  = []string{"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"}
	benchMounts = []string{"/", "/boot", "/home", "/var/lib/docker", "/srv/data"}
	benchDisks  = []string{"nvme0n1", "sda", "sdb"}
	benchIfaces = []string{"lo", "eth0", "eth1", "docker0"}
)

func newBenchHost(seed uint64) *benchHost {
	return &benchHost{rng: rand.New(rand.NewPCG(seed, 7))}
}

// emit emits one tick's samples.
func (h *benchHost) emit(emit func(collector.Sample)) {
	i := 0
	next := func(name string, scale, step, prec float64, labels ...collector.Label) {
		if i == len(h.base) {
			h.base = append(h.base, math.Round(h.rng.Float64()*scale))
		}
		h.base[i] += math.Round(h.rng.Float64()*step*prec) / prec
		emit(collector.Sample{Name: name, Labels: labels, Value: h.base[i]})
		i++
	}
	lbl := func(kv ...string) []collector.Label {
		ls := make([]collector.Label, 0, len(kv)/2)
		for j := 0; j+1 < len(kv); j += 2 {
			ls = append(ls, collector.Label{Name: kv[j], Value: kv[j+1]})
		}
		return ls
	}
	for c := -1; c < 8; c++ {
		cpu := "all"
		if c >= 0 {
			cpu = fmt.Sprint(c)
		}
		for _, m := range benchModes {
			next(collector.CPUPercent, 10, 0.3, 10, lbl("cpu", cpu, "mode", m)...)
		}
	}
	for _, k := range []string{"total", "used", "free", "available", "buffers", "cached"} {
		next(collector.MemoryBytes, 1<<34, 4096*3, 1, lbl("kind", k)...)
	}
	for _, k := range []string{"total", "used", "free"} {
		next(collector.SwapBytes, 1<<31, 0, 1, lbl("kind", k)...)
	}
	for _, m := range benchMounts {
		for _, k := range []string{"size", "used", "free", "avail"} {
			next(collector.FilesystemBytes, 1<<38, 4096*2, 1, lbl("device", "/dev/sda1", "fstype", "ext4", "kind", k, "mountpoint", m)...)
		}
		for _, k := range []string{"total", "used", "free"} {
			next(collector.FilesystemInodes, 1<<22, 1, 1, lbl("device", "/dev/sda1", "fstype", "ext4", "kind", k, "mountpoint", m)...)
		}
	}
	for _, d := range benchDisks {
		for _, n := range []string{collector.DiskReadBytes, collector.DiskWrittenBytes, collector.DiskReads, collector.DiskWrites, collector.DiskBusySeconds} {
			next(n, 1<<40, 1<<16, 1, lbl("device", d)...)
		}
	}
	for _, f := range benchIfaces {
		for _, n := range []string{collector.NetReceiveBytes, collector.NetTransmitBytes, collector.NetReceivePackets,
			collector.NetTransmitPackets, collector.NetReceiveErrors, collector.NetTransmitErrors,
			collector.NetReceiveDrops, collector.NetTransmitDrops} {
			next(n, 1<<40, 1<<12, 1, lbl("interface", f)...)
		}
	}
	next(collector.Load1, 2, 0.05, 100)
	next(collector.Load5, 2, 0.02, 100)
	next(collector.Load15, 2, 0.01, 100)
	next(collector.UptimeSeconds, 1e7, 1, 100)
	for p := range 40 {
		name := lbl("name", fmt.Sprintf("proc-%02d", p))
		next(collector.ProcessCount, 4, 0, 1, name...)
		next(collector.ProcessCPUPercent, 5, 0.2, 10, name...)
		next(collector.ProcessRSSBytes, 1<<30, 4096, 1, name...)
	}
}

// benchFleet is the builders of simulated agents, kept between batches
// as the agents keep theirs.
type benchFleet struct {
	ids   []string
	hosts []*benchHost
	blds  []*wire.Builder
	round int
}

func newBenchFleet(b *testing.B, n int) *benchFleet {
	f := &benchFleet{}
	for i := range n {
		id := fmt.Sprintf("host-%04d", i)
		bld, err := wire.NewBuilder(id, wire.BuilderOptions{})
		if err != nil {
			b.Fatal(err)
		}
		f.ids, f.hosts, f.blds = append(f.ids, id), append(f.hosts, newBenchHost(uint64(i))), append(f.blds, bld)
	}
	return f
}

// next returns every agent's next 5 s batch: whole the first time, then
// referring to its table, as agents send them once acknowledged.
func (f *benchFleet) next(b *testing.B, start time.Time) []*bus.AgentMessage {
	msgs := make([]*bus.AgentMessage, len(f.ids))
	for i, bld := range f.blds {
		bld.Reset()
		for tick := range 5 {
			t := start.Add(time.Duration(f.round*5+tick) * time.Second).UnixMilli()
			f.hosts[i].emit(func(s collector.Sample) { bld.Add(t, s) })
		}
		out, err := bld.Encode(uint64(f.round + 1))
		if err == nil && f.round > 0 {
			out, err = wire.WithTableRef(out)
		}
		if err != nil {
			b.Fatal(err)
		}
		msgs[i] = &bus.AgentMessage{Agent: f.ids[i], Kind: bus.AgentMetrics, Data: out}
	}
	f.round++
	return msgs
}

// BenchmarkAgentIngest decodes and stores 5 s batches of many agents into
// a real store, on as many workers as GOMAXPROCS, as Agents does without
// the transport. One op is one batch of every agent; samples/s is the
// rate over all cores (divide by -cpu for a rate per core).
func BenchmarkAgentIngest(b *testing.B) {
	for _, agents := range []int{100, 1000} {
		b.Run(fmt.Sprintf("agents=%d", agents), func(b *testing.B) {
			st, err := store.Open(store.Options{Dir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			start := time.Now().Add(-time.Hour).Truncate(time.Second)
			a, err := NewAgents(AgentsOptions{Store: st, Now: func() time.Time { return start.Add(1000 * time.Hour) }})
			if err != nil {
				b.Fatal(err)
			}
			defer a.Wait()
			fleet := newBenchFleet(b, agents)
			ctx := context.Background()
			a.ingestRound(ctx, b, fleet.next(b, start)) // the first batches carry the tables
			b.ReportAllocs()
			b.ResetTimer()
			samples := 0
			for range b.N {
				b.StopTimer()
				msgs := fleet.next(b, start)
				b.StartTimer()
				samples += a.ingestRound(ctx, b, msgs)
			}
			b.StopTimer()
			if got := st.Stats(); got.SamplesSkipped != 0 || got.SamplesRejected != 0 {
				b.Fatalf("store skipped %d and rejected %d samples", got.SamplesSkipped, got.SamplesRejected)
			}
			b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(samples), "ns/sample")
		})
	}
}

// ingestRound has each worker store the batches of its agents and returns
// the number of samples stored.
func (a *Agents) ingestRound(ctx context.Context, b *testing.B, msgs []*bus.AgentMessage) int {
	before := a.stats.samples.Load()
	var wg sync.WaitGroup
	for wi, w := range a.workers {
		wg.Go(func() {
			for _, m := range msgs {
				if shard(m.Agent, len(a.workers)) == wi {
					a.metrics(ctx, w, m)
				}
			}
		})
	}
	wg.Wait()
	n := int(a.stats.samples.Load() - before)
	refused := uint64(0)
	for _, c := range a.stats.refused {
		refused += c.Load()
	}
	if n == 0 || refused != 0 {
		b.Fatalf("round stored %d samples; refused: %v", n, a.Stats().Refused)
	}
	return n
}
