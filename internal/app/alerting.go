package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/dispatch"
	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/mute"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/rule"
	"github.com/picket-monitor/picket/internal/rule/promrule"
	"github.com/picket-monitor/picket/internal/schedule"
)

// alerting is the chain from check states to notifications: the rule
// evaluator, the incident manager with its muters, dispatch and the
// outbox pipeline. Each part reads the running config through the App's
// catalog, so a reload changes alerting settings without touching checks.
type alerting struct {
	app       *App
	deps      *mute.Dependencies
	maint     *mute.Maintenance
	silences  *mute.Silences
	pipeline  *notify.Pipeline
	dispatch  *dispatch.Dispatcher
	incidents *incident.Manager
	eval      *rule.Evaluator
	rules     *promrule.Engine
	retry     retrier
	channels  chan []string // channel ids for the pipeline's workers, after each reload
}

func (a *App) openAlerting(ctx context.Context, cfg *config.Config) (*alerting, error) {
	al := &alerting{app: a, deps: mute.NewDependencies(dependsOn(cfg)), channels: make(chan []string, 1)}
	al.retry.init(a)
	var err error
	if al.maint, err = mute.NewMaintenance(cfg.Maintenance); err != nil {
		return nil, fmt.Errorf("maintenance windows: %w", err)
	}
	kv, err := mute.NewKVStore(ctx, a.bus)
	if err != nil {
		return nil, err
	}
	if al.silences, err = mute.NewSilences(ctx, kv, time.Now, mute.DefaultKeepExpired); err != nil {
		return nil, err
	}
	al.pipeline = notify.NewPipeline(a.bus, notify.DefaultBackoff, time.Now, a.log.With("part", "notify"))
	al.pipeline.SetNotifiers(notifiers(cfg))
	al.channels <- channelIDs(cfg)
	if al.dispatch, err = dispatch.New(cfg.Alerting, al.dispatchDeps()); err != nil {
		return nil, fmt.Errorf("dispatch: %w", err)
	}
	store, err := incident.NewJetStream(ctx, a.bus)
	if err != nil {
		return nil, err
	}
	al.incidents, err = incident.New(ctx, incident.Options{
		Store: store, Sink: al.send, Policy: al.policy,
		Muter:    mute.Chain(al.maint, al.silences, al.deps),
		Labels:   al.labels,
		Children: al.deps.Children,
	})
	if err != nil {
		return nil, err
	}
	if err := al.openRules(ctx, cfg); err != nil {
		return nil, err
	}
	rs, err := rule.NewBusStore(ctx, a.bus)
	if err != nil {
		return nil, err
	}
	if al.eval, err = rule.NewEvaluator(ctx, rs, al.params, al.incidents.Observe); err != nil {
		return nil, err
	}
	al.seedDependencies(cfg)
	return al, nil
}

func (al *alerting) dispatchDeps() dispatch.Deps {
	a := al.app
	return dispatch.Deps{
		Sender:    al.pipeline,
		Check:     al.checkInfo,
		Parents:   func(id string) []string { return a.check(id).DependsOn },
		FlapStats: al.flapStats,
		Channel:   func(id string) bool { _, ok := a.catalog.config().Channel(id); return ok },
		Node:      a.node,
		Clock:     schedule.RealClock(),
		Logger:    a.log.With("part", "dispatch"),
	}
}

// send hands the incident manager's notices to dispatch. Only a failure
// to queue is returned (the change is then delivered again); a notice
// with no route or a broken template is logged and counted.
func (al *alerting) send(ctx context.Context, notices []incident.Notice) error {
	for _, n := range notices {
		err := al.dispatch.Dispatch(ctx, n)
		switch {
		case err == nil:
		case errors.Is(err, dispatch.ErrSend):
			return err
		case errors.Is(err, dispatch.ErrNoRoute):
			al.app.metrics.unrouted.Inc()
			al.app.log.Warn("a notification has no route: add a default_route or a notify list", "notice", n.Key())
		default:
			al.app.log.Warn("rendering a notification; the default template was used", "notice", n.Key(), "err", err)
		}
	}
	return nil
}

