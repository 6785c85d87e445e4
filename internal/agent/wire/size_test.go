package wire

import (
	"testing"
)

// wireStream sends n 5 s batches of a fake host as an agent would: the
// first with its series table, the others with a reference to it when
// the table is the same. It decodes each as the server would and returns
// the bytes of the full batches, the bytes sent, and the samples.
func wireStream(t testing.TB, procEvery, n int) (full, sent, samples int) {
	t.Helper()
	b, err := NewBuilder("host-0001", BuilderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dec, err := NewDecoder(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	tables := NewTables(0)
	h, start := newFakeHost(1, procEvery), int64(1_760_000_000_000)
	var known TableID
	for seq := range uint64(n) {
		start = fill(b, h, start, 5)
		out, err := b.Encode(seq)
		if err != nil {
			t.Fatal(err)
		}
		full += len(out)
		if id, _ := TableOf(out); id == known {
			if out, err = WithTableRef(out); err != nil {
				t.Fatal(err)
			}
		}
		batch, err := dec.Decode(out, tables)
		if err != nil {
			t.Fatalf("batch %d: %v", seq, err)
		}
		known = batch.Table
		if batch.Samples() != b.Len() {
			t.Fatalf("batch %d: decoded %d samples, built %d", seq, batch.Samples(), b.Len())
		}
		sent, samples = sent+len(out), samples+b.Len()
		b.Reset()
	}
	return full, sent, samples
}

// TestRealisticSize checks the format's purpose: under 1.5 bytes a
// sample on the wire, for 5 s batches of a realistic host.
func TestRealisticSize(t *testing.T) {
	tests := []struct {
		name      string
		procEvery int
	}{
		{"everything every second", 1},
		{"process table every 5 s", 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full, sent, samples := wireStream(t, tt.procEvery, 60)
			perSample := float64(sent) / float64(samples)
			t.Logf("%d samples: %d bytes sent (%.3f bytes/sample), %.3f bytes/sample with the table in every batch",
				samples, sent, perSample, float64(full)/float64(samples))
			if perSample >= 1.5 {
				t.Errorf("%.3f bytes/sample on the wire, want < 1.5", perSample)
			}
		})
	}
}
