package collector

import (
	"fmt"
	"sort"
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
var registry = newRegistry(
	Type{Name: "cpu", Summary: "CPU time by mode, total and per core, in percent", New: NewCPU},
	Type{Name: "memory", Summary: "memory and swap in bytes", New: NewMemory},
	Type{Name: "filesystem", Summary: "space and inodes of real filesystems", New: NewFilesystem},
	Type{Name: "diskio", Summary: "disk reads, writes and busy time", New: NewDiskIO},
	Type{Name: "network", Summary: "bytes, packets, errors and drops per interface", New: NewNetwork},
	Type{Name: "load", Summary: "load average over 1, 5 and 15 minutes", New: NewLoad},
	Type{Name: "uptime", Summary: "seconds since boot", New: NewUptime},
	Type{Name: "process", Summary: "processes by name: count, CPU and memory", New: NewProcess},
	Type{Name: "systemd", Summary: "state of systemd services, timers and mounts", New: NewSystemd},
)

func newRegistry(types ...Type) map[string]Type {
	m := make(map[string]Type, len(types))
	for _, t := range types {
		if _, dup := m[t.Name]; dup {
			panic(fmt.Sprintf("collector: %q registered twice", t.Name))
		}
		m[t.Name] = t
	}
	return m
}

// Lookup returns the collector type with the given name.
func Lookup(name string) (Type, bool) {
	t, ok := registry[name]
	return t, ok
}

// Names returns the registered names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
