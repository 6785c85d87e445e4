package wire

import (
	"cmp"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// seedBatches are valid batches of every shape, to start fuzzing from.
func seedBatches(t testing.TB) [][]byte {
	t.Helper()
	var seeds [][]byte
	for _, opts := range []BuilderOptions{{}, {Uncompressed: true}} {
		b, err := NewBuilder("agent-1", opts)
		if err != nil {
			t.Fatal(err)
		}
		fill(b, newFakeHost(3, 2), 1_760_000_000_000, 3)
		b.Add(1_760_000_002_500, sample("odd", math.Inf(1), "k", "v"))
		out, err := b.Encode(1)
		if err != nil {
			t.Fatal(err)
		}
		ref, err := WithTableRef(out)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, out, ref)
	}
	return append(seeds, good().bytes())
}

// FuzzDecode checks that Decode never panics, and that what it accepts is
// well formed and survives another round trip unchanged.
func FuzzDecode(f *testing.F) {
	for _, s := range seedBatches(f) {
		f.Add(s)
	}
	dec, err := NewDecoder(Limits{MaxDecoded: 1 << 20, MaxPoints: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	seeds := seedBatches(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		tables := NewTables(2)
		if _, err := dec.Decode(seeds[0], tables); err != nil { // so references can resolve
			t.Fatal(err)
		}
		batch, err := dec.Decode(in, tables)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("Decode: %T %v, want an *Error", err, err)
			}
			return
		}
		checkWellFormed(t, batch)
		again := reencode(t, dec, batch)
		if diff := gocmp.Diff(batch.Series, again.Series, bitsEqual, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("another round trip changed the series (-first +second):\n%s", diff)
		}
	})
}

func checkWellFormed(t *testing.T, b *Batch) {
	t.Helper()
	for i, s := range b.Series {
		if i > 0 && compareDecoded(b.Series[i-1], s) >= 0 {
			t.Fatalf("series %d is not after series %d", i, i-1)
		}
		if s.Name == "" || len(s.Points) == 0 {
			t.Fatalf("series %d: empty name or no points", i)
		}
		for j, p := range s.Points {
			if math.IsNaN(p.V) || (j > 0 && p.T <= s.Points[j-1].T) {
				t.Fatalf("series %d: bad point %d: %+v", i, j, p)
			}
		}
	}
}

func compareDecoded(a, b Series) int {
	if c := strings.Compare(a.Name, b.Name); c != 0 {
		return c
	}
	return slices.CompareFunc(a.Labels, b.Labels, func(x, y collector.Label) int {
		return cmp.Or(strings.Compare(x.Name, y.Name), strings.Compare(x.Value, y.Value))
	})
}

// reencode builds batch b again, point by point in time order, and decodes it.
func reencode(t *testing.T, dec *Decoder, b *Batch) *Batch {
	t.Helper()
	type at struct {
		p Point
		s *Series
	}
	var all []at
	for i := range b.Series {
		for _, p := range b.Series[i].Points {
			all = append(all, at{p, &b.Series[i]})
		}
	}
	slices.SortStableFunc(all, func(x, y at) int { return cmp.Compare(x.p.T, y.p.T) })
	bld, err := NewBuilder(b.Agent, BuilderOptions{Uncompressed: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		bld.Add(a.p.T, collector.Sample{Name: a.s.Name, Labels: a.s.Labels, Value: a.p.V})
	}
	if bld.Skips() != (Skips{}) {
		t.Fatalf("re-encoding skipped samples: %+v", bld.Skips())
	}
	out, err := bld.Encode(b.Seq)
	if err != nil {
		t.Fatal(err)
	}
	again, err := dec.Decode(out, nil)
	if err != nil {
		t.Fatalf("decoding the re-encoded batch: %v", err)
	}
	return again
}

// FuzzRoundTrip builds batches from fuzzed samples and checks that every
// value comes back bit for bit at its time.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add(binary.LittleEndian.AppendUint64([]byte{3, 7, 0x81}, math.Float64bits(12.3)))
	f.Fuzz(func(t *testing.T, in []byte) {
		adds, want := fuzzedSamples(in)
		got := roundTrip(t, BuilderOptions{Uncompressed: len(in)%2 == 0}, adds)
		if diff := gocmp.Diff(want, got.Series, bitsEqual, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("series (-want +got):\n%s", diff)
		}
	})
}

// fuzzedSamples turns in into samples of up to 8 series over up to 16
// ticks, and the series a batch of them holds.
func fuzzedSamples(in []byte) ([]add, []Series) {
	names := []string{"a", "b", "c", "d", "a", "b", "c", "d"}
	want := make([]Series, len(names))
	var adds []add
	t := int64(1_000_000)
	for tick := 0; tick < 16 && len(in) > 0; tick++ {
		t += 1 + int64(in[0])*7
		present := in[0]
		in = in[1:]
		for i := range names {
			if present&(1<<i) == 0 {
				continue
			}
			var v float64
			v, in = fuzzedValue(in)
			s := sample(names[i], v)
			if i >= 4 {
				s = sample(names[i], v, "l", "x")
			}
			adds = append(adds, add{t, s})
			want[i].Name, want[i].Labels = s.Name, s.Labels
			want[i].Points = append(want[i].Points, Point{T: t, V: v})
		}
	}
	want = slices.DeleteFunc(want, func(s Series) bool { return len(s.Points) == 0 })
	slices.SortFunc(want, compareDecoded)
	return adds, want
}

// fuzzedValue takes a value from in: a small integer, a decimal, or raw
// float64 bits (NaN made 0, since the builder drops it).
func fuzzedValue(in []byte) (float64, []byte) {
	if len(in) == 0 {
		return 0, in
	}
	kind := in[0]
	in = in[1:]
	switch {
	case kind < 128 || len(in) < 8:
		return float64(int(kind) - 64), in
	case kind < 176:
		n := int64(binary.LittleEndian.Uint32(in))
		return float64(n) / pow10[kind%4], in[4:]
	case kind < 192:
		n := int64(binary.LittleEndian.Uint32(in))
		return math.Ldexp(float64(n), -int(kind%17)), in[4:] // binary fractions down to 2^-16
	default:
		v := math.Float64frombits(binary.LittleEndian.Uint64(in))
		if math.IsNaN(v) {
			v = 0
		}
		return v, in[8:]
	}
}
