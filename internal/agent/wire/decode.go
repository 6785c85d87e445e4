package wire

import (
	"errors"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// Point is one sample: T in Unix milliseconds, and its value.
type Point struct {
	T int64
	V float64
}

// Series is one series of a batch with its points, in time order.
type Series struct {
	Name   string
	Labels []collector.Label // sorted by name; shared between batches, do not modify
	Points []Point
}

// Batch is a decoded batch: one agent, one time range.
type Batch struct {
	Header
	Table  TableID  // the id of its series table
	Series []Series // sorted by name, then labels
}

// Samples returns the number of points in b.
func (b *Batch) Samples() int {
	n := 0
	for _, s := range b.Series {
		n += len(s.Points)
	}
	return n
}

// Decoder checks and decodes batches within its Limits. It is safe for
// concurrent use; make one and share it, since it holds zstd state.
type Decoder struct {
	lim  Limits
	zd   *zstd.Decoder
	pool sync.Pool // of *scratchDec
}

// scratchDec is what one Decode borrows and gives back.
type scratchDec struct {
	table, data []byte   // decompressed sections
	ends        []int    // per series, the end of its labels
	tup, prev   []uint64 // the index tuples of this and the previous series
	ts          []int64  // the ticks of a sparse series
	heads       []head   // how each series' points are coded
}

// keptBuffer is the largest section buffer a Decoder keeps for reuse.
const keptBuffer = 1 << 20

// NewDecoder returns a Decoder that enforces l (zero fields take their
// defaults).
func NewDecoder(l Limits) (*Decoder, error) {
	lim := l.withDefaults()
	zd, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(0),
		zstd.WithDecoderMaxMemory(uint64(lim.MaxDecoded)),
		zstd.WithDecoderMaxWindow(max(uint64(lim.MaxDecoded), zstd.MinWindowSize)),
		zstd.WithDecodeAllCapLimit(true))
	if err != nil {
		return nil, fmt.Errorf("making batch decoder: %w", err)
	}
	return &Decoder{lim: lim, zd: zd}, nil
}

// Close releases the Decoder's resources; it must not be used after.
func (d *Decoder) Close() { d.zd.Close() }

// Decode checks batch b and returns its contents. A batch that is not
// well formed or breaks the Limits is refused with an *Error saying why,
// and nothing of it is returned. Tables (nil for none) are the series
// tables this agent sent before: a batch that refers to one they do not
// hold is refused with ReasonUnknownTable, and the table of a batch
// decoded is remembered. The result shares no memory with b.
func (d *Decoder) Decode(b []byte, tables *Tables) (*Batch, error) {
	batch, err := d.decode(b, tables)
	if err != nil {
		return nil, err
	}
	return batch, nil
}

func (d *Decoder) decode(b []byte, tables *Tables) (*Batch, *Error) {
	h, r, err := readHeader(b, d.lim)
	if err != nil {
		return nil, err
	}
	s, err := readSections(r, h, d.lim)
	if err != nil {
		return nil, err
	}
	sc, _ := d.pool.Get().(*scratchDec)
	if sc == nil {
		sc = &scratchDec{}
	}
	defer d.release(sc)
	tb, cached, err := d.table(h, s, tables, sc)
	if err != nil {
		return nil, err
	}
	data, err := d.inflate(h, s.data, s.dataLen, &sc.data, "data")
	if err != nil {
		return nil, err
	}
	batch := &Batch{Header: h, Table: s.id}
	if err := decodeData(batch, tb, data, d.lim, sc); err != nil {
		return nil, err
	}
	if !cached {
		tables.put(tb)
	}
	return batch, nil
}

// table returns the series table of a batch, from tables or decoded,
// and whether it came from tables.
func (d *Decoder) table(h Header, s sections, tables *Tables, sc *scratchDec) (*table, bool, *Error) {
	if tb := tables.get(s.id); tb != nil {
		return tb, true, nil
	}
	if s.ref {
		return nil, false, errorf(ReasonUnknownTable, "table %x", s.id[:])
	}
	content, err := d.inflate(h, s.table, s.tableLen, &sc.table, "series table")
	if err != nil {
		return nil, false, err
	}
	tb, err := decodeTable(s.id, content, d.lim, sc)
	return tb, false, err
}

// inflate returns the content of a section sent as sent, n bytes long once
// decompressed, using *buf.
func (d *Decoder) inflate(h Header, sent []byte, n int, buf *[]byte, what string) ([]byte, *Error) {
	if h.Flags&FlagZstd == 0 {
		return sent, nil
	}
	if cap(*buf) < n {
		*buf = make([]byte, 0, n)
	}
	out, err := d.zd.DecodeAll(sent, (*buf)[:0:n])
	if err != nil {
		e := errorf(ReasonCorrupt, "decompressing %s", what)
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) {
			e.Detail = fmt.Sprintf("%s larger than the %d bytes the header says", what, n)
		}
		e.Err = err
		return nil, e
	}
	if len(out) != n {
		return nil, errorf(ReasonCorrupt, "%s of %d bytes, header says %d", what, len(out), n)
	}
	return out, nil
}

// release gives sc back, unless it holds buffers too large to keep.
func (d *Decoder) release(sc *scratchDec) {
	if cap(sc.table) <= keptBuffer && cap(sc.data) <= keptBuffer {
		d.pool.Put(sc)
	}
}
