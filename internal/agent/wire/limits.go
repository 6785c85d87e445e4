package wire

import "math"

// Limits bound what a Decoder accepts, and what a Builder produces. A zero
// field takes its default.
type Limits struct {
	MaxBytes     int // encoded batch; default 4 MiB
	MaxDecoded   int // body after decompression, the zip-bomb guard; default 64 MiB
	MaxSeries    int // series in a batch; default 100,000
	MaxPoints    int // points (and ticks) in a batch; default 1,048,576
	MaxLabels    int // labels of one series; default 32
	MaxStringLen int // bytes in a name, label, value or agent id; default 1024
}

// Default limits.
const (
	DefaultMaxBytes     = 4 << 20
	DefaultMaxDecoded   = 64 << 20
	DefaultMaxSeries    = 100_000
	DefaultMaxPoints    = 1 << 20
	DefaultMaxLabels    = 32
	DefaultMaxStringLen = 1024
)

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxBytes, DefaultMaxBytes)
	def(&l.MaxDecoded, DefaultMaxDecoded)
	def(&l.MaxSeries, DefaultMaxSeries)
	def(&l.MaxPoints, DefaultMaxPoints)
	l.MaxPoints = min(l.MaxPoints, math.MaxInt32) // a Builder indexes ticks with int32
	def(&l.MaxLabels, DefaultMaxLabels)
	def(&l.MaxStringLen, DefaultMaxStringLen)
	return l
}
