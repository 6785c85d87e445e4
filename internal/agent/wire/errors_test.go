package wire

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
)

// raw writes batch bytes by hand.
type raw []byte

func (r raw) u(vs ...uint64) raw {
	for _, v := range vs {
		r = binary.AppendUvarint(r, v)
	}
	return r
}

func (r raw) s(vs ...int64) raw {
	for _, v := range vs {
		r = appendSvarint(r, v)
	}
	return r
}

func (r raw) b(bs ...byte) raw { return append(r, bs...) }

// strs is a string table.
func strs(ss ...string) raw {
	r := raw{}.u(uint64(len(ss)))
	for _, s := range ss {
		r = r.u(uint64(len(s)))
	}
	for _, s := range ss {
		r = append(r, s...)
	}
	return r
}

// goodTable has one series, m{cpu="a"}; goodData two points of it.
var (
	goodTable = append(strs("a", "cpu", "m"), raw{}.u(1, 2, 1, 1, 0)...)
	goodData  = raw{}.u(2).s(1000).b(0x00).s(5).s(1)
)

// rawBatch is a batch with uncompressed sections.
type rawBatch struct {
	version, flags byte
	agent          string
	first          int64
	table, data    raw
	tableLen       int // -1 for len(table)
	dataLen        int // -1 for len(data)
	ref            []byte
}

func good() rawBatch {
	return rawBatch{version: Version, agent: "agent-1", first: 1000, table: goodTable, data: goodData, tableLen: -1, dataLen: -1}
}

func (rb rawBatch) bytes() []byte {
	out := raw(magic).b(rb.version, rb.flags).u(uint64(len(rb.agent)))
	out = append(out, rb.agent...)
	out = out.u(9).s(rb.first)
	if rb.ref != nil {
		out = append(out, rb.ref...)
	} else {
		out = out.u(uint64(or(rb.tableLen, len(rb.table))), uint64(len(rb.table))).b(rb.table...)
	}
	return out.u(uint64(or(rb.dataLen, len(rb.data)))).b(rb.data...)
}

func or(n, def int) int {
	if n < 0 {
		return def
	}
	return n
}

func (rb rawBatch) with(f func(*rawBatch)) []byte {
	f(&rb)
	return rb.bytes()
}

// bad returns the good batch changed by f.
func bad(f func(*rawBatch)) []byte { return good().with(f) }

