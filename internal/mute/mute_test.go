package mute

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
)

// muteIf mutes the checks it names.
type muteIf map[string]Reason

func (m muteIf) Muted(t Target) (Reason, bool) {
	r, ok := m[t.Check]
	return r, ok
}

func TestChain(t *testing.T) {
	first := muteIf{"web": {Kind: KindMaintenance, ID: "w1"}}
	second := muteIf{"web": {Kind: KindSilence, ID: "s1"}, "db": {Kind: KindSilence, ID: "s2"}}
	tests := []struct {
		name  string
		chain Muter
		check string
		want  Reason
		muted bool
	}{
		{"empty", Chain(), "web", Reason{}, false},
		{"nils skipped", Chain(nil, nil), "web", Reason{}, false},
		{"first that mutes", Chain(first, second), "web", Reason{Kind: KindMaintenance, ID: "w1"}, true},
		{"order matters", Chain(second, first), "web", Reason{Kind: KindSilence, ID: "s1"}, true},
		{"falls through", Chain(nil, first, second), "db", Reason{Kind: KindSilence, ID: "s2"}, true},
		{"none mutes", Chain(first, second), "api", Reason{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, muted := tt.chain.Muted(Target{Check: tt.check})
			if muted != tt.muted || got != tt.want {
				t.Errorf("Muted(%s) = %+v, %v; want %+v, %v", tt.check, got, muted, tt.want, tt.muted)
			}
		})
	}
}

// TestConcurrent exercises every muter from several goroutines at once,
// for the race detector.
func TestConcurrent(t *testing.T) {
	m, err := NewMaintenance([]Window{{ID: "w", Cron: "*/5 * * * *", Duration: time.Minute, Timezone: "Europe/Berlin"}})
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newSilences(t, newMemStore())
	d := NewDependencies(map[string][]string{"c0": {"p"}, "c1": {"p"}})
	chain := Chain(m, s, d)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				target := Target{Check: fmt.Sprintf("c%d", i%2), Time: silT0.Add(time.Duration(i) * time.Minute)}
				chain.Muted(target)
				d.Children("p")
				switch (g + i) % 5 {
				case 0:
					d.SetHard("p", probe.Status(i%4))
				case 1:
					m.Set(m.Windows())
				case 2:
					if _, err := s.Add(t.Context(), Silence{Matchers: matchers(t, "check=c0"), EndsAt: silT0.Add(time.Hour)}); err != nil {
						t.Error(err)
					}
				case 3:
					s.List()
					m.Next(target)
				case 4:
					d.SetGraph(map[string][]string{"c0": {"p"}, "c1": {"p"}})
				}
			}
		})
	}
	wg.Wait()
}
