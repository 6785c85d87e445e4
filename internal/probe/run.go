package probe

import (
	"context"
	"fmt"
	"time"
)

// Result is one run of a probe as the harness saw it.
type Result struct {
	Start    time.Time
	Duration time.Duration
	Status   Status
	Reason   string
	Metrics  []Metric
}

// Limits are the harness's rules for one run.
type Limits struct {
	// Timeout bounds the run; zero means no bound beyond ctx.
	Timeout time.Duration
	// DegradedOver turns an up result that took longer than this into a
	// degraded one; zero disables it.
	DegradedOver time.Duration
}

// Run runs p once under the limits, timing it and recovering a panic into a
// down result, so that one broken probe cannot take the scheduler with it.
// now is the clock used for Start and Duration.
func Run(ctx context.Context, p Prober, lim Limits, now func() time.Time) (res Result) {
	if lim.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	var rep Report
	res.Start = now()
	defer func() {
		if v := recover(); v != nil {
			res.Duration = now().Sub(res.Start)
			res.Status = StatusDown
			res.Reason = fmt.Sprintf("probe panicked: %v", v)
			res.Metrics = nil
		}
	}()
	err := p.Probe(ctx, &rep)
	res.Duration = now().Sub(res.Start)
	res.Metrics = rep.Metrics
	res.Status = StatusOf(err)
	switch {
	case err != nil && ctx.Err() == context.DeadlineExceeded && lim.Timeout > 0:
		res.Reason = fmt.Sprintf("timed out after %s: %v", lim.Timeout, err)
	case err != nil:
		res.Reason = err.Error()
	case lim.DegradedOver > 0 && res.Duration > lim.DegradedOver:
		res.Status = StatusDegraded
		res.Reason = fmt.Sprintf("slow: took %s, over %s", res.Duration.Round(time.Millisecond), lim.DegradedOver)
	default:
		res.Reason = rep.Detail
	}
	return res
}
