package wire

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// add is one Builder.Add call.
type add struct {
	t int64
	s collector.Sample
}

func sample(name string, v float64, labels ...string) collector.Sample {
	s := collector.Sample{Name: name, Value: v}
	for i := 0; i+1 < len(labels); i += 2 {
		s.Labels = append(s.Labels, collector.Label{Name: labels[i], Value: labels[i+1]})
	}
	return s
}

// bitsEqual compares floats bit for bit, so that -0 differs from 0.
var bitsEqual = cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) })

// roundTrip builds a batch of adds, encodes it and decodes it.
func roundTrip(t *testing.T, opts BuilderOptions, adds []add) *Batch {
	t.Helper()
	b, err := NewBuilder("agent-1", opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range adds {
		b.Add(a.t, a.s)
	}
	return encodeDecode(t, b, 7)
}

func encodeDecode(t *testing.T, b *Builder, seq uint64) *Batch {
	t.Helper()
	out, err := b.Encode(seq)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	dec, err := NewDecoder(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	batch, err := dec.Decode(out, nil)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if batch.Agent != "agent-1" || batch.Seq != seq || batch.Version != Version {
		t.Errorf("header = %+v, want agent-1, seq %d, version %d", batch.Header, seq, Version)
	}
	return batch
}

func pts(tv ...float64) []Point {
	var p []Point
	for i := 0; i+1 < len(tv); i += 2 {
		p = append(p, Point{T: int64(tv[i]), V: tv[i+1]})
	}
	return p
}

func lbls(kv ...string) []collector.Label {
	return sample("x", 0, kv...).Labels
}

func TestRoundTrip(t *testing.T) {
	negZero := math.Copysign(0, -1)
	odd := []float64{0, 1, -5, 12.3, 0.01, 99.999, -0.5, 1e15, 1 << 53, 1<<53 + 2, negZero, math.Inf(1), math.Inf(-1),
		1e-300, 0.1 + 0.2, math.MaxFloat64, math.SmallestNonzeroFloat64, 0.12345, -1e300,
		12.5625, -0.0625, 1.0009765625, 0x1p-16, 0x1p37 + 0x1p-16}
	var oddAdds []add
	var oddWant []Series
	for i, v := range odd {
		name := string(rune('a'+i)) + "_value"
		oddAdds = append(oddAdds, add{1000, sample(name, v)}, add{2000, sample(name, v*2)}, add{3000, sample(name, 0.5)})
		oddWant = append(oddWant, Series{Name: name, Points: pts(1000, v, 2000, v*2, 3000, 0.5)})
	}
	tests := []struct {
		name string
		opts BuilderOptions
		adds []add
		want []Series
	}{
		{name: "empty"},
		{
			name: "one point",
			adds: []add{{1_760_000_000_123, sample("up", 1)}},
			want: []Series{{Name: "up", Points: pts(1_760_000_000_123, 1)}},
		},
		{name: "values of every kind", adds: oddAdds, want: oddWant},
		{name: "values of every kind uncompressed", opts: BuilderOptions{Uncompressed: true}, adds: oddAdds, want: oddWant},
		{
			name: "sparse series over two bitmap bytes",
			adds: func() []add {
				var a []add
				for i := range int64(10) {
					a = append(a, add{i * 1000, sample("every", float64(i))})
					if i%3 == 0 {
						a = append(a, add{i * 1000, sample("third", 0.1*float64(i))})
					}
				}
				return append(a, add{9000, sample("last", 4096)})
			}(),
			want: []Series{
				{Name: "every", Points: pts(0, 0, 1000, 1, 2000, 2, 3000, 3, 4000, 4, 5000, 5, 6000, 6, 7000, 7, 8000, 8, 9000, 9)},
				{Name: "last", Points: pts(9000, 4096)},
				{Name: "third", Points: pts(0, 0, 3000, 0.30000000000000004, 6000, 0.6000000000000001, 9000, 0.9)},
			},
		},
		{
			name: "labels sorted, empty values dropped, orders merged",
			adds: []add{
				{1000, sample("m", 1, "b", "1", "a", "2", "c", "")},
				{2000, sample("m", 2, "a", "2", "b", "1")},
				{2000, sample("m", 3, "a", "1")},
				{2000, sample("m", 4)},
			},
			want: []Series{
				{Name: "m", Points: pts(2000, 4)},
				{Name: "m", Labels: lbls("a", "1"), Points: pts(2000, 3)},
				{Name: "m", Labels: lbls("a", "2", "b", "1"), Points: pts(1000, 1, 2000, 2)},
			},
		},
		{
			name: "the widest ticks",
			adds: []add{{-(1<<62 - 1), sample("m", 1)}, {1<<62 - 1, sample("m", 2)}},
			want: []Series{{Name: "m", Points: []Point{{-(1<<62 - 1), 1}, {1<<62 - 1, 2}}}},
		},
		{
			name: "jittered, negative and far apart ticks",
			adds: []add{
				{-5000, sample("m", 1)}, {-3997, sample("m", 2)}, {-2999, sample("m", 3)},
				{1 << 50, sample("m", 4)}, {1<<62 - 1, sample("m", 5)},
			},
			want: []Series{{Name: "m", Points: []Point{{-5000, 1}, {-3997, 2}, {-2999, 3}, {1 << 50, 4}, {1<<62 - 1, 5}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := roundTrip(t, tt.opts, tt.adds)
			if diff := cmp.Diff(tt.want, got.Series, bitsEqual, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("series (-want +got):\n%s", diff)
			}
		})
	}
}

func TestChooseMode(t *testing.T) {
	tests := []struct {
		name      string
		vs        []float64
		wantMode  byte
		wantShift uint
	}{
		{"constant integers", []float64{7, 7, 7, 7}, codecDelta << 4, 0},
		{"tenths", []float64{12.3, 12.4, 12.2}, codecDelta<<4 | 1, 0},
		{"thousandths", []float64{1.001, 1.002}, codecDelta<<4 | 3, 0},
		{"steady counter", []float64{1e9, 1e9 + 1000, 1e9 + 2000, 1e9 + 3001, 1e9 + 4000}, codecDoD << 4, 0},
		{"pages", []float64{4096 * 1000, 4096 * 1001, 4096 * 999}, codecDelta<<4 | modeShifted, 12},
		{"sixteenths", []float64{12.5625, 12.4375, 3.0625}, codecDelta<<4 | modeBinary | modeShifted, 12},
		{"eighths fit a decimal scale", []float64{12.125, 0.5}, codecDelta<<4 | 3, 0},
		{"1/1024 seconds", []float64{1.0009765625, 1.001953125}, codecDelta<<4 | modeBinary | modeShifted, 6},
		{"finer than 2^-16", []float64{0x1p-17}, codecXOR << 4, 0},
		{"negative zero", []float64{0, math.Copysign(0, -1)}, codecXOR << 4, 0},
		{"too precise", []float64{0.0001}, codecXOR << 4, 0},
		{"beyond 2^53", []float64{1<<53 + 2}, codecXOR << 4, 0},
		{"infinity", []float64{math.Inf(1)}, codecXOR << 4, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mode, shift := chooseMode(tt.vs, make([]int64, len(tt.vs)))
			if mode != tt.wantMode || shift != tt.wantShift {
				t.Errorf("chooseMode(%v) = %#02x, %d; want %#02x, %d", tt.vs, mode, shift, tt.wantMode, tt.wantShift)
			}
		})
	}
}

func TestBuilderSkips(t *testing.T) {
	long := string(make([]byte, DefaultMaxStringLen+1))
	tests := []struct {
		name string
		opts BuilderOptions
		adds []add
		want Skips
	}{
		{"NaN", BuilderOptions{}, []add{{1000, sample("m", math.NaN())}}, Skips{NaN: 1}},
		{"same tick twice", BuilderOptions{}, []add{{1000, sample("m", 1)}, {1000, sample("m", 2)}}, Skips{OutOfOrder: 1}},
		{"older than the series", BuilderOptions{}, []add{{1000, sample("n", 1)}, {2000, sample("m", 1)}, {1000, sample("m", 2)}}, Skips{OutOfOrder: 1}},
		{"older than every tick", BuilderOptions{}, []add{{2000, sample("m", 1)}, {1000, sample("n", 2)}}, Skips{OutOfOrder: 1}},
		{"empty name", BuilderOptions{}, []add{{1000, sample("", 1)}}, Skips{Invalid: 1}},
		{"time out of range", BuilderOptions{}, []add{{math.MinInt64, sample("m", 1)}, {1 << 62, sample("m", 1)}}, Skips{Invalid: 2}},
		{"not UTF-8", BuilderOptions{}, []add{{1000, sample("m", 1, "a", "\xff")}}, Skips{Invalid: 1}},
		{"__name__", BuilderOptions{}, []add{{1000, sample("m", 1, "__name__", "x")}}, Skips{Invalid: 1}},
		{"label twice", BuilderOptions{}, []add{{1000, sample("m", 1, "a", "1", "a", "2")}}, Skips{Invalid: 1}},
		{"empty label name", BuilderOptions{}, []add{{1000, sample("m", 1, "", "1")}}, Skips{Invalid: 1}},
		{"string too long", BuilderOptions{}, []add{{1000, sample("m", 1, "a", long)}}, Skips{Invalid: 1}},
		{"too many labels", BuilderOptions{Limits: Limits{MaxLabels: 1}}, []add{{1000, sample("m", 1, "a", "1", "b", "2")}}, Skips{Invalid: 1}},
		{"too many points", BuilderOptions{Limits: Limits{MaxPoints: 2}},
			[]add{{1000, sample("m", 1)}, {2000, sample("m", 1)}, {3000, sample("m", 1)}}, Skips{Full: 1}},
		{"too many series", BuilderOptions{Limits: Limits{MaxSeries: 1}}, []add{{1000, sample("m", 1)}, {1000, sample("n", 1)}}, Skips{Full: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := NewBuilder("agent-1", tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range tt.adds {
				b.Add(a.t, a.s)
			}
			if diff := cmp.Diff(tt.want, b.Skips()); diff != "" {
				t.Errorf("skips (-want +got):\n%s", diff)
			}
			encodeDecode(t, b, 1) // what was kept still makes a valid batch
		})
	}
}

func TestBuilderReset(t *testing.T) {
	b, err := NewBuilder("agent-1", BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b.Add(1000, sample("kept", 1))
	b.Add(1000, sample("gone", 1))
	b.Reset()
	b.Add(2000, sample("kept", 2))
	if got := encodeDecode(t, b, 2); len(got.Series) != 1 || got.Series[0].Name != "kept" {
		t.Errorf("after Reset: series %+v, want only kept", got.Series)
	}
	b.Reset()
	if _, ok := b.canon[string(appendKey(nil, "gone", nil))]; ok {
		t.Error("a series without points in the last batch is still remembered")
	}
	if b.Len() != 0 {
		t.Errorf("Len after Reset = %d, want 0", b.Len())
	}
}

// TestBuilderAddAllocs checks that in the steady state Add does not allocate.
func TestBuilderAddAllocs(t *testing.T) {
	b, err := NewBuilder("agent-1", BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	h := newFakeHost(2, 1)
	var samples []collector.Sample
	h.emit(func(s collector.Sample) { s.Labels = slices.Clone(s.Labels); samples = append(samples, s) })
	tick := int64(0)
	batch := func() {
		for range 5 {
			tick += 1000
			for _, s := range samples {
				b.Add(tick, s)
			}
		}
		b.Reset()
	}
	batch()
	if allocs := testing.AllocsPerRun(10, batch); allocs != 0 {
		t.Errorf("a batch of Adds allocates %v times, want 0", allocs)
	}
}

func TestNewBuilderBadAgent(t *testing.T) {
	for _, agent := range []string{"", "\xff", string(make([]byte, DefaultMaxStringLen+1))} {
		if _, err := NewBuilder(agent, BuilderOptions{}); err == nil {
			t.Errorf("NewBuilder(%q) succeeded, want an error", agent)
		}
	}
}
