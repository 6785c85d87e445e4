package host

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/agent/wire"
)

// Defaults for Options.
const (
	DefaultGrace     = 30 * time.Second
	DefaultMaxEvents = 1000
	// MaxCmdline bounds a command line kept in memory, in bytes.
	MaxCmdline = 4096
)

// Options configure NewRegistry. Zero values take the defaults.
type Options struct {
	// Grace is how long a host may stay silent before it is down; default
	// 30 s. Agents send a batch every 5 s by default.
	Grace time.Duration
	// MaxEvents is how many process births and deaths are kept per host;
	// default 1000. The oldest go first.
	MaxEvents int
	Now       func() time.Time // default time.Now
}

// Registry is the hosts known to the server. Its methods are safe for
// concurrent use. A host is added by SetHosts or by its agent's first
// message, and removed by a SetHosts that does not list it.
type Registry struct {
	now       func() time.Time
	maxEvents int

	mu    sync.Mutex // protects the fields below
	grace time.Duration
	hosts map[string]*entry
}

// entry is what the registry keeps of one host.
type entry struct {
	id        string
	listed    time.Time // when the registry learned of it
	lastSeen  time.Time // zero: never
	upSince   time.Time // start of the current run of messages within grace
	hello     proto.HostInfo
	helloAt   time.Time
	figures   Figures
	lastSeq   uint64
	procs     []collector.Process
	procsAt   time.Time
	hasTable  bool
	events    *ring
	lastError *Problem
}

// NewRegistry returns an empty registry.
func NewRegistry(opts Options) *Registry {
	if opts.Grace <= 0 {
		opts.Grace = DefaultGrace
	}
	if opts.MaxEvents <= 0 {
		opts.MaxEvents = DefaultMaxEvents
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Registry{now: opts.Now, maxEvents: opts.MaxEvents, grace: opts.Grace, hosts: make(map[string]*entry)}
}

// SetGrace changes the grace period (<= 0 means the default), as a config
// reload does.
func (r *Registry) SetGrace(d time.Duration) {
	if d <= 0 {
		d = DefaultGrace
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.grace = d
}

// SetHosts makes ids the hosts known: new ones are added (unknown until
// they report or the grace period ends), and hosts not listed are
// forgotten with their tables and events.
func (r *Registry) SetHosts(ids []string) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	keep := make(map[string]bool, len(ids))
	for _, id := range ids {
		keep[id] = true
		r.entryLocked(id, now)
	}
	for id := range r.hosts {
		if !keep[id] {
			delete(r.hosts, id)
		}
	}
}

// entryLocked returns the entry of id, adding it when missing.
func (r *Registry) entryLocked(id string, now time.Time) *entry {
	e, ok := r.hosts[id]
	if !ok {
		e = &entry{id: id, listed: now, events: newRing(r.maxEvents)}
		r.hosts[id] = e
	}
	return e
}

// seenLocked records a message from id at now.
func (r *Registry) seenLocked(id string, now time.Time) *entry {
	e := r.entryLocked(id, now)
	if e.lastSeen.IsZero() || now.Sub(e.lastSeen) > r.grace {
		e.upSince = now
	}
	if now.After(e.lastSeen) {
		e.lastSeen = now
	}
	return e
}

// Seen records that agent id sent a message now.
func (r *Registry) Seen(id string) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seenLocked(id, now)
}

// Hello records agent id's hello.
func (r *Registry) Hello(id string, h proto.HostInfo) {
	now := r.now()
	h.Collectors = slices.Clone(h.Collectors)
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.seenLocked(id, now)
	e.hello, e.helloAt = h, now
}

// Batch records a batch of agent id's metrics, stored: its sequence number
// and the key figures it carries (those it lacks keep their value).
func (r *Registry) Batch(id string, b *wire.Batch) {
	f := figuresOf(b)
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.seenLocked(id, now)
	e.lastSeq = b.Seq
	e.figures = f.over(e.figures)
}

// Rejected records that a message of agent id was refused for reason.
func (r *Registry) Rejected(id, reason string) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.seenLocked(id, now)
	e.lastError = &Problem{Time: now, Reason: reason}
}

// Procs is a process message of an agent.
type Procs struct {
	Time time.Time // of the scan
	// Table is the whole table, or nil when only events were sent: then
	// the events are applied to the table kept.
	Table  []collector.Process
	Events []collector.ProcessEvent
}

// Procs records agent id's process table and events. Command lines are
// cut to MaxCmdline bytes.
func (r *Registry) Procs(id string, p Procs) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.seenLocked(id, now)
	if p.Table != nil {
		e.procs = make([]collector.Process, len(p.Table))
		for i, proc := range p.Table {
			e.procs[i] = trimmed(proc)
		}
		slices.SortFunc(e.procs, func(a, b collector.Process) int { return a.PID - b.PID })
		e.procsAt, e.hasTable = p.Time, true
	}
	for _, ev := range p.Events {
		ev.Process = trimmed(ev.Process)
		e.events.push(ev)
		if p.Table == nil && e.hasTable {
			e.procs = applyEvent(e.procs, ev)
		}
	}
	if p.Table == nil && e.hasTable && p.Time.After(e.procsAt) {
		e.procsAt = p.Time
	}
}

// applyEvent adds a born process to table (ordered by pid), replacing one
// with its pid, or removes a dead one, if it is the same process.
func applyEvent(table []collector.Process, ev collector.ProcessEvent) []collector.Process {
	i, found := slices.BinarySearchFunc(table, ev.Process.PID, func(p collector.Process, pid int) int { return p.PID - pid })
	switch {
	case ev.Kind == collector.ProcessBirth && found:
		table[i] = ev.Process
	case ev.Kind == collector.ProcessBirth:
		table = slices.Insert(table, i, ev.Process)
	case ev.Kind == collector.ProcessDeath && found && table[i].Start.Equal(ev.Process.Start):
		table = slices.Delete(table, i, i+1)
	}
	return table
}

// trimmed returns p with its command line cut to MaxCmdline bytes, on a
// UTF-8 boundary.
func trimmed(p collector.Process) collector.Process {
	if len(p.Cmdline) > MaxCmdline {
		p.Cmdline = strings.ToValidUTF8(strings.Clone(p.Cmdline[:MaxCmdline]), "")
	}
	return p
}
