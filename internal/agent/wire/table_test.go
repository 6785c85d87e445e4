package wire

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// batchOf encodes one batch with a point of each named series.
func batchOf(t *testing.T, seq uint64, names ...string) []byte {
	t.Helper()
	b, err := NewBuilder("agent-1", BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b.Add(int64(seq)*1000, sample(n, float64(seq)))
	}
	out, err := b.Encode(seq)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustRef(t *testing.T, b []byte) []byte {
	t.Helper()
	ref, err := WithTableRef(b)
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestTableRef(t *testing.T) {
	dec, err := NewDecoder(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	ab1, ab2, c3 := batchOf(t, 1, "a", "b"), batchOf(t, 2, "a", "b"), batchOf(t, 3, "c")
	id1, err1 := TableOf(ab1)
	id2, err2 := TableOf(mustRef(t, ab2))
	if err1 != nil || err2 != nil || id1 != id2 {
		t.Fatalf("TableOf: %x, %v and %x, %v; want the same id", id1, err1, id2, err2)
	}
	if len(mustRef(t, ab2)) >= len(ab2) {
		t.Errorf("a reference is not shorter than the table")
	}
	steps := []struct {
		name       string
		batch      []byte
		wantReason string
	}{
		{"a reference before the table", mustRef(t, ab2), ReasonUnknownTable},
		{"the table", ab1, ""},
		{"a reference to it", mustRef(t, ab2), ""},
		{"a reference of a reference", mustRef(t, mustRef(t, ab2)), ""},
		{"another table, which pushes the first out", c3, ""},
		{"a reference to the first", mustRef(t, ab2), ReasonUnknownTable},
		{"a reference to the second", mustRef(t, c3), ""},
	}
	tables := NewTables(1)
	for _, st := range steps {
		got, err := dec.Decode(st.batch, tables)
		var e *Error
		switch {
		case st.wantReason == "" && err != nil:
			t.Fatalf("%s: %v", st.name, err)
		case st.wantReason != "" && (!errors.As(err, &e) || e.Reason != st.wantReason):
			t.Fatalf("%s: %v, want reason %s", st.name, err, st.wantReason)
		case err == nil && (got.Samples() == 0 || got.Series[0].Points[0].V != float64(got.Seq)):
			t.Fatalf("%s: decoded %+v", st.name, got.Series)
		}
	}
}

// TestTableRefSameSeries checks that a batch decoded with a remembered
// table is the batch decoded whole.
func TestTableRefSameSeries(t *testing.T) {
	dec, err := NewDecoder(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	b, err := NewBuilder("agent-1", BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fill(b, newFakeHost(4, 5), 0, 5)
	full, err := b.Encode(1)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := dec.Decode(full, nil)
	if err != nil {
		t.Fatal(err)
	}
	tables := NewTables(0)
	for _, in := range [][]byte{full, full, mustRef(t, full)} {
		got, err := dec.Decode(in, tables)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(whole.Series, got.Series, bitsEqual, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("(-whole +with tables):\n%s", diff)
		}
	}
}

func TestReadHeader(t *testing.T) {
	h, err := ReadHeader(batchOf(t, 42, "a"), Limits{})
	want := Header{Version: Version, Flags: FlagZstd, Agent: "agent-1", Seq: 42, First: 42_000}
	if err != nil || h != want {
		t.Errorf("ReadHeader = %+v, %v; want %+v", h, err, want)
	}
	if _, err := ReadHeader([]byte("nope"), Limits{}); err == nil {
		t.Error("ReadHeader of garbage: no error")
	}
}

func TestHelpersRefuseGarbage(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("PKTB"), good().bytes()[:20]} {
		if _, err := TableOf(in); err == nil {
			t.Errorf("TableOf(%q): no error", in)
		}
		if _, err := WithTableRef(in); err == nil {
			t.Errorf("WithTableRef(%q): no error", in)
		}
	}
}

// TestDecoderConcurrent shares one Decoder and one Tables between
// goroutines; run it with -race.
func TestDecoderConcurrent(t *testing.T) {
	dec, err := NewDecoder(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	tables := NewTables(2)
	full := batchOf(t, 1, "a", "b")
	ref, other := mustRef(t, full), batchOf(t, 2, "c")
	if _, err := dec.Decode(full, tables); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				for _, in := range [][]byte{full, ref, other} {
					if _, err := dec.Decode(in, tables); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
