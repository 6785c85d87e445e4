package wire

import (
	"fmt"
	"testing"

	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// recordedTicks are n ticks of a fake host, to replay into a Builder.
func recordedTicks(procEvery, n int) [][]collector.Sample {
	h := newFakeHost(1, procEvery)
	ticks := make([][]collector.Sample, n)
	for i := range ticks {
		h.emit(func(s collector.Sample) { ticks[i] = append(ticks[i], s) })
	}
	return ticks
}

func benchBuilder(b *testing.B, level zstd.EncoderLevel) *Builder {
	b.Helper()
	bld, err := NewBuilder("host-0001", BuilderOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if level != encoderLevel {
		if bld.enc, err = newEncoder(level); err != nil {
			b.Fatal(err)
		}
	}
	return bld
}

// buildBatch adds 5 recorded ticks, a second apart, and encodes them.
func buildBatch(b *testing.B, bld *Builder, ticks [][]collector.Sample, seq uint64) []byte {
	bld.Reset()
	for i, samples := range ticks {
		t := 1_760_000_000_000 + int64(seq)*5000 + int64(i)*1000
		for _, s := range samples {
			bld.Add(t, s)
		}
	}
	out, err := bld.Encode(seq)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkEncode builds and encodes a 5 s batch of a host with about a
// hundred processes, and reports bytes per sample with the series table
// (full) and with a reference to it (wire, what is sent once the server
// has the table), for each zstd level.
func BenchmarkEncode(b *testing.B) {
	levels := []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression, zstd.SpeedBestCompression}
	for _, procEvery := range []int{1, 5} {
		ticks := recordedTicks(procEvery, 5)
		for _, level := range levels {
			b.Run(fmt.Sprintf("proc=%ds/%s", procEvery, level), func(b *testing.B) {
				bld := benchBuilder(b, level)
				var out []byte
				for i := 0; b.Loop(); i++ {
					out = buildBatch(b, bld, ticks, uint64(i))
				}
				ref, err := WithTableRef(out)
				if err != nil {
					b.Fatal(err)
				}
				n := float64(bld.Len())
				b.ReportMetric(float64(len(out))/n, "B/sample-full")
				b.ReportMetric(float64(len(ref))/n, "B/sample-wire")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/sample")
			})
		}
	}
}

// BenchmarkDecode decodes a 5 s batch as the server does: with the series
// table in it (full, decoded each time), or by reference to a table the
// server holds (ref, the steady state). Run with -cpu 1 for samples per
// second per core.
func BenchmarkDecode(b *testing.B) {
	ticks := recordedTicks(1, 5)
	out := buildBatch(b, benchBuilder(b, encoderLevel), ticks, 1)
	ref, err := WithTableRef(out)
	if err != nil {
		b.Fatal(err)
	}
	tests := []struct {
		name   string
		batch  []byte
		tables bool
	}{
		{"full", out, false},
		{"ref", ref, true},
	}
	for _, tt := range tests {
		b.Run(tt.name, func(b *testing.B) {
			dec, err := NewDecoder(Limits{})
			if err != nil {
				b.Fatal(err)
			}
			defer dec.Close()
			var tables *Tables
			if tt.tables {
				tables = NewTables(0)
				if _, err := dec.Decode(out, tables); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				batch, err := dec.Decode(tt.batch, tables)
				if err != nil {
					b.Fatal(err)
				}
				n = batch.Samples()
			}
			perSample := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / float64(n)
			b.ReportMetric(perSample, "ns/sample")
			b.ReportMetric(1e9/perSample, "samples/s")
		})
	}
}

// BenchmarkAdd measures the agent's cost per sample of Builder.Add.
func BenchmarkAdd(b *testing.B) {
	ticks := recordedTicks(1, 5)
	bld := benchBuilder(b, encoderLevel)
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		bld.Reset()
		for j, samples := range ticks {
			for _, s := range samples {
				bld.Add(int64(i*5000+j*1000), s)
			}
		}
		n = bld.Len()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/sample")
}

// BenchmarkBuilderMemory reports what a Builder costs the agent in memory:
// making it and encoding its first batch, for each zstd level.
func BenchmarkBuilderMemory(b *testing.B) {
	ticks := recordedTicks(1, 5)
	for _, level := range []zstd.EncoderLevel{zstd.SpeedFastest, zstd.SpeedDefault, zstd.SpeedBetterCompression, zstd.SpeedBestCompression} {
		b.Run(level.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				bld := benchBuilder(b, level)
				buildBatch(b, bld, ticks, 1)
			}
		})
	}
}
