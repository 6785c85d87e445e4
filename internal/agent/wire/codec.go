package wire

import (
	"math"
	"math/bits"
)

// The parts of a series' mode byte.
const (
	modeScale   = 0x03 // bits 0-1: the scale k of scaled codecs
	modeBinary  = 0x04 // scaled by 2^binaryBits, not 10^k (k is 0)
	modeCodec   = 0x30 // bits 4-5: the codec
	modeShifted = 0x40 // a shift byte follows the mode
	modeSparse  = 0x80 // a presence bitmap follows the mode (and shift)
)

// The codecs (bits 4-5 of the mode byte) and their limits.
const (
	codecDelta = 0 // scaled integers, delta
	codecDoD   = 1 // scaled integers, delta of delta
	codecXOR   = 2 // float64 bits XOR the previous value's
	maxScale   = 3
	maxShift   = 52
	maxScaled  = 1 << 53 // beyond this, integers are not exact in a float64
	binaryBits = 16      // the binary scale: multiples of 2^-16 (with a shift, any coarser)
)

// pow10 is 10^k for each scale k; a constant table.
var pow10 = [maxScale + 1]float64{1, 10, 100, 1000}

// divisor returns what a series' scaled integers are divided by.
func divisor(mode byte) float64 {
	if mode&modeBinary != 0 {
		return 1 << binaryBits
	}
	return pow10[mode&modeScale]
}

// chooseMode returns the mode (codec and scale) for values vs and the
// shift of their scaled integers (0 for none), and leaves in ints (as
// long as vs) their scaled integers, shifted, when the codec is a scaled
// one.
func chooseMode(vs []float64, ints []int64) (byte, uint) {
	for k := range maxScale + 1 {
		if scale(vs, pow10[k], ints) {
			return scaledMode(byte(k), ints)
		}
	}
	if scale(vs, 1<<binaryBits, ints) {
		return scaledMode(modeBinary, ints)
	}
	return codecXOR << 4, 0
}

// scaledMode completes the mode of scaled integers ints, whose scale bits
// are given: the cheaper of delta and delta-of-delta, and a shift when it
// saves bytes (leaving ints shifted then).
func scaledMode(scale byte, ints []int64) (byte, uint) {
	mode, cost := codecDelta<<4|scale, scaledCost(ints, false)
	if c := scaledCost(ints, true); c < cost {
		mode, cost = codecDoD<<4|scale, c
	}
	shift := commonShift(ints)
	if shift == 0 {
		return mode, 0
	}
	shiftAll(ints, -int(shift))
	if 1+scaledCost(ints, mode>>4 == codecDoD) < cost {
		return mode | modeShifted, shift
	}
	shiftAll(ints, int(shift))
	return mode, 0
}

// scale stores vs·p in ints and reports whether every one of them decodes
// back to its value bit for bit.
func scale(vs []float64, p float64, ints []int64) bool {
	for i, v := range vs {
		f := math.Round(v * p)
		if !(math.Abs(f) <= maxScaled) { // also false for NaN
			return false
		}
		n := int64(f)
		if math.Float64bits(float64(n)/p) != math.Float64bits(v) {
			return false
		}
		ints[i] = n
	}
	return true
}

// commonShift returns the number of trailing zero bits all of ints share
// (such as 12 for counts of 4 KiB pages), at most maxShift.
func commonShift(ints []int64) uint {
	var or int64
	for _, n := range ints {
		or |= n
	}
	if or == 0 {
		return 0
	}
	return uint(min(bits.TrailingZeros64(uint64(or)), maxShift))
}

// shiftAll shifts ints left by n bits, or right by -n.
func shiftAll(ints []int64, n int) {
	for i := range ints {
		if n >= 0 {
			ints[i] <<= n
		} else {
			ints[i] >>= -n
		}
	}
}

// scaledCost is the encoded size of ints: the first, then deltas or
// deltas of deltas.
func scaledCost(ints []int64, dod bool) int {
	n := uvarintLen(zigzag(ints[0]))
	forEachScaled(ints, dod, func(e int64) { n += uvarintLen(zigzag(e)) })
	return n
}

// appendScaled appends the first of ints to firsts, and its other values
// to rest.
func appendScaled(firsts, rest []byte, ints []int64, dod bool) ([]byte, []byte) {
	firsts = appendSvarint(firsts, ints[0])
	forEachScaled(ints, dod, func(e int64) { rest = appendSvarint(rest, e) })
	return firsts, rest
}

// forEachScaled calls f with what the format stores for each of ints but
// the first: deltas, or deltas of deltas.
func forEachScaled(ints []int64, dod bool, f func(int64)) {
	var prev, dprev int64
	for i, v := range ints {
		d := v - prev
		prev = v
		if i == 0 {
			continue
		}
		e := d
		if dod {
			e = d - dprev
		}
		dprev = d
		f(e)
	}
}
