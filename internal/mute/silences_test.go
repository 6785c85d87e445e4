package mute

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/picket-monitor/picket/internal/schedule/schedtest"
)

var silT0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

func matchers(t *testing.T, ss ...string) []Matcher {
	t.Helper()
	out := make([]Matcher, len(ss))
	for i, s := range ss {
		m, err := ParseMatcher(s)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = m
	}
	return out
}

func newSilences(t *testing.T, store SilenceStore) (*Silences, *schedtest.Clock) {
	t.Helper()
	clock := schedtest.NewClock(silT0, nil)
	s, err := NewSilences(t.Context(), store, clock.Now, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s, clock
}

func add(t *testing.T, s *Silences, sil Silence) Silence {
	t.Helper()
	got, err := s.Add(t.Context(), sil)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return got
}

func TestSilencesAdd(t *testing.T) {
	hour := silT0.Add(time.Hour)
	tests := []struct {
		name       string
		sil        Silence
		wantFields []string
		wantStart  time.Time
	}{
		{"ok, starts now", Silence{Matchers: matchers(t, "check=web"), EndsAt: hour}, nil, silT0},
		{"past start becomes now", Silence{Matchers: matchers(t, "check=web"), StartsAt: silT0.Add(-time.Hour), EndsAt: hour}, nil, silT0},
		{"future start kept", Silence{Matchers: matchers(t, "check=web"), StartsAt: silT0.Add(time.Minute), EndsAt: hour}, nil, silT0.Add(time.Minute)},
		{"no matchers", Silence{EndsAt: hour}, []string{"matchers"}, time.Time{}},
		{"bad matcher made in code", Silence{Matchers: []Matcher{{Name: "team", Op: "~", Value: "x"}}, EndsAt: hour},
			[]string{"matchers[0]"}, time.Time{}},
		{"no end", Silence{Matchers: matchers(t, "check=web")}, []string{"ends_at"}, time.Time{}},
		{"already expired", Silence{Matchers: matchers(t, "check=web"), EndsAt: silT0}, []string{"ends_at"}, time.Time{}},
		{"ends before it starts", Silence{Matchers: matchers(t, "check=web"), StartsAt: hour.Add(time.Hour), EndsAt: hour},
			[]string{"ends_at"}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newMemStore()
			s, _ := newSilences(t, store)
			got, err := s.Add(t.Context(), tt.sil)
			if tt.wantFields != nil {
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("Add error = %v, want ErrInvalid", err)
				}
				if diff := cmp.Diff(tt.wantFields, fields(err)); diff != "" {
					t.Errorf("fields (-want +got):\n%s", diff)
				}
				if len(store.ids()) != 0 {
					t.Error("a refused silence was stored")
				}
				return
			}
			if err != nil {
				t.Fatalf("Add: %v", err)
			}
			if got.ID == "" || !got.StartsAt.Equal(tt.wantStart) {
				t.Errorf("Add = id %q starts %s; want an id, starts %s", got.ID, got.StartsAt, tt.wantStart)
			}
			if diff := cmp.Diff([]string{got.ID}, store.ids()); diff != "" {
				t.Errorf("stored ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSilencesMuted(t *testing.T) {
	s, _ := newSilences(t, newMemStore())
	web := add(t, s, Silence{Matchers: matchers(t, "check=web"), EndsAt: silT0.Add(time.Hour), Comment: "deploy"})
	pay := add(t, s, Silence{Matchers: matchers(t, "team=~pay.*", "env!=staging"), EndsAt: silT0.Add(2 * time.Hour), Comment: "payments migration"})
	later := add(t, s, Silence{Matchers: matchers(t, "check=db"), StartsAt: silT0.Add(time.Hour), EndsAt: silT0.Add(3 * time.Hour)})
	payments := map[string]string{"team": "payments", "env": "prod"}
	tests := []struct {
		name   string
		target Target
		want   Reason
		muted  bool
	}{
		{"check id", Target{Check: "web", Time: silT0}, Reason{Kind: KindSilence, ID: web.ID, Until: web.EndsAt, Detail: "deploy"}, true},
		{"other check", Target{Check: "api", Time: silT0}, Reason{}, false},
		{"labels, all matchers", Target{Check: "api", Labels: payments, Time: silT0},
			Reason{Kind: KindSilence, ID: pay.ID, Until: pay.EndsAt, Detail: "payments migration"}, true},
		{"labels, one matcher fails", Target{Check: "api", Labels: map[string]string{"team": "payments", "env": "staging"}, Time: silT0}, Reason{}, false},
		{"two match: the one ending last", Target{Check: "web", Labels: payments, Time: silT0},
			Reason{Kind: KindSilence, ID: pay.ID, Until: pay.EndsAt, Detail: "payments migration"}, true},
		{"at its end", Target{Check: "web", Time: web.EndsAt}, Reason{}, false},
		{"just before its end", Target{Check: "web", Time: web.EndsAt.Add(-time.Nanosecond)},
			Reason{Kind: KindSilence, ID: web.ID, Until: web.EndsAt, Detail: "deploy"}, true},
		{"pending", Target{Check: "db", Time: later.StartsAt.Add(-time.Nanosecond)}, Reason{}, false},
		{"at its start", Target{Check: "db", Time: later.StartsAt}, Reason{Kind: KindSilence, ID: later.ID, Until: later.EndsAt}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, muted := s.Muted(tt.target)
			if muted != tt.muted || !cmp.Equal(got, tt.want) {
				t.Errorf("Muted = %+v, %v; want %+v, %v", got, muted, tt.want, tt.muted)
			}
		})
	}
}

func ids(list []Silence) []string {
	out := []string{}
	for _, s := range list {
		out = append(out, s.ID)
	}
	return out
}

// TestSilencesLifecycle moves the injected clock through a silence's life:
// pending, active, expired and kept, then dropped.
func TestSilencesLifecycle(t *testing.T) {
	store := newMemStore()
	s, clock := newSilences(t, store)
	a := add(t, s, Silence{Matchers: matchers(t, "check=web"), StartsAt: silT0.Add(10 * time.Minute), EndsAt: silT0.Add(time.Hour)})
	b := add(t, s, Silence{Matchers: matchers(t, "check=db"), EndsAt: silT0.Add(30 * time.Minute)})
	steps := []struct {
		name         string
		advance      time.Duration
		stateA       string
		list, exp    []string
		storedAfterP []string // stored ids after Prune
	}{
		{"start", 0, StatePending, []string{b.ID, a.ID}, []string{}, nil},
		{"a starts", 10 * time.Minute, StateActive, []string{b.ID, a.ID}, []string{}, nil},
		{"b ends", 20 * time.Minute, StateActive, []string{a.ID}, []string{b.ID}, nil},
		{"a ends", 30 * time.Minute, StateExpired, []string{}, []string{a.ID, b.ID}, nil},
		{"b kept for a day", 23 * time.Hour, StateExpired, []string{}, []string{a.ID, b.ID}, []string{a.ID, b.ID}},
		{"b dropped", 45 * time.Minute, StateExpired, []string{}, []string{a.ID}, []string{a.ID}},
		{"a dropped a day after its end", 15 * time.Minute, "", []string{}, []string{}, []string{}},
	}
	for _, st := range steps {
		clock.Advance(st.advance)
		if err := s.Prune(t.Context()); err != nil {
			t.Fatalf("%s: Prune: %v", st.name, err)
		}
		got, kept := s.Get(a.ID)
		if state := got.State(clock.Now()); kept != (st.stateA != "") || kept && state != st.stateA {
			t.Errorf("%s: a kept %v, state %s; want %q", st.name, kept, state, st.stateA)
		}
		if diff := cmp.Diff(st.list, ids(s.List())); diff != "" {
			t.Errorf("%s: List (-want +got):\n%s", st.name, diff)
		}
		if diff := cmp.Diff(st.exp, ids(s.Expired())); diff != "" {
			t.Errorf("%s: Expired (-want +got):\n%s", st.name, diff)
		}
		if st.storedAfterP != nil {
			if diff := cmp.Diff(st.storedAfterP, store.ids(), cmpopts.EquateEmpty(),
				cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
				t.Errorf("%s: stored (-want +got):\n%s", st.name, diff)
			}
		}
	}
}

func TestSilencesExpire(t *testing.T) {
	s, clock := newSilences(t, newMemStore())
	active := add(t, s, Silence{Matchers: matchers(t, "check=web"), EndsAt: silT0.Add(time.Hour)})
	pending := add(t, s, Silence{Matchers: matchers(t, "check=db"), StartsAt: silT0.Add(time.Hour), EndsAt: silT0.Add(2 * time.Hour)})
	clock.Advance(time.Minute)
	now := clock.Now()
	tests := []struct {
		name    string
		id      string
		wantErr error
	}{
		{"active", active.ID, nil},
		{"pending never starts", pending.ID, nil},
		{"already expired", active.ID, ErrExpired},
		{"unknown", "nope", ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Expire(t.Context(), tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Expire error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if !got.EndsAt.Equal(now) || got.StartsAt.After(now) || got.State(now) != StateExpired {
				t.Errorf("Expire = %+v; want it ended at %s", got, now)
			}
		})
	}
	if _, muted := s.Muted(Target{Check: "db", Time: silT0.Add(90 * time.Minute)}); muted {
		t.Error("an expired pending silence still mutes later")
	}
}

func TestSilencesStoreFails(t *testing.T) {
	store := newMemStore()
	s, _ := newSilences(t, store)
	store.fail = errors.New("bucket gone")
	_, err := s.Add(t.Context(), Silence{Matchers: matchers(t, "check=web"), EndsAt: silT0.Add(time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "bucket gone") {
		t.Fatalf("Add error = %v, want the store's", err)
	}
	if got := s.List(); len(got) != 0 {
		t.Errorf("List = %v; a silence that was not stored took effect", got)
	}
	if _, err := NewSilences(t.Context(), store, time.Now, 0); err == nil {
		t.Error("NewSilences with a failing store succeeded")
	}
}

// TestSilenceJSON decodes the body the API takes (POST /api/v1/silences)
// and encodes a stored silence.
func TestSilenceJSON(t *testing.T) {
	body := `{"matchers": ["check=web", "team=~pay.*"], "ends_at": "2026-05-04T12:00:00Z", "comment": "deploy"}`
	var sil Silence
	if err := json.Unmarshal([]byte(body), &sil); err != nil {
		t.Fatal(err)
	}
	want := Silence{Matchers: matchers(t, "check=web", "team=~pay.*"), EndsAt: utc(t, "2026-05-04T12:00:00Z"), Comment: "deploy"}
	if diff := cmp.Diff(want, sil); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	sil.ID, sil.StartsAt, sil.CreatedBy = "ABC", utc(t, "2026-05-04T10:00:00Z"), "ana"
	out, err := json.Marshal(sil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"id":"ABC","matchers":["check=web","team=~pay.*"],"starts_at":"2026-05-04T10:00:00Z","ends_at":"2026-05-04T12:00:00Z","created_by":"ana","comment":"deploy"}`
	if string(out) != wantJSON {
		t.Errorf("Marshal =\n%s\nwant\n%s", out, wantJSON)
	}
}