// handle is the "rule" consumer: each result goes through the state
// machine in order. The dependencies learn each check's latest outcome
// first, so a parent that has just started failing already holds back its
// children (whose own failures need confirm results to count), and a
// parent confirmed by this very result lists its failing children.
func (al *alerting) handle(ctx context.Context, batch []bus.Result) error {
	for i, r := range batch {
		if st, ok := al.eval.State(r.Check); !ok || r.Start.After(st.Checked) {
			al.deps.SetHard(r.Check, r.Status) // a redelivered older result changes nothing
		}
		if err := al.eval.Handle(ctx, batch[i:i+1]); err != nil {
			return err
		}
		if al.eval.Soft(r.Check) {
			al.retry.soon(r.Check)
		}
	}
	return nil
}

// seedDependencies tells the dependency muter each check's latest outcome
// as the evaluator stored it, so that after a restart a parent that was
// failing still holds back its children.
func (al *alerting) seedDependencies(cfg *config.Config) {
	for _, c := range cfg.Checks {
		if st, ok := al.eval.State(c.ID); ok {
			al.deps.SetHard(c.ID, st.Latest())
		}
	}
}

// flapStats counts the changes in a check's window of latest results, for
// the flapping message ("changed 9 times in the last 21 checks").
func (al *alerting) flapStats(id string) (changes, window int) {
	st, ok := al.eval.State(id)
	if !ok {
		return 0, 0
	}
	for i := 1; i < len(st.Window); i++ {
		if st.Window[i] != st.Window[i-1] {
			changes++
		}
	}
	return changes, len(st.Window)
}

func (al *alerting) params(id string) (rule.Params, bool) {
	c, ok := al.app.catalog.config().Check(id)
	if !ok {
		return rule.Params{}, false
	}
	return rule.Params{Confirm: c.Confirm, Recover: c.Recover, FlapWindow: c.Flapping.Window,
		FlapHigh: c.Flapping.High, FlapLow: c.Flapping.Low}, true
}

// policy is the check's own policy, else its route's, else the defaults,
// with the check's severities.
func (al *alerting) policy(id string) incident.Policy {
	cfg := al.app.catalog.config()
	c, _ := cfg.Check(id)
	var p incident.Policy
	if c != nil {
		name := c.Policy
		if name == "" {
			name = al.dispatch.Policy(id)
		}
		if pol, ok := cfg.Policy(name); ok {
			p.Reminders = pol.Reminders
		}
		p.DownSeverity, p.DegradedSeverity = c.Severity.Down, c.Severity.Degraded
	}
	return p
}

// reload applies a new config's alerting settings.
func (al *alerting) reload(ctx context.Context, cfg *config.Config) {
	al.deps.SetGraph(dependsOn(cfg))
	if err := al.maint.Set(cfg.Maintenance); err != nil {
		al.app.log.Warn("maintenance windows", "err", err)
	}
	al.pipeline.SetNotifiers(notifiers(cfg))
	if cfg.RuleSet != nil {
		al.rules.Update(cfg.RuleSet)
	}
	if err := al.dispatch.Update(cfg.Alerting); err != nil {
		al.app.log.Warn("dispatch settings", "err", err)
	}
	select {
	case <-al.channels:
	default:
	}
	al.channels <- channelIDs(cfg)
	keep := func(id string) bool { _, ok := cfg.Check(id); return ok }
	if err := al.eval.Forget(ctx, keep); err != nil {
		al.app.log.Warn("dropping rule state of removed checks", "err", err)
	}
}

func dependsOn(cfg *config.Config) map[string][]string {
	m := make(map[string][]string, len(cfg.Checks))
	for _, c := range cfg.Checks {
		if len(c.DependsOn) > 0 {
			m[c.ID] = c.DependsOn
		}
	}
	return m
}

func notifiers(cfg *config.Config) map[string]notify.Notifier {
	m := make(map[string]notify.Notifier, len(cfg.Channels))
	for _, ch := range cfg.Channels {
		m[ch.ID] = ch.Notifier
	}
	return m
}

func channelIDs(cfg *config.Config) []string {
	ids := make([]string, 0, len(cfg.Channels))
	for _, ch := range cfg.Channels {
		ids = append(ids, ch.ID)
	}
	return ids
}
