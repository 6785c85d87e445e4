package schedule

import "context"

// entry is the scheduler's state for one job. Times are Unix nanoseconds:
// comparing int64s keeps the heap several times cheaper than time.Time.
type entry struct {
	job    Job
	offset int64 // phase within the interval
	// grid is the job's next slot on its grid.
	grid int64
	// next is the planned time of the next run: grid, or earlier when a
	// prompt first run or RunNow comes first. The heap is ordered by it.
	next  int64
	index int // position in the heap, -1 when not in it

	fresh   bool // brand-new and not yet planned: gets a prompt first run
	asap    bool // RunNow was called before Run planned the job
	running bool // a run is waiting for a slot or going

	// cancel ends the run going, when running: Update calls it when the
	// job is removed or changed. A context lives only as long as its run;
	// one per job would hold ~900 bytes each for the scheduler's life,
	// 9 MB at 10,000 jobs, to save a small allocation per run.
	cancel context.CancelFunc
}

// timeHeap is a binary min-heap of entries by next that keeps each
// entry's index current, so that an entry can be fixed or removed in
// O(log n).
type timeHeap []*entry

func (h timeHeap) less(i, j int) bool { return h[i].next < h[j].next }

func (h timeHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}

func (h *timeHeap) push(e *entry) {
	e.index = len(*h)
	*h = append(*h, e)
	h.up(e.index)
}

func (h *timeHeap) remove(i int) {
	last := len(*h) - 1
	e := (*h)[i]
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	e.index = -1
	if i != last {
		h.fix(i)
	}
}

// fix restores the order after the entry at i changed its next.
func (h timeHeap) fix(i int) {
	if !h.down(i) {
		h.up(i)
	}
}

// init orders the whole heap.
func (h timeHeap) init() {
	for i := len(h)/2 - 1; i >= 0; i-- {
		h.down(i)
	}
}

func (h timeHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.less(i, parent) {
			return
		}
		h.swap(i, parent)
		i = parent
	}
}

// down sinks the entry at i and reports whether it moved.
func (h timeHeap) down(i int) bool {
	start := i
	for {
		child := 2*i + 1
		if child >= len(h) {
			break
		}
		if right := child + 1; right < len(h) && h.less(right, child) {
			child = right
		}
		if !h.less(child, i) {
			break
		}
		h.swap(i, child)
		i = child
	}
	return i > start
}
