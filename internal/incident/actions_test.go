package incident

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestActionErrors(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, fails("api", 0))
	r.observe(t, fails("web", 0))
	r.observe(t, recovers("web", time.Minute))
	api, web := only(t, r.m, "api").ID, only(t, r.m, "web").ID
	if _, err := r.m.Ack(t.Context(), api, "alice", ""); err != nil {
		t.Fatalf("Ack: %v", err)
	}
	tests := []struct {
		name string
		do   func() error
		want error
		text string // the error says this
	}{
		{"unknown id", func() error { _, err := r.m.Ack(t.Context(), "inc-nope", "bob", ""); return err }, ErrNotFound, `"inc-nope"`},
		{"get unknown id", func() error { _, err := r.m.Get(t.Context(), "inc-nope"); return err }, ErrNotFound, `"inc-nope"`},
		{"ack resolved", func() error { _, err := r.m.Ack(t.Context(), web, "bob", ""); return err }, ErrConflict, "was resolved at"},
		{"ack twice", func() error { _, err := r.m.Ack(t.Context(), api, "bob", ""); return err }, ErrConflict, "already acknowledged by alice"},
		{"resolve resolved", func() error { _, err := r.m.Resolve(t.Context(), web, "bob", ""); return err }, ErrConflict, "already resolved"},
		{"empty note", func() error { _, err := r.m.AddNote(t.Context(), api, "bob", "  "); return err }, ErrInvalid, "note is empty"},
		{"nobody", func() error { _, err := r.m.Resolve(t.Context(), api, "", ""); return err }, ErrInvalid, "must be named"},
		{"huge note", func() error {
			_, err := r.m.AddNote(t.Context(), api, "bob", strings.Repeat("x", maxText+1))
			return err
		}, ErrInvalid, "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
				t.Errorf("got %v, want %v saying %q", err, tt.want, tt.text)
			}
		})
	}
}

func TestManualResolve(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, fails("api", 0))
	r.clock.Set(t0.Add(20 * time.Minute))
	id := only(t, r.m, "api").ID
	inc, err := r.m.Resolve(t.Context(), id, "alice", "fixed the cable")
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	if !inc.Resolved.Equal(t0.Add(20*time.Minute)) || inc.ResolvedBy != "alice" {
		t.Errorf("resolved %v by %q, want at 20m by alice", inc.Resolved, inc.ResolvedBy)
	}
	r.observe(t, recovers("api", 25*time.Minute)) // resolves nothing again
	r.observe(t, fails("api", 30*time.Minute))    // a new failure, a new incident
	want := []said{
		{Kind: "problem", Step: "open", Summary: "down: connection refused"},
		{Kind: "recovery", Step: "resolve", Summary: "resolved by alice after 20m: fixed the cable"},
		{Kind: "problem", Step: "open", Summary: "down: connection refused"},
	}
	ns := r.sink.take()
	if diff := cmp.Diff(want, sayings(ns)); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	l := r.m.List(Filter{Check: "api"})
	if len(l) != 2 || l[0].ID <= l[1].ID || l[0].ID != ns[2].Incident.ID || !l[0].Open() || l[1].Open() {
		t.Errorf("incidents: %+v; want the new one open and first, the old one resolved", l)
	}
	if open := r.m.List(Filter{Open: true}); len(open) != 1 || open[0].ID == id {
		t.Errorf("open incidents: %+v, want only the new one", open)
	}
}

