package app

import (
	"sync/atomic"

	"github.com/picket-monitor/picket/internal/api"
	"github.com/picket-monitor/picket/internal/config"
	"github.com/picket-monitor/picket/internal/secret"
)

// catalog holds the running config and what is derived from it, swapped
// whole on reload so readers never see half of two configs.
type catalog struct {
	cur atomic.Pointer[loaded]
}

type loaded struct {
	cfg    *config.Config
	views  []api.Check
	byID   map[string]int
	labels map[string]map[string]string
}

func newLoaded(cfg *config.Config) *loaded {
	l := &loaded{cfg: cfg, byID: make(map[string]int, len(cfg.Checks)),
		labels: make(map[string]map[string]string, len(cfg.Checks))}
	for i := range cfg.Checks {
		c := &cfg.Checks[i]
		l.byID[c.ID] = i
		l.views = append(l.views, api.Check{ID: c.ID, Name: c.Name, Type: c.Type, Target: secret.RedactURL(c.Target),
			Labels: c.Labels, Interval: c.Interval})
		l.labels[c.ID] = seriesLabels(c)
	}
	return l
}

// seriesLabels are the labels on every series of a check: its own labels
// plus check and type, which config reserves so they cannot clash.
func seriesLabels(c *config.Check) map[string]string {
	m := make(map[string]string, len(c.Labels)+2)
	for k, v := range c.Labels {
		m[k] = v
	}
	m["check"] = c.ID
	m["type"] = c.Type
	return m
}

func (c *catalog) set(cfg *config.Config) { c.cur.Store(newLoaded(cfg)) }

func (c *catalog) config() *config.Config { return c.cur.Load().cfg }

// Checks implements api.Catalog.
func (c *catalog) Checks() []api.Check { return c.cur.Load().views }

// Check implements api.Catalog.
func (c *catalog) Check(id string) (api.Check, bool) {
	l := c.cur.Load()
	i, ok := l.byID[id]
	if !ok {
		return api.Check{}, false
	}
	return l.views[i], true
}

// Labels returns the series labels of a configured check; it is the
// ingest.LabelFunc. The map is shared and must not be modified.
func (c *catalog) Labels(id string) (map[string]string, bool) {
	m, ok := c.cur.Load().labels[id]
	return m, ok
}

// check returns the running config's check with the given id, or a zero
// check for an id no longer configured, so callers can read its fields.
func (a *App) check(id string) *config.Check {
	if c, ok := a.catalog.config().Check(id); ok {
		return c
	}
	return &config.Check{}
}
