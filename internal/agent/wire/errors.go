package wire

import "fmt"

// The reasons a Decoder rejects a batch, usable as metric label values.
const (
	ReasonBadMagic     = "bad_magic"           // not a batch at all
	ReasonVersion      = "unsupported_version" // a format this decoder does not know
	ReasonBadFlags     = "bad_flags"           // a reserved flag is set
	ReasonTruncated    = "truncated"           // the input ends inside a field
	ReasonTooLarge     = "too_large"           // over Limits.MaxBytes or MaxDecoded
	ReasonOverLimit    = "over_limit"          // too many series, points, labels or a string too long
	ReasonCorrupt      = "corrupt"             // bad compression, a bad varint, wrong length, trailing bytes
	ReasonBadAgent     = "bad_agent"           // empty or not UTF-8
	ReasonBadStrings   = "bad_strings"         // empty, not UTF-8, out of order or repeated
	ReasonBadTicks     = "bad_timestamps"      // not strictly increasing or out of range
	ReasonBadSeries    = "bad_series"          // bad name, mode or presence, out of order or repeated
	ReasonBadLabels    = "bad_labels"          // bad index, out of order or repeated, or __name__
	ReasonBadValue     = "bad_value"           // a scaled integer out of range, a bad xor control byte, NaN
	ReasonUnknownTable = "unknown_table"       // refers to a series table the receiver does not hold: send it
	errorContextBatch  = "decoding batch"
)

// Reasons returns every Reason an Error can carry, so that a server can
// create its counters up front.
func Reasons() []string {
	return []string{
		ReasonBadMagic, ReasonVersion, ReasonBadFlags, ReasonTruncated,
		ReasonTooLarge, ReasonOverLimit, ReasonCorrupt, ReasonBadAgent,
		ReasonBadStrings, ReasonBadTicks, ReasonBadSeries, ReasonBadLabels,
		ReasonBadValue, ReasonUnknownTable,
	}
}

// Error is why a batch was rejected. Reason is one of the Reason
// constants; Detail names the field or series at fault.
type Error struct {
	Reason string
	Detail string
	Err    error // the underlying error, if any (from zstd)
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s: %s", errorContextBatch, e.Reason, e.Detail)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

func errorf(reason, format string, args ...any) *Error {
	return &Error{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}
