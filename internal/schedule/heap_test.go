package schedule

import (
	"math/rand/v2"
	"testing"
)

func TestHeapKeepsOrderAndIndexes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var h timeHeap
	for step := range 5000 {
		switch op := rng.IntN(4); {
		case op == 0 || len(h) == 0:
			h.push(&entry{next: rng.Int64N(1000)})
		case op == 1:
			h.remove(rng.IntN(len(h)))
		default:
			i := rng.IntN(len(h))
			h[i].next = rng.Int64N(1000)
			h.fix(i)
		}
		checkHeap(t, h, step)
	}
	for i := range h {
		h[i].next = rng.Int64N(1000)
	}
	h.init()
	checkHeap(t, h, -1)
}

func checkHeap(t *testing.T, h timeHeap, step int) {
	t.Helper()
	for i, e := range h {
		if e.index != i {
			t.Fatalf("step %d: entry at %d has index %d", step, i, e.index)
		}
		if i > 0 && h.less(i, (i-1)/2) {
			t.Fatalf("step %d: entry at %d (%d) comes before its parent (%d)", step, i, e.next, h[(i-1)/2].next)
		}
	}
}
