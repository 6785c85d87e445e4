package wire

import (
	"math"
	"math/bits"
)

func appendXOR(b []byte, vs []float64) []byte {
	var prev uint64
	for _, v := range vs {
		x := math.Float64bits(v) ^ prev
		prev ^= x
		if x == 0 {
			b = append(b, 0)
			continue
		}
		z := bits.TrailingZeros64(x) / 8
		m := 8 - bits.LeadingZeros64(x)/8 - z
		b = append(b, byte(m)|byte(z)<<4)
		for x >>= 8 * z; m > 0; m-- {
			b = append(b, byte(x))
			x >>= 8
		}
	}
	return b
}

// scaled says how to read the scaled integers of one series.
type scaled struct {
	p     float64 // the divisor: 10^k, or 2^binaryBits
	dod   bool
	shift uint
	first int64 // from the column of first values
}

// readScaled appends a point at each of ts with the first value of sc
// and the others r holds. On failure r.bad says why.
func readScaled(r *reader, ts []int64, sc scaled, pts []Point) ([]Point, bool) {
	p, limit := sc.p, int64(maxScaled>>sc.shift)
	v, d := sc.first, int64(0)
	for i, t := range ts {
		if i > 0 {
			var u uint64
			if r.off < len(r.b) && r.b[r.off] < 0x80 {
				u = uint64(r.b[r.off])
				r.off++
			} else if u, _ = r.uvarint(); r.bad != "" {
				return pts, false
			}
			if e := unzigzag(u); sc.dod {
				d += e
				v += d
			} else {
				v += e
			}
		}
		if v > limit || v < -limit {
			r.bad = ReasonBadValue
			return pts, false
		}
		pts = append(pts, Point{T: t, V: float64(v<<sc.shift) / p})
	}
	return pts, true
}

// readXOR appends a point at each of ts with the xor-coded values r
// holds. NaN is refused: staleness is the server's to mark.
func readXOR(r *reader, ts []int64, pts []Point) ([]Point, bool) {
	var prev uint64
	for _, t := range ts {
		c, ok := r.byte()
		if !ok {
			return pts, false
		}
		m, z := int(c&15), int(c>>4)
		if m+z > 8 || (m == 0 && z != 0) {
			r.bad = ReasonBadValue
			return pts, false
		}
		raw, ok := r.bytes(m)
		if !ok {
			return pts, false
		}
		var x uint64
		for j := m - 1; j >= 0; j-- {
			x = x<<8 | uint64(raw[j])
		}
		prev ^= x << (8 * z)
		if v := math.Float64frombits(prev); v == v {
			pts = append(pts, Point{T: t, V: v})
			continue
		}
		r.bad = ReasonBadValue
		return pts, false
	}
	return pts, true
}