func TestDecodeGood(t *testing.T) {
	dec, err := NewDecoder(Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	b, err := dec.Decode(good().bytes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Series{{Name: "m", Labels: lbls("cpu", "a"), Points: pts(1000, 5, 2000, 6)}}
	if b.Samples() != 2 || b.Series[0].Name != want[0].Name || b.Series[0].Points[1] != want[0].Points[1] {
		t.Errorf("Decode(good) = %+v, want %+v", b.Series, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	tooBig := strings.Repeat("x", DefaultMaxStringLen+1)
	var zeros8 [8]byte
	tests := []struct {
		name   string
		in     []byte
		limits Limits
		want   string
	}{
		{"empty", nil, Limits{}, ReasonTruncated},
		{"not a batch", []byte("GET / HTTP/1.1\r\n"), Limits{}, ReasonBadMagic},
		{"short and not a batch", []byte("PK"), Limits{}, ReasonTruncated},
		{"short garbage", []byte("Z"), Limits{}, ReasonBadMagic},
		{"version 2", bad(func(b *rawBatch) { b.version = 2 }), Limits{}, ReasonVersion},
		{"reserved flag", bad(func(b *rawBatch) { b.flags = 0x04 }), Limits{}, ReasonBadFlags},
		{"header cut", good().bytes()[:8], Limits{}, ReasonTruncated},
		{"table cut", good().bytes()[:20], Limits{}, ReasonTruncated},
		{"data cut", good().bytes()[:len(good().bytes())-1], Limits{}, ReasonTruncated},
		{"value missing", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0).s(5) }), Limits{}, ReasonTruncated},
		{"reference cut", bad(func(b *rawBatch) { b.flags, b.ref, b.data = FlagTableRef, []byte{1, 2}, nil; b.dataLen = -1 })[:len(magic)+14], Limits{}, ReasonTruncated},
		{"over MaxBytes", good().bytes(), Limits{MaxBytes: 20}, ReasonTooLarge},
		{"table over MaxDecoded", bad(func(b *rawBatch) { b.tableLen = 1 << 30 }), Limits{}, ReasonTooLarge},
		{"data over MaxDecoded", bad(func(b *rawBatch) { b.dataLen = DefaultMaxDecoded }), Limits{}, ReasonTooLarge},
		{"agent id too long", bad(func(b *rawBatch) { b.agent = tooBig }), Limits{}, ReasonOverLimit},
		{"string too long", bad(func(b *rawBatch) { b.table = append(strs(tooBig), raw{}.u(0)...) }), Limits{}, ReasonOverLimit},
		{"too many series", good().bytes(), Limits{MaxSeries: 1}, ""},
		{"too many series", bad(func(b *rawBatch) { b.table = append(strs("a", "b"), raw{}.u(2, 0, 0, 1, 0)...) }), Limits{MaxSeries: 1}, ReasonOverLimit},
		{"too many labels", good().bytes(), Limits{MaxLabels: 1}, ""},
		{"too many labels", bad(func(b *rawBatch) { b.table = append(strs("a", "b", "m"), raw{}.u(1, 2, 2, 0, 0, 1, 1)...) }), Limits{MaxLabels: 1}, ReasonOverLimit},
		{"too many ticks", good().bytes(), Limits{MaxPoints: 1}, ReasonOverLimit},
		{"too many points", bad(func(b *rawBatch) {
			b.table = append(strs("a", "b"), raw{}.u(2, 0, 0, 1, 0)...)
			b.data = raw{}.u(2).s(1000).b(0, 0).s(1, 1, 0, 0)
		}), Limits{MaxPoints: 3}, ReasonOverLimit},
		{"bad zstd", bad(func(b *rawBatch) { b.flags = FlagZstd }), Limits{}, ReasonCorrupt},
		{"bytes after the table", bad(func(b *rawBatch) { b.table = append(goodTable, 0) }), Limits{}, ReasonCorrupt},
		{"bytes after the data", bad(func(b *rawBatch) { b.data = append(goodData, 0) }), Limits{}, ReasonCorrupt},
		{"data longer than it says", bad(func(b *rawBatch) { b.dataLen = len(goodData) - 1 }), Limits{}, ReasonCorrupt},
		{"varint overflow", bad(func(b *rawBatch) {
			b.data = raw{}.u(2).b(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
		}), Limits{}, ReasonCorrupt},
		{"empty agent", bad(func(b *rawBatch) { b.agent = "" }), Limits{}, ReasonBadAgent},
		{"agent not UTF-8", bad(func(b *rawBatch) { b.agent = "\xc3" }), Limits{}, ReasonBadAgent},
		{"empty string", bad(func(b *rawBatch) { b.table = strs("") }), Limits{}, ReasonBadStrings},
		{"string not UTF-8", bad(func(b *rawBatch) { b.table = strs("a\xff") }), Limits{}, ReasonBadStrings},
		{"strings out of order", bad(func(b *rawBatch) { b.table = strs("b", "a") }), Limits{}, ReasonBadStrings},
		{"string twice", bad(func(b *rawBatch) { b.table = strs("a", "a") }), Limits{}, ReasonBadStrings},
		{"same tick twice", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(0).b(0).s(5, 1) }), Limits{}, ReasonBadTicks},
		{"ticks going back", bad(func(b *rawBatch) { b.data = raw{}.u(3).s(1000, -2000).b(0).s(5, 1, 1) }), Limits{}, ReasonBadTicks},
		{"ticks overflowing", bad(func(b *rawBatch) { b.first = math.MaxInt64 - 10 }), Limits{}, ReasonBadTicks},
		{"name out of range", bad(func(b *rawBatch) { b.table = append(strs("a"), raw{}.u(1, 1, 0)...) }), Limits{}, ReasonBadSeries},
		{"series twice", bad(func(b *rawBatch) {
			b.table = append(strs("a"), raw{}.u(2, 0, 0, 0, 0)...)
			b.data = raw{}.u(1).b(0, 0).s(1, 1)
		}), Limits{}, ReasonBadSeries},
		{"series out of order", bad(func(b *rawBatch) {
			b.table = append(strs("a", "b"), raw{}.u(2, 1, 0, 0, 0)...)
			b.data = raw{}.u(1).b(0, 0).s(1, 1)
		}), Limits{}, ReasonBadSeries},
		{"reserved mode bit", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x08).s(5, 1) }), Limits{}, ReasonBadSeries},
		{"binary with a decimal scale", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x05).s(5, 1) }), Limits{}, ReasonBadSeries},
		{"xor binary", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x24).b(0, 0) }), Limits{}, ReasonBadSeries},
		{"codec 3", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x30).s(5, 1) }), Limits{}, ReasonBadSeries},
		{"xor with a scale", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x21).b(0, 0) }), Limits{}, ReasonBadSeries},
		{"shift 0", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(modeShifted, 0).s(5, 1) }), Limits{}, ReasonBadSeries},
		{"shift 60", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(modeShifted, 60).s(5, 1) }), Limits{}, ReasonBadSeries},
		{"sparse without points", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(modeSparse, 0).s(5) }), Limits{}, ReasonBadSeries},
		{"presence past the last tick", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(modeSparse, 0x05).s(5, 1) }), Limits{}, ReasonBadSeries},
		{"no ticks", bad(func(b *rawBatch) { b.data = raw{}.u(0).b(0) }), Limits{}, ReasonBadSeries},
		{"label out of range", bad(func(b *rawBatch) { b.table = append(strs("a", "cpu", "m"), raw{}.u(1, 2, 1, 1, 3)...) }), Limits{}, ReasonBadLabels},
		{"labels out of order", bad(func(b *rawBatch) { b.table = append(strs("a", "b", "m"), raw{}.u(1, 2, 2, 1, 0, 0, 1)...) }), Limits{}, ReasonBadLabels},
		{"label twice", bad(func(b *rawBatch) { b.table = append(strs("a", "b", "m"), raw{}.u(1, 2, 2, 0, 0, 0, 1)...) }), Limits{}, ReasonBadLabels},
		{"__name__", bad(func(b *rawBatch) { b.table = append(strs("__name__", "a", "m"), raw{}.u(1, 2, 1, 0, 1)...) }), Limits{}, ReasonBadLabels},
		{"first beyond 2^53", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0).s(1<<53+1, 0) }), Limits{}, ReasonBadValue},
		{"delta beyond 2^53", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x10).s(1<<53, 1) }), Limits{}, ReasonBadValue},
		{"shifted beyond 2^53", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(modeShifted, 12).s(1<<41+1, 0) }), Limits{}, ReasonBadValue},
		{"xor control m+z > 8", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x20).b(0x45, 1, 2, 3, 4, 5, 0) }), Limits{}, ReasonBadValue},
		{"xor control z without m", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x20).b(0x10, 0) }), Limits{}, ReasonBadValue},
		{"xor NaN", bad(func(b *rawBatch) { b.data = raw{}.u(2).s(1000).b(0x20).b(0x62, 0xf8, 0x7f, 0) }), Limits{}, ReasonBadValue},
		{"reference without tables", bad(func(b *rawBatch) { b.flags, b.ref = FlagTableRef, zeros8[:] }), Limits{}, ReasonUnknownTable},
	}
	seen := map[string]bool{}
	dec := map[Limits]*Decoder{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dec[tt.limits]
			if d == nil {
				var err error
				if d, err = NewDecoder(tt.limits); err != nil {
					t.Fatal(err)
				}
				dec[tt.limits] = d
			}
			_, err := d.Decode(tt.in, NewTables(1))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Decode: %v, want success (the limit is not reached)", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode: %v, want an *Error", err)
			}
			if e.Reason != tt.want {
				t.Errorf("Decode: %v, want reason %s", err, tt.want)
			}
			t.Log(err)
			seen[e.Reason] = true
		})
	}
	for _, r := range Reasons() {
		if !seen[r] {
			t.Errorf("no test gets reason %s", r)
		}
	}
}
