package registry

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := New("test type", func(s string) string { return s }, "b", "a")
	if got := r.Names(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("Names = %v", got)
	}
	r.Names()[0] = "x" // the caller's copy
	if v, ok := r.Lookup("a"); !ok || v != "a" {
		t.Errorf("Lookup(a) = %q, %v", v, ok)
	}
	if _, ok := r.Lookup("x"); ok {
		t.Error("Lookup(x) found something")
	}
	defer func() {
		if got := recover(); got != `test type "a" registered twice` {
			t.Errorf("panic = %v", got)
		}
	}()
	New("test type", func(s string) string { return s }, "a", "a")
}
