package collector

import (
	"github.com/picket-monitor/picket/internal/registry"
)

// Type is one kind of collector: its name in the agent's config and how to
// make it.
type Type struct {
	Name    string
	Summary string
	New     func(Paths) Collector
}

// registry is the one list of collectors, all enabled unless the agent's
// config disables them. Adding a collector means adding its files and one
// line here.
var types = registry.New("collector", func(t Type) string { return t.Name },
	Type{Name: "cpu", Summary: "CPU time by mode, total and per core, in percent", New: NewCPU},
	Type{Name: "memory", Summary: "memory and swap in bytes", New: NewMemory},
	Type{Name: "filesystem", Summary: "space and inodes of real filesystems", New: NewFilesystem},
	Type{Name: "diskio", Summary: "disk reads, writes and busy time", New: NewDiskIO},
	Type{Name: "network", Summary: "bytes, packets, errors and drops per interface", New: NewNetwork},
	Type{Name: "load", Summary: "load average over 1, 5 and 15 minutes", New: NewLoad},
	Type{Name: "uptime", Summary: "seconds since boot", New: NewUptime},
	Type{Name: "process", Summary: "processes by name: count, CPU and memory", New: NewProcess},
	Type{Name: "sensors", Summary: "hardware temperatures from the kernel's monitors", New: NewSensors},
	Type{Name: "systemd", Summary: "state of systemd services, timers and mounts", New: NewSystemd},
)

// Lookup returns the type with the given name.
func Lookup(name string) (Type, bool) { return types.Lookup(name) }

// Names returns the registered type names, sorted.
func Names() []string { return types.Names() }
