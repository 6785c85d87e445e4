package store

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// benchSeries returns n agent-like series: cpu_seconds_total per host, cpu and mode.
func benchSeries(n int) []Labels {
	out := make([]Labels, n)
	for i := range out {
		out[i] = Labels{
			{MetricName, "node_cpu_seconds_total"},
			{"cpu", fmt.Sprint(i % 8)},
			{"host", fmt.Sprintf("host-%03d", i/40)},
			{"mode", fmt.Sprintf("mode-%d", i/8%5)},
		}
	}
	return out
}

// BenchmarkAppend appends batches of one sample for each of 1,000 series,
// one batch per second of simulated time, like agents reporting each second.
func BenchmarkAppend(b *testing.B) {
	s, err := Open(Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ls := benchSeries(1000)
	batch := make([]Sample, len(ls))
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		n++
		ts := base.Add(time.Duration(n) * time.Second)
		for j := range batch {
			batch[j] = Sample{Labels: ls[j], T: ts, V: float64(n + j)}
		}
		if err := s.Append(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*len(batch))/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkQuery runs a typical dashboard query over 1,000 series holding
// an hour of 10-second samples.
func BenchmarkQuery(b *testing.B) {
	s, err := Open(Options{Dir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ls := benchSeries(1000)
	ctx := context.Background()
	for i := range 360 {
		batch := make([]Sample, len(ls))
		for j := range batch {
			batch[j] = Sample{Labels: ls[j], T: base.Add(time.Duration(i) * 10 * time.Second), V: float64(i * 10)}
		}
		if err := s.Append(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	end := base.Add(time.Hour)
	for _, expr := range []string{`sum by (host) (rate(node_cpu_seconds_total[1m]))`, `node_cpu_seconds_total{host="host-007"}`} {
		b.Run(expr, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.QueryRange(ctx, expr, end.Add(-time.Hour), end, time.Minute); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
