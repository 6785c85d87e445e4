package probe

import (
	"fmt"
	"sort"
)

// Type describes one kind of probe: its name in config and how to make
// fresh settings for it.
type Type struct {
	Name string
	// Summary is one line for `picket check --help` and docs.
	Summary string
	// New returns settings filled with their defaults.
	New func() Settings
}

// registry is the one list of probe types. Adding a probe means adding its
// file and one line here.
var registry = newRegistry(
	Type{Name: "http", Summary: "HTTP(S) request: status, body, JSON fields, certificate expiry", New: func() Settings { return newHTTPSettings() }},
	Type{Name: "tcp", Summary: "TCP connect, optionally over TLS, with an optional send and expected reply", New: func() Settings { return newTCPSettings() }},
	Type{Name: "icmp", Summary: "ICMP echo (ping): loss and round-trip time over several requests", New: func() Settings { return newICMPSettings() }},
	Type{Name: "dns", Summary: "DNS query: rcode and answers", New: func() Settings { return newDNSSettings() }},
	Type{Name: "tls", Summary: "TLS certificate: chain, host name and days until expiry", New: func() Settings { return newTLSSettings() }},
)

func newRegistry(types ...Type) map[string]Type {
	m := make(map[string]Type, len(types))
	for _, t := range types {
		if _, dup := m[t.Name]; dup {
			panic(fmt.Sprintf("probe: type %q registered twice", t.Name))
		}
		m[t.Name] = t
	}
	return m
}

// Lookup returns the probe type with the given name.
func Lookup(name string) (Type, bool) {
	t, ok := registry[name]
	return t, ok
}

// Names returns the registered type names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
