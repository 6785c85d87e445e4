package mute_test

import (
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/probe"
)

// Putting the muters together, as the incident manager sees them: one
// Muter to ask before notifying.
func ExampleChain() {
	maintenance, err := mute.NewMaintenance([]mute.Window{{
		ID: "sunday-patching", Cron: "0 2 * * SUN", Duration: 2 * time.Hour,
		Timezone: "Europe/Berlin", Match: mute.Match{Labels: map[string]string{"env": "prod"}},
	}})
	if err != nil {
		panic(err)
	}
	deps := mute.NewDependencies(map[string][]string{"billing-api": {"edge-router"}})
	muter := mute.Chain(maintenance, deps)

	labels := map[string]string{"env": "prod"}
	sunday := time.Date(2026, 3, 22, 1, 30, 0, 0, time.UTC) // 02:30 in Berlin
	r, muted := muter.Muted(mute.Target{Check: "billing-api", Labels: labels, Time: sunday})
	fmt.Println(muted, r.Kind, r.ID, r.Until.Format(time.RFC3339)) // in the window's zone

	deps.SetHard("edge-router", probe.StatusDown)
	r, muted = muter.Muted(mute.Target{Check: "billing-api", Labels: labels, Time: sunday.Add(24 * time.Hour)})
	fmt.Println(muted, r.Kind, r.ID)
	// Output:
	// true maintenance sunday-patching 2026-03-22T04:00:00+01:00
	// true unreachable edge-router
}
