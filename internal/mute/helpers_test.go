package mute

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // zone data for the DST tests where the host has none

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/bus/bustest"
	"github.com/picket-monitor/picket/internal/fielderr"
)

// waitFor bounds every wait on the bus in these tests.
const waitFor = 20 * time.Second

// utc parses an RFC 3339 time.
func utc(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return ts.UTC()
}

// valid validates w and fails the test if it is not.
func valid(t *testing.T, w Window) Window {
	t.Helper()
	if err := w.Validate(); err != nil {
		t.Fatalf("Validate(%+v): %v", w, err)
	}
	return w
}

// fields returns the Field of every *fielderr.Error in err, in order.
func fields(err error) []string {
	return slices.DeleteFunc(fielderr.Fields(err), func(f string) bool {
		return f == "?"+ErrInvalid.Error() // the label Silences.Add puts on its field errors
	})
}

// startBus starts a real bus on dir for the test (see bustest.Start).
func startBus(t testing.TB, dir string) *bus.Bus { return bustest.Start(t, dir) }

// testCtx is a context bounded by waitFor and the test.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	t.Cleanup(cancel)
	return ctx
}

// memStore is a SilenceStore in memory; fail makes every call fail.
type memStore struct {
	mu   sync.Mutex
	m    map[string]Silence
	fail error
}

func newMemStore() *memStore { return &memStore{m: make(map[string]Silence)} }

func (s *memStore) Load(context.Context) ([]Silence, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	out := make([]Silence, 0, len(s.m))
	for _, sil := range s.m {
		out = append(out, sil)
	}
	return out, nil
}

func (s *memStore) Put(_ context.Context, sil Silence) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.m[sil.ID] = sil
	return nil
}

func (s *memStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	delete(s.m, id)
	return nil
}

func (s *memStore) ids() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for id := range s.m {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}
