package wire

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// scratch is what Encode reuses from one batch to the next.
type scratch struct {
	live          []*series
	strs          []string
	index         map[string]uint64
	ints          []int64
	firsts, rest  []byte // columns of the data section
	table, data   []byte // the sections' content
	ztable, zdata []byte // and compressed
}

// Encode returns the batch of the samples added since the last Reset,
// numbered seq; it does not Reset. The result is the caller's. It fails
// only when the batch would break the Builder's Limits.
func (b *Builder) Encode(seq uint64) ([]byte, error) {
	live := b.liveSeries()
	b.internStrings(live)
	table := appendStrings(b.scr.table[:0], b.scr.strs)
	table = b.appendDefs(table, live)
	data := appendTicks(b.scr.data[:0], b.ticks)
	data = b.appendData(data, live)
	b.scr.table, b.scr.data = table, data
	if n := len(table) + len(data); n > b.lim.MaxDecoded {
		return nil, fmt.Errorf("encoding batch %d: %d bytes decoded, limit %d", seq, n, b.lim.MaxDecoded)
	}
	h := Header{Agent: b.agent, Seq: seq}
	if len(b.ticks) > 0 {
		h.First = b.ticks[0]
	}
	tsent, dsent := table, data
	if b.enc != nil {
		h.Flags = FlagZstd
		b.scr.ztable = b.enc.EncodeAll(table, b.scr.ztable[:0])
		b.scr.zdata = b.enc.EncodeAll(data, b.scr.zdata[:0])
		tsent, dsent = b.scr.ztable, b.scr.zdata
	}
	out := appendHeader(make([]byte, 0, 32+len(b.agent)+len(tsent)+len(dsent)), h)
	out = appendSections(out, tsent, len(table), dsent, len(data))
	if len(out) > b.lim.MaxBytes {
		return nil, fmt.Errorf("encoding batch %d: %d bytes, limit %d", seq, len(out), b.lim.MaxBytes)
	}
	return out, nil
}

// liveSeries returns the series with points, in the format's order.
func (b *Builder) liveSeries() []*series {
	live := b.scr.live[:0]
	for _, s := range b.order {
		if len(s.at) > 0 {
			live = append(live, s)
		}
	}
	slices.SortFunc(live, compareSeries)
	b.scr.live = live
	return live
}

// compareSeries orders series by name, then labels. Since the string
// table is sorted, this is also the order of their index tuples.
func compareSeries(a, b *series) int {
	if c := strings.Compare(a.name, b.name); c != 0 {
		return c
	}
	for i := range min(len(a.labels), len(b.labels)) {
		la, lb := a.labels[i], b.labels[i]
		if c := strings.Compare(la.Name, lb.Name); c != 0 {
			return c
		}
		if c := strings.Compare(la.Value, lb.Value); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a.labels), len(b.labels))
}

// internStrings fills the sorted string table of the live series.
func (b *Builder) internStrings(live []*series) {
	if b.scr.index == nil {
		b.scr.index = map[string]uint64{}
	}
	idx := b.scr.index
	clear(idx)
	for _, s := range live {
		idx[s.name] = 0
		for _, l := range s.labels {
			idx[l.Name], idx[l.Value] = 0, 0
		}
	}
	strs := b.scr.strs[:0]
	for s := range idx {
		strs = append(strs, s)
	}
	slices.Sort(strs)
	for i, s := range strs {
		idx[s] = uint64(i)
	}
	b.scr.strs = strs
}

func appendStrings(b []byte, strs []string) []byte {
	b = binary.AppendUvarint(b, uint64(len(strs)))
	for _, s := range strs {
		b = binary.AppendUvarint(b, uint64(len(s)))
	}
	for _, s := range strs {
		b = append(b, s...)
	}
	return b
}

func appendTicks(b []byte, ticks []int64) []byte {
	b = binary.AppendUvarint(b, uint64(len(ticks)))
	var dprev int64
	for i := 1; i < len(ticks); i++ {
		d := ticks[i] - ticks[i-1]
		b = appendSvarint(b, d-dprev)
		dprev = d
	}
	return b
}

func (b *Builder) appendDefs(body []byte, live []*series) []byte {
	idx := b.scr.index
	body = binary.AppendUvarint(body, uint64(len(live)))
	for _, s := range live {
		body = binary.AppendUvarint(body, idx[s.name])
		body = binary.AppendUvarint(body, uint64(len(s.labels)))
		for _, l := range s.labels {
			body = binary.AppendUvarint(body, idx[l.Name])
			body = binary.AppendUvarint(body, idx[l.Value])
		}
	}
	return body
}

// appendData appends the data of the live series in three columns:
// their heads (mode, shift, presence), their first values, the rest.
func (b *Builder) appendData(heads []byte, live []*series) []byte {
	firsts, rest := b.scr.firsts[:0], b.scr.rest[:0]
	for _, s := range live {
		ints := slices.Grow(b.scr.ints[:0], len(s.vs))[:len(s.vs)]
		b.scr.ints = ints
		mode, shift := chooseMode(s.vs, ints)
		if len(s.at) < len(b.ticks) {
			mode |= modeSparse
		}
		heads = append(heads, mode)
		if shift > 0 {
			heads = append(heads, byte(shift))
		}
		if mode&modeSparse != 0 {
			heads = appendBitmap(heads, s.at, len(b.ticks))
		}
		if mode&modeCodec == codecXOR<<4 {
			rest = appendXOR(rest, s.vs)
		} else {
			firsts, rest = appendScaled(firsts, rest, ints, mode&modeCodec == codecDoD<<4)
		}
	}
	b.scr.firsts, b.scr.rest = firsts, rest
	return append(append(heads, firsts...), rest...)
}

func appendBitmap(b []byte, at []int32, ticks int) []byte {
	n := len(b)
	for range (ticks + 7) / 8 {
		b = append(b, 0)
	}
	for _, i := range at {
		b[n+int(i)/8] |= 1 << (i % 8)
	}
	return b
}
