package wire

import (
	"math"
	"math/bits"
)

// head is how one series' points are coded.
type head struct {
	mode   byte
	shift  byte
	bitmap []byte // nil unless sparse
	first  int64  // the first scaled integer, for scaled codecs
}

// dataDecoder decodes a data section: ticks, then the three columns of
// the series' points (heads, first values, the rest).
type dataDecoder struct {
	r      reader
	lim    Limits
	sc     *scratchDec
	first  int64
	ticks  []int64
	points []Point
}

// decodeData decodes the points of the series of tb into batch.
func decodeData(batch *Batch, tb *table, content []byte, lim Limits, sc *scratchDec) *Error {
	d := &dataDecoder{r: reader{b: content}, lim: lim, sc: sc, first: batch.First}
	n := len(tb.series)
	err := d.readTicks()
	if err == nil {
		err = d.readHeads(n)
	}
	if err == nil {
		err = d.readFirsts()
	}
	if err != nil {
		return err
	}
	d.points = make([]Point, 0, min(n*len(d.ticks), lim.MaxPoints, 2*len(content)))
	ends := make([]int, n)
	for i := range n {
		if err := d.readPoints(i); err != nil {
			return err
		}
		ends[i] = len(d.points)
	}
	if d.r.off != len(content) {
		return errorf(ReasonCorrupt, "%d bytes after the data", len(content)-d.r.off)
	}
	batch.Series = make([]Series, n)
	start := 0
	for i, end := range ends {
		batch.Series[i] = Series{Name: tb.series[i].Name, Labels: tb.series[i].Labels, Points: d.points[start:end:end]}
		start = end
	}
	return nil
}

// readTicks reads the tick column.
func (d *dataDecoder) readTicks() *Error {
	r := &d.r
	n, ok := r.count()
	if !ok {
		return r.fail("tick count")
	}
	if n > d.lim.MaxPoints {
		return errorf(ReasonOverLimit, "%d ticks, limit %d", n, d.lim.MaxPoints)
	}
	if n == 0 {
		return nil
	}
	d.ticks = make([]int64, n)
	t, delta := d.first, int64(0)
	d.ticks[0] = t
	for i := 1; i < n; i++ {
		e, ok := r.svarint()
		if !ok {
			return r.fail("tick %d", i)
		}
		delta += e
		if delta <= 0 || t > math.MaxInt64-delta {
			return errorf(ReasonBadTicks, "tick %d is not after tick %d", i, i-1)
		}
		t += delta
		d.ticks[i] = t
	}
	return nil
}

// readHeads reads the mode, shift and presence of n series.
func (d *dataDecoder) readHeads(n int) *Error {
	d.sc.heads = d.sc.heads[:0]
	for i := range n {
		h, err := d.readHead(i)
		if err != nil {
			return err
		}
		d.sc.heads = append(d.sc.heads, h)
	}
	return nil
}

func (d *dataDecoder) readHead(i int) (head, *Error) {
	r := &d.r
	var h head
	var ok bool
	if h.mode, ok = r.byte(); !ok {
		return h, r.fail("mode of series %d", i)
	}
	codec := h.mode & modeCodec >> 4
	if h.mode&^(modeSparse|modeShifted|modeCodec|modeScale|modeBinary) != 0 || codec > codecXOR ||
		(codec == codecXOR && h.mode&(modeShifted|modeScale|modeBinary) != 0) ||
		(h.mode&modeBinary != 0 && h.mode&modeScale != 0) {
		return h, errorf(ReasonBadSeries, "series %d: mode %#02x", i, h.mode)
	}
	if h.mode&modeShifted != 0 {
		if h.shift, ok = r.byte(); !ok {
			return h, r.fail("shift of series %d", i)
		}
		if h.shift == 0 || h.shift > maxShift {
			return h, errorf(ReasonBadSeries, "series %d: shift %d", i, h.shift)
		}
	}
	if h.mode&modeSparse != 0 {
		if h.bitmap, ok = r.bytes((len(d.ticks) + 7) / 8); !ok {
			return h, r.fail("presence of series %d", i)
		}
	} else if len(d.ticks) == 0 {
		return h, errorf(ReasonBadSeries, "series %d has no points", i)
	}
	return h, nil
}

// readFirsts reads the first value of each series with a scaled codec.
func (d *dataDecoder) readFirsts() *Error {
	for i := range d.sc.heads {
		h := &d.sc.heads[i]
		if h.mode&modeCodec == codecXOR<<4 {
			continue
		}
		var ok bool
		if h.first, ok = d.r.svarint(); !ok {
			return d.r.fail("first value of series %d", i)
		}
	}
	return nil
}

// readPoints reads the values of series i.
func (d *dataDecoder) readPoints(i int) *Error {
	h := d.sc.heads[i]
	ts, err := d.presence(i, h.bitmap)
	if err != nil {
		return err
	}
	if len(d.points)+len(ts) > d.lim.MaxPoints {
		return errorf(ReasonOverLimit, "over %d points", d.lim.MaxPoints)
	}
	ok := false
	if codec := h.mode & modeCodec >> 4; codec == codecXOR {
		d.points, ok = readXOR(&d.r, ts, d.points)
	} else {
		sc := scaled{p: divisor(h.mode), dod: codec == codecDoD, shift: uint(h.shift), first: h.first}
		d.points, ok = readScaled(&d.r, ts, sc, d.points)
	}
	if !ok {
		return d.r.fail("values of series %d", i)
	}
	return nil
}

// presence returns the ticks at which a series has points: all of them,
// or those its bitmap has.
func (d *dataDecoder) presence(i int, bitmap []byte) ([]int64, *Error) {
	if bitmap == nil {
		return d.ticks, nil
	}
	ts := d.sc.ts[:0]
	for j, b := range bitmap {
		for ; b != 0; b &= b - 1 {
			tick := 8*j + bits.TrailingZeros8(b)
			if tick >= len(d.ticks) {
				return nil, errorf(ReasonBadSeries, "series %d: presence past the last tick", i)
			}
			ts = append(ts, d.ticks[tick])
		}
	}
	d.sc.ts = ts
	if len(ts) == 0 {
		return nil, errorf(ReasonBadSeries, "series %d has no points", i)
	}
	return ts, nil
}
