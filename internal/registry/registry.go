// Package registry is the mechanism behind Picket's lists of extension
// types: probes, notification channels and agent collectors each keep
// their one list in one file and look types up by name through it.
package registry

import (
	"fmt"
	"sort"
)

// Registry holds one kind's types by name.
type Registry[T any] struct {
	byName map[string]T
	names  []string // sorted
}

// New returns a registry of items, named by name. A name given twice
// panics at start with kind in the message ("probe type"), since two
// types under one name is a programming error.
func New[T any](kind string, name func(T) string, items ...T) *Registry[T] {
	r := &Registry[T]{byName: make(map[string]T, len(items))}
	for _, it := range items {
		n := name(it)
		if _, dup := r.byName[n]; dup {
			panic(fmt.Sprintf("%s %q registered twice", kind, n))
		}
		r.byName[n] = it
		r.names = append(r.names, n)
	}
	sort.Strings(r.names)
	return r
}

// Lookup returns the type with the given name.
func (r *Registry[T]) Lookup(name string) (T, bool) {
	t, ok := r.byName[name]
	return t, ok
}

// Names returns the registered names, sorted; the slice is the caller's.
func (r *Registry[T]) Names() []string { return append([]string(nil), r.names...) }
