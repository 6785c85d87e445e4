package collector

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// Names processes are counted under in samples.
const (
	// kernelName gathers all kernel threads: their names (kworker/0:1-events)
	// change with the work they do and would make new series all day.
	kernelName = "[kernel]"
	// otherName gathers the names beyond MaxNames.
	otherName = "other"
)

const (
	defaultProcessEvery = 5 * time.Second
	defaultMaxNames     = 500
)

// Collect emits samples by process name from a scan at most Every old,
// scanning first when there is none: ProcessCount, ProcessCPUPercent and
// ProcessRSSBytes with label name, for every name (kernel threads as one
// name, "[kernel]"; CPU rounded to 1/16 %, see roundBinary), and
// ProcessesTotal, kernel threads included. Names
// are few dozen on most hosts; beyond MaxNames, those with the least RSS
// are summed under name="other". Counting every name is what lets a rule
// say a named process is not running (its series is absent).
//
// Called every second, Collect scans every Every. An agent that also
// calls Scan shares its scans: Collect scans only when the last scan of
// either kind is Every old (so an Every a little over the Scan interval
// leaves all scanning to Scan). Events a scan made here notices are
// returned by the next Scan.
func (s *ProcessScanner) Collect(ctx context.Context, emit Emit) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	every := cmp.Or(s.Every, defaultProcessEvery)
	if age := now.Sub(s.lastScan); s.lastScan.IsZero() || age < 0 || age >= every {
		if err := s.scanLocked(ctx, now); err != nil {
			return err
		}
	}
	s.agg.sum(s.procs)
	s.agg.limit(cmp.Or(s.MaxNames, defaultMaxNames))
	s.agg.emit(emit, len(s.procs))
	return nil
}

// nameAgg is what the processes of one name add up to.
type nameAgg struct {
	count int
	cpu   float64
	rss   uint64
}

func (a *nameAgg) add(b nameAgg) { a.count, a.cpu, a.rss = a.count+b.count, a.cpu+b.cpu, a.rss+b.rss }

// nameAggs sums processes by name, reusing its map and slices.
type nameAggs struct {
	by     map[string]nameAgg
	names  []string
	labels [1]Label
}

func (a *nameAggs) sum(procs map[pidKey]*pidEntry) {
	if a.by == nil {
		a.by = make(map[string]nameAgg)
	}
	clear(a.by)
	for _, e := range procs {
		name := e.proc.Name
		if e.kernel {
			name = kernelName
		}
		v := a.by[name]
		v.add(nameAgg{1, e.proc.CPUPercent, e.proc.RSS})
		a.by[name] = v
	}
	a.names = a.names[:0]
	for name := range a.by {
		a.names = append(a.names, name)
	}
}

// limit keeps the keep names with the most RSS and sums the rest under
// otherName.
func (a *nameAggs) limit(keep int) {
	if len(a.names) <= keep {
		return
	}
	slices.SortFunc(a.names, func(x, y string) int {
		return cmp.Or(cmp.Compare(a.by[y].rss, a.by[x].rss), cmp.Compare(x, y))
	})
	var rest nameAgg
	for _, name := range a.names[keep:] {
		rest.add(a.by[name])
		delete(a.by, name)
	}
	a.names = a.names[:keep]
	if v, ok := a.by[otherName]; ok {
		rest.add(v)
	} else {
		a.names = append(a.names, otherName)
	}
	a.by[otherName] = rest
}

func (a *nameAggs) emit(emit Emit, total int) {
	slices.Sort(a.names)
	for _, name := range a.names {
		v := a.by[name]
		a.labels[0] = Label{"name", name}
		emit(Sample{ProcessCount, a.labels[:], float64(v.count)})
		emit(Sample{ProcessCPUPercent, a.labels[:], roundBinary(v.cpu, percentBits)})
		emit(Sample{ProcessRSSBytes, a.labels[:], float64(v.rss)})
	}
	emit(Sample{ProcessesTotal, nil, float64(total)})
}
