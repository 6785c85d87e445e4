package rule

// Params tune the state machine of one check. A zero field takes its
// default (see DefaultParams).
type Params struct {
	// Confirm is how many consecutive non-up results make a check hard
	// down or degraded, and how many consecutive results of the other
	// failing outcome turn hard down into hard degraded or back; default 2.
	Confirm int
	// Recover is how many consecutive up results make a failing check hard
	// up; default 1.
	Recover int
	// FlapWindow is how many of the latest results flap detection looks at;
	// default 21. Below 2 the check never flaps.
	FlapWindow int
	// FlapHigh and FlapLow are percent state change thresholds: flapping
	// starts at or above FlapHigh and stops below FlapLow; defaults 30 and
	// 20. A FlapLow above FlapHigh is taken as FlapHigh.
	FlapHigh, FlapLow float64
}

// DefaultParams returns the defaults: confirm 2, recover 1, a window of 21
// results, flapping from 30% and until under 20%.
func DefaultParams() Params {
	return Params{Confirm: 2, Recover: 1, FlapWindow: 21, FlapHigh: 30, FlapLow: 20}
}

// withDefaults fills in the zero (or negative) fields.
func (p Params) withDefaults() Params {
	d := DefaultParams()
	if p.Confirm <= 0 {
		p.Confirm = d.Confirm
	}
	if p.Recover <= 0 {
		p.Recover = d.Recover
	}
	if p.FlapWindow <= 0 {
		p.FlapWindow = d.FlapWindow
	}
	if p.FlapHigh <= 0 {
		p.FlapHigh = d.FlapHigh
	}
	if p.FlapLow <= 0 {
		p.FlapLow = d.FlapLow
	}
	p.FlapLow = min(p.FlapLow, p.FlapHigh)
	return p
}