func TestNotes(t *testing.T) {
	r := newRig(t, Options{})
	r.observe(t, fails("api", 0))
	id := only(t, r.m, "api").ID
	r.clock.Set(t0.Add(time.Minute))
	for _, text := range []string{"looking", "it was DNS"} {
		if _, err := r.m.AddNote(t.Context(), id, "alice", text); err != nil {
			t.Fatalf("AddNote: %v", err)
		}
	}
	r.observe(t, recovers("api", 2*time.Minute))
	r.clock.Set(t0.Add(3 * time.Minute))
	if _, err := r.m.AddNote(t.Context(), id, "bob", "post-mortem on Monday"); err != nil {
		t.Fatalf("AddNote on a resolved incident: %v", err)
	}
	inc, err := r.m.Get(t.Context(), id)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	at := t0.Add(time.Minute)
	want := []Entry{
		{Time: at, Kind: EntryNote, Text: "looking", By: "alice"},
		// the same instant once more: a nanosecond later, so the audit log keeps both
		{Time: at.Add(time.Nanosecond), Kind: EntryNote, Text: "it was DNS", By: "alice"},
		{Time: t0.Add(3 * time.Minute), Kind: EntryNote, Text: "post-mortem on Monday", By: "bob"},
	}
	if diff := cmp.Diff(want, inc.Notes()); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
	if kinds := entryKinds(inc.Timeline); !cmp.Equal(kinds, []string{"opened", "note", "note", "recovered", "note"}) {
		t.Errorf("timeline kinds: %v", kinds)
	}
	if got := len(r.sink.take()); got != 2 {
		t.Errorf("notices: got %d, want 2 (open, resolve): notes notify nobody", got)
	}
	if got := len(r.store.audit); got != 5 {
		t.Errorf("audit entries: got %d, want 5:\n%s", got, strings.Join(r.store.audit, "\n"))
	}
}

func entryKinds(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Kind)
	}
	return out
}

func TestList(t *testing.T) {
	r := newRig(t, Options{Keep: time.Hour})
	for i, check := range []string{"a", "b", "c", "d"} {
		r.observe(t, fails(check, time.Duration(i)*time.Minute))
	}
	r.observe(t, recovers("b", 10*time.Minute))
	ids := func(l []Incident) []string {
		var out []string
		for _, inc := range l {
			out = append(out, inc.Check)
		}
		return out
	}
	tests := []struct {
		name string
		f    Filter
		want []string
	}{
		{"all, newest first", Filter{}, []string{"d", "c", "b", "a"}},
		{"open", Filter{Open: true}, []string{"d", "c", "a"}},
		{"check", Filter{Check: "b"}, []string{"b"}},
		{"limit", Filter{Limit: 2}, []string{"d", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ids(r.m.List(tt.f))); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("resolved ones leave the list after Keep, Get still finds them", func(t *testing.T) {
		b := r.m.List(Filter{Check: "b"})[0]
		r.tick(t, 2*time.Hour)
		if got := ids(r.m.List(Filter{})); !cmp.Equal(got, []string{"d", "c", "a"}) {
			t.Errorf("List = %v", got)
		}
		if _, err := r.m.Get(t.Context(), b.ID); err != nil {
			t.Errorf("Get(%s): %v", b.ID, err)
		}
	})
}

// The Manager's methods may be called from several goroutines: the
// evaluator, the reminder loop and the API.
func TestConcurrentUse(t *testing.T) {
	r := newRig(t, Options{})
	var wg sync.WaitGroup
	for g := range 4 {
		check := fmt.Sprintf("c%d", g)
		wg.Go(func() {
			for i := range 20 {
				d := time.Duration(i) * time.Minute
				if err := r.m.Observe(t.Context(), fails(check, 2*d)); err != nil {
					t.Errorf("Observe: %v", err)
				}
				for _, inc := range r.m.List(Filter{Open: true, Check: check}) {
					if _, err := r.m.AddNote(t.Context(), inc.ID, "alice", "note"); err != nil {
						t.Errorf("AddNote: %v", err)
					}
				}
				if err := r.m.Tick(t.Context()); err != nil {
					t.Errorf("Tick: %v", err)
				}
				_ = r.m.NextDue()
				if err := r.m.Observe(t.Context(), recovers(check, 2*d+time.Minute)); err != nil {
					t.Errorf("Observe: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if got := len(r.m.List(Filter{Limit: 1000})); got != 80 {
		t.Errorf("incidents: got %d, want 80", got)
	}
}
