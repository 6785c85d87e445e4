package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/picket-monitor/picket/internal/config"
)

// pollEvery is how often the config file is looked at. Polling the content
// rather than watching inotify events also catches editors that replace
// the file and configs on volumes that send no events.
const pollEvery = time.Second

// watchConfig reloads the config when its content changes and on SIGHUP.
func (a *App) watchConfig(ctx context.Context) error {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	last := fileSum(a.opts.ConfigPath)
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-hup:
			last = fileSum(a.opts.ConfigPath)
			a.reload(ctx, "SIGHUP")
		case <-tick.C:
			if sum := fileSum(a.opts.ConfigPath); sum != nil && !bytes.Equal(sum, last) {
				last = sum
				a.reload(ctx, "file changed")
			}
		}
	}
}

func fileSum(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	s := sha256.Sum256(b)
	return s[:]
}

// reload swaps in a new config when it loads cleanly and keeps the running
// one, saying why, when it does not. Checks whose fingerprint is unchanged
// keep their schedule phase and state.
func (a *App) reload(ctx context.Context, why string) {
	old := a.catalog.config()
	cfg, err := config.Load(a.opts.ConfigPath)
	if err != nil {
		a.metrics.reloads.WithLabelValues("failure").Inc()
		a.log.Error("config reload failed; keeping the running config", "trigger", why, "problems", err.Error())
		return
	}
	if cfg.Server != old.Server {
		a.log.Warn("server settings changed; they take effect at the next restart")
	}
	added, changed, removed := diffChecks(old, cfg)
	a.catalog.set(cfg)
	a.sched.Update(a.jobs(cfg))
	a.alert.reload(ctx, cfg)
	a.reloadAgents(cfg)
	if err := a.tracker.Forget(ctx, func(id string) bool { _, ok := cfg.Check(id); return ok }); err != nil {
		a.log.Warn("dropping state of removed checks", "err", err)
	}
	a.metrics.reloads.WithLabelValues("success").Inc()
	a.metrics.loaded(len(cfg.Checks), time.Now())
	a.log.Info("config reloaded", "trigger", why, "checks", len(cfg.Checks),
		"added", added, "changed", changed, "removed", removed)
}

func diffChecks(old, cur *config.Config) (added, changed, removed int) {
	for _, c := range cur.Checks {
		prev, ok := old.Check(c.ID)
		switch {
		case !ok:
			added++
		case prev.Fingerprint != c.Fingerprint:
			changed++
		}
	}
	for _, c := range old.Checks {
		if _, ok := cur.Check(c.ID); !ok {
			removed++
		}
	}
	return added, changed, removed
}
