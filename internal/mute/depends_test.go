package mute

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/picket-monitor/picket/internal/probe"
)

const (
	down     = probe.StatusDown
	degraded = probe.StatusDegraded
	up       = probe.StatusUp
)

// TestDependencies walks a chain router → switch → web (web depends on
// switch, switch on router) and a second child of the router through a
// sequence of hard statuses.
func TestDependencies(t *testing.T) {
	d := NewDependencies(map[string][]string{
		"web":    {"switch"},
		"switch": {"router"},
		"mail":   {"router"},
		"router": nil,
	})
	unreachable := func(parent string) Reason {
		return Reason{Kind: KindUnreachable, ID: parent, Detail: parent + " is down"}
	}
	steps := []struct {
		name     string
		set      map[string]probe.Status
		muted    map[string]Reason // checks muted; the others are not
		children map[string][]string
	}{
		{name: "all unknown"},
		{name: "all up", set: map[string]probe.Status{"router": up, "switch": up, "web": up, "mail": up}},
		{name: "router degraded mutes nothing", set: map[string]probe.Status{"router": degraded}},
		{
			name:     "router down mutes its descendants",
			set:      map[string]probe.Status{"router": down},
			muted:    map[string]Reason{"switch": unreachable("router"), "web": unreachable("router"), "mail": unreachable("router")},
			children: map[string][]string{"router": nil}, // the children are still up
		},
		{
			name:     "children fail too: listed for the router",
			set:      map[string]probe.Status{"web": down, "mail": degraded},
			muted:    map[string]Reason{"switch": unreachable("router"), "web": unreachable("router"), "mail": unreachable("router")},
			children: map[string][]string{"router": {"mail", "web"}, "web": nil},
		},
		{
			name:     "switch down: web's nearest down ancestor, still the router's",
			set:      map[string]probe.Status{"switch": down},
			muted:    map[string]Reason{"switch": unreachable("router"), "web": unreachable("switch"), "mail": unreachable("router")},
			children: map[string][]string{"router": {"mail", "switch", "web"}, "switch": {"web"}},
		},
		{
			name:     "router recovers: only the switch's child stays muted",
			set:      map[string]probe.Status{"router": up},
			muted:    map[string]Reason{"web": unreachable("switch")},
			children: map[string][]string{"router": nil, "switch": {"web"}},
		},
		{
			name:     "switch degraded: nothing muted",
			set:      map[string]probe.Status{"switch": degraded},
			children: map[string][]string{"switch": nil},
		},
	}
	for _, st := range steps {
		for c, s := range st.set {
			d.SetHard(c, s)
		}
		for _, c := range []string{"router", "switch", "web", "mail", "unknown-check"} {
			got, muted := d.Muted(Target{Check: c})
			want, wantMuted := st.muted[c]
			if muted != wantMuted || got != want {
				t.Errorf("%s: Muted(%s) = %+v, %v; want %+v, %v", st.name, c, got, muted, want, wantMuted)
			}
		}
		for parent, want := range st.children {
			if diff := cmp.Diff(want, d.Children(parent), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s: Children(%s) (-want +got):\n%s", st.name, parent, diff)
			}
		}
	}
}

func TestDependenciesNearest(t *testing.T) {
	// app depends on db and lb; db on storage; lb on edge.
	graph := map[string][]string{"app": {"db", "lb"}, "db": {"storage"}, "lb": {"edge"}}
	tests := []struct {
		name string
		down []string
		want string // the reason's ID for app; "" for not muted
	}{
		{"none down", nil, ""},
		{"grandparent", []string{"edge"}, "edge"},
		{"parent before grandparent", []string{"storage", "lb"}, "lb"},
		{"two parents: depends_on order", []string{"lb", "db"}, "db"},
		{"two grandparents: depends_on order", []string{"edge", "storage"}, "storage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewDependencies(graph)
			for _, c := range tt.down {
				d.SetHard(c, down)
			}
			r, muted := d.Muted(Target{Check: "app"})
			if muted != (tt.want != "") || r.ID != tt.want {
				t.Errorf("Muted(app) = %+v, %v; want %q", r, muted, tt.want)
			}
		})
	}
}

func TestDependenciesReload(t *testing.T) {
	d := NewDependencies(map[string][]string{"web": {"router"}})
	d.SetHard("router", down)
	if _, muted := d.Muted(Target{Check: "web"}); !muted {
		t.Fatal("web not muted behind a down router")
	}
	d.SetGraph(map[string][]string{"web": nil, "api": {"router"}})
	if _, muted := d.Muted(Target{Check: "web"}); muted {
		t.Error("web muted after its depends_on was removed")
	}
	if r, muted := d.Muted(Target{Check: "api"}); !muted || r.ID != "router" {
		t.Errorf("Muted(api) = %+v, %v; want muted by the router, whose status was kept", r, muted)
	}
	d.Forget("router")
	if _, muted := d.Muted(Target{Check: "api"}); muted {
		t.Error("api muted by a forgotten check")
	}
}
