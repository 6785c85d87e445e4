package mute

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"slices"
	"sync"
	"time"
)

// DefaultKeepExpired is how long an expired silence stays listed (for
// "silence this again") before Prune drops it.
const DefaultKeepExpired = 24 * time.Hour

// Silences holds the silences, backed by a SilenceStore: every change is
// stored before it takes effect, so a silence survives a restart. It is
// safe for concurrent use.
type Silences struct {
	store SilenceStore
	now   func() time.Time
	keep  time.Duration

	mu  sync.RWMutex // protects the field below
	all map[string]Silence
}

// NewSilences loads the stored silences. now is the clock that decides
// what has expired (time.Now in production); keepExpired is how long an
// expired silence is kept, DefaultKeepExpired if zero.
func NewSilences(ctx context.Context, store SilenceStore, now func() time.Time, keepExpired time.Duration) (*Silences, error) {
	s := &Silences{store: store, now: now, keep: cmp.Or(keepExpired, DefaultKeepExpired)}
	if err := s.Reload(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Reload replaces the silences held with those in the store, such as
// after another node changed them.
func (s *Silences) Reload(ctx context.Context) error {
	list, err := s.store.Load(ctx)
	if err != nil {
		return fmt.Errorf("loading silences: %w", err)
	}
	all := make(map[string]Silence, len(list))
	for _, sil := range list {
		for i, m := range sil.Matchers { // compile in case a store kept only the fields
			if nm, err := NewMatcher(m.Name, m.Op, m.Value); err == nil {
				sil.Matchers[i] = nm
			}
		}
		all[sil.ID] = sil
	}
	s.mu.Lock()
	s.all = all
	s.mu.Unlock()
	return nil
}

// Add validates sil, gives it a new id and stores it; the id sil has, if
// any, is ignored. A StartsAt that is missing or past becomes now. It
// refuses (with an error wrapping ErrInvalid) a silence without matchers,
// without an EndsAt after StartsAt, or one that would already be
// expired. It returns the silence as stored.
func (s *Silences) Add(ctx context.Context, sil Silence) (Silence, error) {
	sil, err := normalize(sil, s.now())
	if err != nil {
		return Silence{}, err
	}
	sil.ID = rand.Text()
	if err := s.put(ctx, sil); err != nil {
		return Silence{}, err
	}
	return sil, nil
}

// Expire ends the silence id now (a pending one too, which then never
// starts) and returns it as stored. It returns an error wrapping
// ErrNotFound or ErrExpired when there is nothing to end.
func (s *Silences) Expire(ctx context.Context, id string) (Silence, error) {
	now := s.now()
	sil, ok := s.Get(id)
	switch {
	case !ok:
		return Silence{}, fmt.Errorf("expiring silence %s: %w", id, ErrNotFound)
	case sil.State(now) == StateExpired:
		return Silence{}, fmt.Errorf("expiring silence %s: %w", id, ErrExpired)
	}
	if sil.StartsAt.After(now) {
		sil.StartsAt = now
	}
	sil.EndsAt = now
	if err := s.put(ctx, sil); err != nil {
		return Silence{}, err
	}
	return sil, nil
}

func (s *Silences) put(ctx context.Context, sil Silence) error {
	if err := s.store.Put(ctx, sil); err != nil {
		return fmt.Errorf("storing silence %s: %w", sil.ID, err)
	}
	s.mu.Lock()
	s.all[sil.ID] = sil
	s.mu.Unlock()
	return nil
}

// Get returns the silence id, expired or not, while it is kept.
func (s *Silences) Get(id string) (Silence, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sil, ok := s.all[id]
	return sil, ok
}

// List returns the active and pending silences, those ending first
// first.
func (s *Silences) List() []Silence {
	now := s.now()
	return s.filter(func(sil Silence) bool { return sil.State(now) != StateExpired })
}

// Expired returns the expired silences still kept, the last to end
// first.
func (s *Silences) Expired() []Silence {
	now := s.now()
	out := s.filter(func(sil Silence) bool { return sil.State(now) == StateExpired })
	slices.Reverse(out)
	return out
}

// filter returns the silences keep accepts, ordered by EndsAt then ID.
func (s *Silences) filter(keep func(Silence) bool) []Silence {
	s.mu.RLock()
	out := make([]Silence, 0, len(s.all))
	for _, sil := range s.all {
		if keep(sil) {
			out = append(out, sil)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b Silence) int {
		return cmp.Or(a.EndsAt.Compare(b.EndsAt), cmp.Compare(a.ID, b.ID))
	})
	return out
}

// Prune drops the silences that expired more than the keep time ago, from
// the store and from memory. The caller runs it now and then (hourly is
// plenty); a silence that fails to be deleted stays for the next run.
func (s *Silences) Prune(ctx context.Context) error {
	cutoff := s.now().Add(-s.keep)
	for _, sil := range s.Expired() {
		if sil.EndsAt.After(cutoff) {
			continue
		}
		if err := s.store.Delete(ctx, sil.ID); err != nil {
			return fmt.Errorf("dropping silence %s: %w", sil.ID, err)
		}
		s.mu.Lock()
		delete(s.all, sil.ID)
		s.mu.Unlock()
	}
	return nil
}

// Muted reports whether an active silence at t.Time matches t. When
// several do, the one that ends last is the reason; Detail is its
// comment.
func (s *Silences) Muted(t Target) (Reason, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var best Silence
	found := false
	for _, sil := range s.all {
		if sil.State(t.Time) != StateActive || !sil.Matches(t) {
			continue
		}
		if !found || sil.EndsAt.After(best.EndsAt) || sil.EndsAt.Equal(best.EndsAt) && sil.ID < best.ID {
			best, found = sil, true
		}
	}
	if !found {
		return Reason{}, false
	}
	return Reason{Kind: KindSilence, ID: best.ID, Until: best.EndsAt, Detail: best.Comment}, true
}
