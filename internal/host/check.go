package host

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/picket-monitor/picket/internal/probe"
)

// ErrNoHost is returned (wrapped) by Check for a host the registry does
// not know.
var ErrNoHost = errors.New("no such host")

// Down returns the ids of the hosts down at now, sorted.
func (r *Registry) Down(now time.Time) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ids []string
	for id, e := range r.hosts {
		if s, _ := r.statusLocked(e, now); s == StatusDown {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Check judges host id now, the way a probe does: nil while its agent
// reports (and while it is unknown: the grace period after it was listed
// is not over), an error saying how long it has been silent once that is
// longer than the grace period, and an error wrapping ErrNoHost for a
// host not known.
func (r *Registry) Check(id string) error {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e, ok := r.hosts[id]
	if !ok {
		return fmt.Errorf("host %q: %w", id, ErrNoHost)
	}
	if s, _ := r.statusLocked(e, now); s != StatusDown {
		return nil
	}
	if e.lastSeen.IsZero() {
		return fmt.Errorf("agent has not reported since the server started %s ago (grace %s)",
			round(now.Sub(e.listed)), r.grace)
	}
	return fmt.Errorf("no report from agent for %s (grace %s)", round(now.Sub(e.lastSeen)), r.grace)
}

func round(d time.Duration) time.Duration { return d.Round(time.Second) }

// Prober returns a probe.Prober for host id, so that "is this host's agent
// reporting" is a check like any other: scheduled, confirmed, stored and
// alerted on by the same machinery. It is up while the agent reports
// within the grace period and down after, with the reason from Check. It
// records the seconds since the last report as the metric
// host_last_report_age_seconds.
func (r *Registry) Prober(id string) probe.Prober { return hostProber{r: r, id: id} }

type hostProber struct {
	r  *Registry
	id string
}

func (p hostProber) Probe(ctx context.Context, rep *probe.Report) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := p.r.Check(p.id); err != nil {
		return err
	}
	h, _ := p.r.Host(p.id)
	if h.LastSeen == nil {
		rep.Detail = "waiting for the agent's first report"
		return nil
	}
	age := p.r.now().Sub(*h.LastSeen)
	rep.Set("host_last_report_age_seconds", age.Seconds())
	rep.Detail = fmt.Sprintf("agent reported %s ago", round(age))
	return nil
}
