package collector

import (
	"context"
	"errors"
	"testing"
)

// TestRegistryCollectsHere runs every registered collector twice against
// this machine's real /proc: each either measures something or says it has
// nothing to measure here.
func TestRegistryCollectsHere(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			typ, _ := Lookup(name)
			c := typ.New(Paths{})
			var n int
			for range 2 { // rate-based collectors emit from the second round
				err := c.Collect(context.Background(), func(Sample) { n++ })
				if errors.Is(err, ErrNotSupported) {
					t.Skipf("%s: not on this host", name)
				}
				if err != nil {
					t.Fatalf("Collect: %v", err)
				}
			}
			if n == 0 {
				t.Errorf("%s emitted nothing in two rounds", name)
			}
		})
	}
}
