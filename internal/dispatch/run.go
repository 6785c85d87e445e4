package dispatch

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/picket-monitor/picket/internal/notify"
	"github.com/picket-monitor/picket/internal/probe"
)

// stopTimeout bounds sending the held notices when Run stops.
const stopTimeout = 5 * time.Second

// Run sends grouped messages as their windows end, until ctx ends; then
// it sends what is still held at once, within stopTimeout, so that a clean
// stop loses nothing. It returns nil.
func (d *Dispatcher) Run(ctx context.Context) error {
	t := d.deps.Clock.NewTimer(time.Hour)
	t.Stop()
	defer t.Stop()
	for {
		d.flush(ctx, d.deps.Clock.Now())
		d.mu.Lock()
		next, ok := d.groups.next()
		d.mu.Unlock()
		if ok {
			t.Reset(max(next.Sub(d.deps.Clock.Now()), 0))
		} else {
			t.Stop()
		}
		select {
		case <-ctx.Done():
			d.stop(ctx)
			return nil
		case <-t.C():
		case <-d.wake:
		}
	}
}

// flush sends the grouped messages due at now.
func (d *Dispatcher) flush(ctx context.Context, now time.Time) {
	d.mu.Lock()
	due := d.groups.due(now, d.cfg.GroupWindow)
	d.mu.Unlock()
	for _, b := range due {
		err := d.sendBatch(ctx, b)
		if err != nil {
			d.deps.Logger.Error("grouped notification not queued; will retry", "group", b.id, "channel", b.channel, "err", err)
		}
		d.mu.Lock()
		d.groups.done(b, d.deps.Clock.Now(), err)
		d.mu.Unlock()
	}
}

// stop sends everything still held, ignoring that ctx ended.
func (d *Dispatcher) stop(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	d.mu.Lock()
	due := d.groups.drain()
	d.mu.Unlock()
	for _, b := range due {
		if err := d.sendBatch(ctx, b); err != nil {
			d.deps.Logger.Error("held notifications lost at stop", "group", b.id, "channel", b.channel,
				"checks", len(b.members), "err", err)
		}
	}
}

// sendBatch renders and sends one grouped message. A template failure is
// logged; the message is sent with the default template all the same.
func (d *Dispatcher) sendBatch(ctx context.Context, b batch) error {
	d.mu.Lock()
	render, base, window := d.render, d.cfg.URL, d.cfg.GroupWindow
	d.mu.Unlock()
	dt := groupData(b, window)
	r, err := render.render(dt)
	if err != nil {
		d.deps.Logger.Warn("grouped notification rendered with the default template", "group", b.id, "err", err)
	}
	m := notify.Message{ID: b.id, GroupKey: b.id, Kind: notify.KindProblem, Severity: dt.Severity,
		Status: dt.Status, Title: r.title, Text: r.text, HTML: r.html, URL: incidentList(base), Time: dt.Time,
		Labels: commonLabels(b.members)}
	for _, h := range b.members {
		m.Checks = append(m.Checks, notify.Check{ID: h.data.Check, Name: h.data.Name, Target: h.data.Target,
			Status: h.data.Status, Reason: h.data.Reason})
	}
	if err := d.deps.Sender.Send(ctx, b.channel, m); err != nil {
		return errors.Join(ErrSend, err)
	}
	return nil
}

// groupData is the template data of a grouped message: the first held
// notice's, with the group's fields, the worst status and severity, and
// the earliest time.
func groupData(b batch, window time.Duration) Data {
	dt := b.members[0].data
	dt.Group, dt.GroupLabel, dt.First, dt.Window = nil, b.label, b.first, window
	for _, h := range b.members {
		m := h.data
		dt.Group = append(dt.Group, Member{Check: m.Check, Name: m.Name, Target: m.Target, Status: m.Status,
			Reason: m.Reason, URL: m.URL, Severity: m.Severity, Since: m.Since, Time: m.Time})
		if m.Status == probe.StatusDown.String() {
			dt.Status = m.Status
		}
		if rank(m.Severity) < rank(dt.Severity) {
			dt.Severity = m.Severity
		}
		if m.Time.Before(dt.Time) {
			dt.Time = m.Time
		}
	}
	return dt
}

func rank(s notify.Severity) int {
	switch s {
	case notify.SeverityCritical:
		return 0
	case notify.SeverityWarning:
		return 1
	}
	return 2
}

// commonLabels returns the labels that every member has, with one value.
func commonLabels(ms []held) map[string]string {
	out := maps.Clone(ms[0].data.Labels)
	for _, h := range ms[1:] {
		maps.DeleteFunc(out, func(k, v string) bool { return h.data.Labels[k] != v })
	}
	return out
}

func incidentList(base string) string {
	if base == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + "/incidents"
}
