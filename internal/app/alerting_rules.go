package app

import (
	"context"

	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/dispatch"
	"github.com/picket-monitor/picket/internal/rule/promrule"
	"github.com/picket-monitor/picket/internal/schedule"
)

// openRules starts the PromQL rules engine: it reads and records through
// the store and hands its alerts' firing and resolving to the incident
// manager, like any check's changes.
func (al *alerting) openRules(ctx context.Context, cfg *config.Config) error {
	states, err := al.app.bus.AlertStates(ctx)
	if err != nil {
		return err
	}
	al.rules = promrule.New(al.app.store, al.app.store, al.incidents.Observe, schedule.RealClock(),
		promrule.Options{States: promrule.NewKVStates(states), Logger: al.app.log.With("part", "rules")})
	if cfg.RuleSet != nil {
		al.rules.Update(cfg.RuleSet)
	}
	return nil
}

// checkInfo describes a check, or an alert instance of a PromQL rule, for
// messages and routing.
func (al *alerting) checkInfo(id string) (dispatch.CheckInfo, bool) {
	if promrule.IsInstanceID(id) {
		name, summary, labels, ok := al.rules.Describe(id)
		return dispatch.CheckInfo{Name: name, Target: summary, Labels: labels}, ok
	}
	c, ok := al.app.catalog.config().Check(id)
	if !ok {
		return dispatch.CheckInfo{}, false
	}
	return dispatch.CheckInfo{Name: c.Name, Target: c.Target, Labels: c.Labels, Notify: c.Notify}, true
}

// labels are a check's labels, or an alert instance's, for muting.
func (al *alerting) labels(id string) map[string]string {
	if promrule.IsInstanceID(id) {
		_, _, labels, _ := al.rules.Describe(id)
		return labels
	}
	return al.app.check(id).Labels
}
