package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/picket-monitor/picket/internal/probe"
)

// benchResult is a typical result: an HTTP check with two metrics.
func benchResult(i int) Result {
	r := result(fmt.Sprintf("check-%d", i%10_000), time.Now())
	r.Metrics = append(r.Metrics, probe.Metric{Name: "http_content_length", Value: 1234})
	return r
}

// BenchmarkPublishResult measures PublishResult, which waits for each
// JetStream ack: "serial" from one goroutine, "parallel" from GOMAXPROCS*8
// goroutines, the way a scheduler with many probes in flight calls it.
func BenchmarkPublishResult(b *testing.B) {
	for _, mode := range []string{"serial", "parallel"} {
		b.Run(mode, func(b *testing.B) {
			bus := startBus(b, b.TempDir(), Options{ResultsMaxBytes: 1 << 30})
			ctx := context.Background()
			var n atomic.Int64
			publishOne := func() {
				if err := bus.PublishResult(ctx, benchResult(int(n.Add(1)))); err != nil {
					b.Error(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			if mode == "serial" {
				for b.Loop() {
					publishOne()
				}
			} else {
				b.SetParallelism(8)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						publishOne()
					}
				})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "results/s")
		})
	}
}

// BenchmarkPublishResultAsync measures the alternative: JetStream async
// publish with at most 256 unacknowledged results in flight.
func BenchmarkPublishResultAsync(b *testing.B) {
	bus := startBus(b, b.TempDir(), Options{ResultsMaxBytes: 1 << 30})
	js, err := jetstream.New(bus.nc, jetstream.WithPublishAsyncMaxPending(256))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r := benchResult(i)
		data, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := js.PublishAsync(resultSubject(r.Check), data); err != nil {
			b.Fatal(err)
		}
		i++
	}
	<-js.PublishAsyncComplete()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "results/s")
}

// BenchmarkConsume measures how fast stored results flow through
// ConsumeResults to a handler that does nothing, with one durable and with
// two reading side by side (ingest and state, as in picket serve).
func BenchmarkConsume(b *testing.B) {
	for _, durables := range []int{1, 2} {
		b.Run(fmt.Sprintf("durables=%d", durables), func(b *testing.B) {
			bus := startBus(b, b.TempDir(), Options{ResultsMaxBytes: 4 << 30})
			rs := make([]Result, b.N)
			for i := range rs {
				rs[i] = benchResult(i)
			}
			publishAsync(b, bus, rs)
			b.ReportAllocs()
			b.ResetTimer()
			consumeAll(b, bus, durables, b.N)
			b.StopTimer()
			b.ReportMetric(float64(b.N*durables)/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}

// consumeAll runs durables consumers until each has handled n results.
func consumeAll(b *testing.B, bus *Bus, durables, n int) {
	errs := make(chan error, durables)
	seen := make([]int, durables)
	for d := range durables {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		go func() {
			errs <- bus.ConsumeResults(ctx, fmt.Sprintf("bench-%d", d), func(_ context.Context, batch []Result) error {
				if seen[d] += len(batch); seen[d] >= n {
					cancel()
				}
				return nil
			})
		}()
	}
	for range durables {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
	for d, got := range seen {
		if got < n {
			b.Fatalf("durable %d handled %d results, want %d", d, got, n)
		}
	}
}
