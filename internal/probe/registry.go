package probe

import (
	"github.com/picket-monitor/picket/internal/registry"
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
var types = registry.New("probe type", func(t Type) string { return t.Name },
	Type{Name: "http", Summary: "HTTP(S) request: status, body, JSON fields, certificate expiry", New: func() Settings { return newHTTPSettings() }},
	Type{Name: "tcp", Summary: "TCP connect, optionally over TLS, with an optional send and expected reply", New: func() Settings { return newTCPSettings() }},
	Type{Name: "icmp", Summary: "ICMP echo (ping): loss and round-trip time over several requests", New: func() Settings { return newICMPSettings() }},
	Type{Name: "dns", Summary: "DNS query: rcode and answers", New: func() Settings { return newDNSSettings() }},
	Type{Name: "tls", Summary: "TLS certificate: chain, host name and days until expiry", New: func() Settings { return newTLSSettings() }},
)

// Lookup returns the type with the given name.
func Lookup(name string) (Type, bool) { return types.Lookup(name) }

// Names returns the registered type names, sorted.
func Names() []string { return types.Names() }
