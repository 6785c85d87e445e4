// Package dispatch turns the incident manager's notices into notification
// messages and hands each to the channels its route selects: it routes
// (routes, a check's own notify list, the default route), renders (title,
// text and HTML from Go templates with defaults) and groups (when several
// checks with a common parent or label fail close together, the first is
// sent at once and the rest in one message at the end of a short window).
// Delivery itself is the notify pipeline's job.
package dispatch

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/incident"
	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/schedule"
)

// Errors of Dispatch, matched with errors.Is; several may be joined.
var (
	// ErrNoRoute: no route and no default route match the notice's
	// check, so it was sent nowhere. Count and log it; retrying will not
	// help.
	ErrNoRoute = errors.New("no route matches")
	// ErrRender: a configured template failed and the default one was
	// used instead; the message was sent. Log it.
	ErrRender = errors.New("template failed, default used")
	// ErrSend: handing the message to a channel's outbox failed. Retry the
	// notice: messages are idempotent by id, so channels that got it
	// ignore it.
	ErrSend = errors.New("sending failed")
)

// Sender queues a message for a channel durably, once per message id and
// channel; *notify.Pipeline is one.
type Sender interface {
	Send(ctx context.Context, channel string, m notify.Message) error
}

// Deps are what a Dispatcher works with. Sender is required. The funcs are
// called concurrently, and must not call the Dispatcher.
type Deps struct {
	Sender Sender
	// Check returns what is known of a check; nil, or false, leaves a
	// check known only by its id.
	Check func(id string) (CheckInfo, bool)
	// Parents returns the checks a check depends on (depends_on); the
	// first one groups it. Nil means no check has a parent.
	Parents func(id string) []string
	// FlapStats returns how many times a check changed status in how
	// many of its last results, for flapping messages; nil or zeros
	// leave the count out.
	FlapStats func(id string) (changes, window int)
	// Channel reports whether a channel id is configured, to validate
	// routes; nil accepts any id.
	Channel func(id string) bool
	// Node is this node's name, for "checked from".
	Node string
	// Clock times the grouping windows; nil means the real clock.
	Clock schedule.Clock
	// Logger logs what Run cannot return (a grouped message that failed);
	// nil discards it.
	Logger *slog.Logger
}

// Dispatcher routes, renders, groups and sends notices. It is safe for
// concurrent use.
type Dispatcher struct {
	deps Deps
	wake chan struct{} // tells Run a window opened

	mu     sync.Mutex // protects the fields below
	cfg    Config
	router Router
	render *renderer
	groups grouper
}

// New validates cfg, compiles its templates and returns a Dispatcher.
// When cfg.GroupWindow is not zero, Run must run for held notices to be
// sent.
func New(cfg Config, deps Deps) (*Dispatcher, error) {
	if deps.Sender == nil {
		return nil, errors.New("dispatch: no sender")
	}
	if deps.Clock == nil {
		deps.Clock = schedule.RealClock()
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	d := &Dispatcher{deps: deps, wake: make(chan struct{}, 1),
		groups: grouper{groups: map[string]*group{}, sent: map[string]time.Time{}}}
	if err := d.Update(cfg); err != nil {
		return nil, err
	}
	return d, nil
}

// Update replaces the configuration (on reload) if cfg is valid, and
// returns the problems otherwise, keeping the old one. Open groups keep
// their windows.
func (d *Dispatcher) Update(cfg Config) error {
	if err := cfg.Validate(d.deps.Channel, nil); err != nil {
		return err
	}
	r, err := compile(cfg.Templates)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.cfg, d.router, d.render = cfg, NewRouter(cfg.Routes, cfg.DefaultRoute), r
	return nil
}

// Routes returns the routes of a check (see Router.Routes), for the
// incident manager to read their Policy.
func (d *Dispatcher) Routes(check string) []Route {
	info := d.info(check)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.router.Routes(check, info.Labels)
}

// Policy returns the policy of a check's routes (see Router.Policy).
func (d *Dispatcher) Policy(check string) string {
	info := d.info(check)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.router.Policy(check, info.Labels)
}

// Dispatch sends notice n to its channels. A muted notice is not sent and
// returns nil. A problem notice may be held for its group's message
// instead (nil as well). The error, if any, wraps ErrNoRoute, ErrRender
// and/or ErrSend; only ErrSend calls for a retry.
func (d *Dispatcher) Dispatch(ctx context.Context, n incident.Notice) error {
	if n.Muted != nil {
		return nil
	}
	check := n.Incident.Check
	info := d.info(check)
	d.mu.Lock()
	cfg, router, render := d.cfg, d.router, d.render
	d.mu.Unlock()
	channels := router.Channels(check, info.Labels, info.Notify)
	if len(channels) == 0 {
		return fmt.Errorf("notice %s of check %s: %w", n.Key(), check, ErrNoRoute)
	}
	dt := d.data(n, info, cfg.URL)
	r, rerr := render.render(dt)
	now := channels
	switch n.Kind {
	case notify.KindProblem:
		c := d.candidate(n, info, dt, cfg.GroupBy)
		d.mu.Lock()
		now = d.admitLocked(c, channels)
		d.mu.Unlock()
	case notify.KindRecovery: // it tells the whole story of a held problem
		d.mu.Lock()
		d.groups.cancel(n.Incident.ID)
		d.mu.Unlock()
	}
	errs := []error{rerr}
	msg := message(n, dt, r)
	for _, ch := range now {
		if err := d.deps.Sender.Send(ctx, ch, msg); err != nil {
			errs = append(errs, fmt.Errorf("%w: notice %s to channel %s: %w", ErrSend, n.Key(), ch, err))
		}
	}
	return errors.Join(errs...)
}

// candidate returns problem notice n as grouping sees it.
func (d *Dispatcher) candidate(n incident.Notice, info CheckInfo, dt Data, by []string) candidate {
	var parents []string
	if d.deps.Parents != nil {
		parents = d.deps.Parents(n.Incident.Check)
	}
	c := candidate{held: held{key: n.Key(), incident: n.Incident.ID, data: dt}}
	name := func(id string) string { return d.info(id).Name }
	c.keys, c.open, c.label = groupKeys(n.Incident.Check, info, parents, name, by)
	return c
}

// admitLocked returns the channels to send problem c to now, holding it
// for the others. d.mu must be held.
func (d *Dispatcher) admitLocked(c candidate, channels []string) []string {
	var now []string
	for _, ch := range channels {
		v, opened := d.groups.admit(d.deps.Clock.Now(), d.cfg.GroupWindow, c, ch)
		if v == sendNow {
			now = append(now, ch)
		}
		if opened {
			d.poke()
		}
	}
	return now
}

// poke wakes Run without waiting.
func (d *Dispatcher) poke() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// info returns what is known of a check, its name defaulting to its id
// and any password in its target removed.
func (d *Dispatcher) info(id string) CheckInfo {
	var ci CheckInfo
	if d.deps.Check != nil {
		ci, _ = d.deps.Check(id)
	}
	ci.Name = cmp.Or(ci.Name, id)
	if u, err := url.Parse(ci.Target); err == nil && u.User != nil {
		ci.Target = u.Redacted()
	}
	return ci
}
