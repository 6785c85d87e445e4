// Package wire owns the batch format in which an agent sends its metrics
// to the server: a Builder collects the samples of one time range and
// encodes them; a Decoder checks and decodes a batch within Limits and
// says what is wrong with a bad one in an *Error whose Reason is a short
// label for a metric.
//
// The format is designed for the agent's workload: the same series every
// tick, ticks a second apart, values that are small integers or numbers
// of 0.1 precision that change slowly or not at all. A batch is a header,
// a series table (the names and labels) and the data (the points). Since
// an agent's series seldom change, the table can be replaced by an 8-byte
// reference to the same table in a batch the receiver has already taken
// (WithTableRef, Tables): the 5 s batches of a host with about a hundred
// processes then take 0.8 to 1.2 bytes a sample, against 1.8 to 2.7 with
// the table in each (see BenchmarkEncode).
//
// Integers below are unsigned LEB128 varints (uvarint) or zigzag-encoded
// signed varints (svarint); "idx" is a uvarint index into the strings.
//
//	batch   = header table data
//	header  = "PKTB"            magic; never compressed, so that a server
//	          version  byte     can learn the agent and sequence number,
//	          flags    byte     and refuse a batch, before decompressing
//	          agent    uvarint length, then that many bytes of UTF-8
//	          seq      uvarint  the batch's number, increasing per agent
//	          first    svarint  the first tick, in Unix milliseconds
//	table   = if flags bit 1 (FlagTableRef): 8 bytes, the TableID
//	          else: uvarint length once decompressed, uvarint length as
//	          sent, then the table content as sent
//	data    = uvarint length once decompressed, then the data content as
//	          sent, up to the end of the batch
//
// With flags bit 0 (FlagZstd) each content is sent as one zstd frame,
// else as it is. Other flag bits are reserved and must be zero. The
// TableID of a table is the first 8 bytes of the SHA-256 of its content
// as sent.
//
//	table content = strings defs
//	strings = n uvarint, n uvarint lengths, then the n strings
//	          concatenated; each non-empty UTF-8, in strictly increasing
//	          byte order (so none twice)
//	defs    = S uvarint, then per series: name idx, L uvarint, L pairs of
//	          (label name idx, label value idx) with names in strictly
//	          increasing order and never "__name__"; series in strictly
//	          increasing order of (name idx, label name idx 1, label value
//	          idx 1, ...), a shorter prefix first, so none twice
//
//	data content = ticks heads firsts rest
//	ticks   = T uvarint, then T-1 svarint delta-of-deltas: tick 0 is first,
//	          tick i is tick i-1 plus delta i, delta i is delta i-1 plus
//	          the svarint and delta 0 is 0; ticks strictly increase
//	heads   = per series, in the order of defs: a mode byte, with the
//	          scale k in bits 0-1, bit 2 set when the scale is binary
//	          (then k = 0), the codec in bits 4-5, bit 6 set when a
//	          shift byte s (1..52) follows, bit 7 set when the series is
//	          sparse and a presence bitmap of ceil(T/8) bytes follows (bit
//	          i%8 of byte i/8: a point at tick i; at least one set, none at
//	          or past T); a dense series has a point at every tick; other
//	          bits zero
//	firsts  = per series with a scaled codec, in order: svarint v0
//	rest    = per series, in order, its other values by codec:
//	          0 delta: svarint v(i)-v(i-1);
//	          1 delta-of-delta: svarint d(i)-d(i-1) with d(i) = v(i)-v(i-1)
//	            and d(0) = 0;
//	            for both, the value is float64(v·2^s)/10^k, or with a
//	            binary scale float64(v·2^s)/2^16, |v·2^s| <= 2^53;
//	          2 xor (k = 0, not binary, no shift; nothing in firsts): per point,
//	            x = bits(value) XOR bits(previous value), previous 0 before
//	            the first; a control byte with m, the count of significant
//	            bytes of x, in bits 0-3 and z, its count of trailing zero
//	            bytes, in bits 4-7 (m+z <= 8, and m = z = 0 when x = 0),
//	            then the m bytes of x>>8z, low first; never NaN
//
// Nothing may follow the table or the data. A new format gets a new
// version byte; a decoder refuses a version it does not know.
//
// The encoder chooses per series the smallest k in 0..3 at which every
// value v satisfies float64(round(v·10^k))/10^k == v bit for bit, else
// the binary scale if every value is a multiple of 2^-16 (the collectors
// round CPU percent to 1/16 and busy seconds to 1/1024, which decimal
// scales cannot hold), the largest shift all the scaled integers allow
// (byte counts are often multiples of 512 or 4096, a 1/16 scaled by 2^16
// is a multiple of 4096), and whichever of delta and delta-of-delta is
// smaller; values that none fits (-0, ±Inf, 0.12345, above 2^53) use
// xor. Every value therefore decodes to exactly the bits the agent
// measured. NaN is not sent: the Builder drops it and counts it, since
// staleness is the server's business. Splitting the data into columns
// (heads, first values, the rest) lets zstd find more in each.
//
// A receiver keeps Tables per agent connection. Decode of a batch that
// refers to a table the Tables do not hold fails with ReasonUnknownTable;
// the sender then sends the batch whole, and may refer to its table again
// once that batch is acknowledged.
package wire
