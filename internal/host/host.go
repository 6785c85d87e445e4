// Package host keeps what the server knows about each host that runs an
// agent: what the agent said when it connected, when it was last heard
// from and whether that is recent enough to call it up, its key figures
// (CPU, memory, load, the fullest disk) from the latest metrics, its
// current process table and a bounded history of process births and
// deaths. The Registry is fed by ingest and read by the API; its view
// types carry the JSON the API returns. Everything is in memory: after a
// restart a host is known again at its agent's next message.
package host

import (
	"time"

	"github.com/picket-monitor/picket/internal/agent/collector"
	"github.com/picket-monitor/picket/internal/agent/proto"
)

// Figures are a host's key figures, each from its latest sample; null
// (nil) until a batch carried it.
type Figures struct {
	// CPUPercent is the time all cores were busy: 100 minus idle, of
	// picket_host_cpu_percent{cpu="all"}.
	CPUPercent *float64 `json:"cpu_percent"`
	// MemoryPercent is memory used (total minus available) over total.
	MemoryPercent *float64 `json:"memory_used_percent"`
	Load1         *float64 `json:"load1"`
	// DiskPercent is the use of the fullest filesystem, as df shows it:
	// used over used plus available to unprivileged users; DiskMount is
	// its mount point.
	DiskPercent *float64   `json:"disk_used_percent"`
	DiskMount   string     `json:"disk_mountpoint,omitempty"`
	Time        *time.Time `json:"time"` // of the newest sample among them
}

// The statuses of a host.
const (
	StatusUp      = "up"      // its agent reported within the grace period
	StatusDown    = "down"    // it did not
	StatusUnknown = "unknown" // never heard from, and the grace period since it was listed is not over
)

// Host is what GET /api/v1/hosts shows of one host.
type Host struct {
	ID string `json:"id"`
	// Name is the hostname the agent gave, or the id before its hello.
	Name string `json:"name"`
	// Status is StatusUp, StatusDown or StatusUnknown; Connected is
	// Status == StatusUp, and Since when Status began (null while unknown).
	Status         string     `json:"status"`
	Connected      bool       `json:"connected"`
	Since          *time.Time `json:"since"`
	LastSeen       *time.Time `json:"last_seen"` // null: not since the server started
	proto.HostInfo            // flattened: hostname, os, kernel, arch, cores, collectors, agent_version
	HelloAt        *time.Time `json:"hello_at"` // the latest hello
	Figures        Figures    `json:"figures"`
	LastSeq        uint64     `json:"last_seq"`  // of the latest batch stored
	Processes      int        `json:"processes"` // in the current table
	// LastError is the latest message of the agent that was refused.
	LastError *Problem `json:"last_error,omitempty"`
}

// Problem is a refused message: when, and the counted reason.
type Problem struct {
	Time   time.Time `json:"time"`
	Reason string    `json:"reason"`
}

// ProcessTable is a host's current process table, ordered by pid.
type ProcessTable struct {
	Host      string              `json:"host"`
	Time      *time.Time          `json:"time"` // of the scan; null: no table yet
	Processes []collector.Process `json:"processes"`
}

// Event is a process birth or death with its position in the host's
// history: Seq grows by one per event and starts at 1 when the server
// starts.
type Event struct {
	Seq uint64 `json:"seq"`
	collector.ProcessEvent
}
