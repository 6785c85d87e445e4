package wire

import (
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/picket-monitor/picket/internal/agent/collector"
)

// table is a decoded series table: the series of a batch, without points.
type table struct {
	id     TableID
	series []Series // Name and Labels only; shared by every Batch decoded with it
}

// Tables remembers the last few series tables decoded from one agent, so
// that the agent can send its batches with a reference to their table
// (see WithTableRef). Keep one per agent connection. It is safe for
// concurrent use.
type Tables struct {
	mu     sync.Mutex // protects recent
	recent []*table   // most recently used first
	max    int
}

// NewTables returns a Tables that remembers n tables (4 when n <= 0).
func NewTables(n int) *Tables {
	if n <= 0 {
		n = 4
	}
	return &Tables{max: n}
}

func (t *Tables) get(id TableID) *table {
	if t == nil {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, tb := range t.recent {
		if tb.id == id {
			copy(t.recent[1:i+1], t.recent[:i])
			t.recent[0] = tb
			return tb
		}
	}
	return nil
}

func (t *Tables) put(tb *table) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.recent) < t.max {
		t.recent = append(t.recent, nil)
	}
	copy(t.recent[1:], t.recent)
	t.recent[0] = tb
}

// tableDecoder decodes a table section: strings, then definitions.
type tableDecoder struct {
	r      reader
	lim    Limits
	sc     *scratchDec
	strs   []string
	series []Series
	labels []collector.Label
}

func decodeTable(id TableID, content []byte, lim Limits, sc *scratchDec) (*table, *Error) {
	d := &tableDecoder{r: reader{b: content}, lim: lim, sc: sc}
	err := d.readStrings()
	if err == nil {
		err = d.readDefs()
	}
	if err != nil {
		return nil, err
	}
	if d.r.off != len(content) {
		return nil, errorf(ReasonCorrupt, "%d bytes after the series table", len(content)-d.r.off)
	}
	return &table{id: id, series: d.series}, nil
}

// readStrings reads the string table into one string and slices of it.
func (d *tableDecoder) readStrings() *Error {
	r := &d.r
	n, ok := r.count()
	if !ok {
		return r.fail("string count")
	}
	lens := reader{b: r.b, off: r.off}
	total := 0
	for i := range n {
		l, ok := r.uvarint()
		switch {
		case !ok:
			return r.fail("length of string %d", i)
		case l == 0:
			return errorf(ReasonBadStrings, "string %d is empty", i)
		case l > uint64(d.lim.MaxStringLen):
			return errorf(ReasonOverLimit, "string %d of %d bytes, limit %d", i, l, d.lim.MaxStringLen)
		}
		total += int(l)
	}
	all, ok := r.bytes(total)
	if !ok {
		return r.fail("strings")
	}
	return d.splitStrings(string(all), &lens, n)
}

// splitStrings cuts all into n strings by the lengths lens reads again,
// and checks each.
func (d *tableDecoder) splitStrings(all string, lens *reader, n int) *Error {
	d.strs = make([]string, n)
	off := 0
	for i := range d.strs {
		l, _ := lens.uvarint()
		s := all[off : off+int(l)]
		off += int(l)
		if !utf8.ValidString(s) {
			return errorf(ReasonBadStrings, "string %d is not UTF-8", i)
		}
		if i > 0 && s <= d.strs[i-1] {
			return errorf(ReasonBadStrings, "string %d %q is not after %q", i, s, d.strs[i-1])
		}
		d.strs[i] = s
	}
	return nil
}

// readDefs reads the series definitions: names and labels.
func (d *tableDecoder) readDefs() *Error {
	r := &d.r
	n, ok := r.count()
	if !ok {
		return r.fail("series count")
	}
	if n > d.lim.MaxSeries {
		return errorf(ReasonOverLimit, "%d series, limit %d", n, d.lim.MaxSeries)
	}
	d.series = make([]Series, n)
	ends := slices.Grow(d.sc.ends[:0], n)[:n]
	d.sc.ends = ends
	d.labels = make([]collector.Label, 0, min(2*n, len(r.b)-r.off))
	for i := range d.series {
		if err := d.readDef(i); err != nil {
			return err
		}
		ends[i] = len(d.labels)
		d.sc.tup, d.sc.prev = d.sc.prev, d.sc.tup
	}
	start := 0
	for i, end := range ends {
		d.series[i].Labels = d.labels[start:end:end]
		start = end
	}
	return nil
}

// readDef reads the definition of series i.
func (d *tableDecoder) readDef(i int) *Error {
	r, tup := &d.r, d.sc.tup[:0]
	name, ok := r.uvarint()
	if !ok {
		return r.fail("name of series %d", i)
	}
	if name >= uint64(len(d.strs)) {
		return errorf(ReasonBadSeries, "series %d: name %d of %d strings", i, name, len(d.strs))
	}
	d.series[i].Name = d.strs[name]
	tup = append(tup, name)
	nl, ok := r.count()
	if !ok {
		return r.fail("label count of series %d", i)
	}
	if nl > d.lim.MaxLabels {
		return errorf(ReasonOverLimit, "series %d: %d labels, limit %d", i, nl, d.lim.MaxLabels)
	}
	for j := range nl {
		var err *Error
		if tup, err = d.readLabel(i, j, tup); err != nil {
			return err
		}
	}
	d.sc.tup = tup
	if i > 0 && slices.Compare(d.sc.prev, tup) >= 0 {
		return errorf(ReasonBadSeries, "series %d %s is not after the one before", i, d.series[i].Name)
	}
	return nil
}

// readLabel reads label j of series i and appends its indexes to tup.
func (d *tableDecoder) readLabel(i, j int, tup []uint64) ([]uint64, *Error) {
	r := &d.r
	ln, ok1 := r.uvarint()
	lv, ok2 := r.uvarint()
	switch {
	case !ok1 || !ok2:
		return tup, r.fail("label %d of series %d", j, i)
	case ln >= uint64(len(d.strs)) || lv >= uint64(len(d.strs)):
		return tup, errorf(ReasonBadLabels, "series %d: label %d: index out of range", i, j)
	case j > 0 && ln <= tup[len(tup)-2]:
		return tup, errorf(ReasonBadLabels, "series %d: label %q is not after %q", i, d.strs[ln], d.strs[tup[len(tup)-2]])
	case d.strs[ln] == "__name__":
		return tup, errorf(ReasonBadLabels, "series %d: label __name__", i)
	}
	d.labels = append(d.labels, collector.Label{Name: d.strs[ln], Value: d.strs[lv]})
	return append(tup, ln, lv), nil
}
