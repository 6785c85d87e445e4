package main

import (
	"context"
	"time"
)

// snap is what part 1 reads at the start and the end of the window.
type snap struct {
	agent, ne usage
	samples   float64
	tcp       int64
	metrics   int64 // payload bytes of batches (picket.agent.a1.metrics)
	procTable int64 // payload bytes of process tables and events (….procs)
	procs     int
}

func (r *rig) snap() (snap, error) {
	var s snap
	var err error
	if s.agent, err = readUsage(r.agent.Process.Pid); err != nil {
		return s, err
	}
	if s.ne, err = readUsage(r.ne.Process.Pid); err != nil {
		return s, err
	}
	if s.samples, err = agentSamples(r.http, r.srv.URL); err != nil {
		return s, err
	}
	s.tcp, s.metrics, s.procs = r.px.up.Load(), r.px.pubs.get("metrics"), processCount()
	s.procTable = r.px.pubs.get("procs")
	return s, nil
}

// measureSide runs part 1 for d after a warm-up: node_exporter is scraped
// every second throughout.
func measureSide(ctx context.Context, r *rig, warm, d time.Duration) (side, error) {
	var res side
	if err := r.waitSamples(ctx, 60*time.Second); err != nil {
		return res, err
	}
	r.scrapeFor(ctx, warm, nil)
	a, err := r.snap()
	if err != nil {
		return res, err
	}
	r.scrapeFor(ctx, d, &res.ne)
	time.Sleep(6 * time.Second) // the last batch of the window reaches the server
	b, err := r.snap()
	if err != nil {
		return res, err
	}
	secs := b.ne.at.Sub(a.ne.at).Seconds() - 6
	res.agent = proc{cores: cores(a.agent, b.agent), rss: b.agent.rss, peak: b.agent.hwm, anon: b.agent.anon,
		perSecond: (b.samples - a.samples) / secs}
	res.ne.cores, res.ne.rss, res.ne.peak, res.ne.anon = cores(a.ne, b.ne), b.ne.rss, b.ne.hwm, b.ne.anon
	res.procsStart, res.procsEnd = a.procs, b.procs
	res.tcpBytes, res.samples = float64(b.tcp-a.tcp), b.samples-a.samples
	res.batchBytes, res.procBytes = float64(b.metrics-a.metrics), float64(b.procTable-a.procTable)
	res.series, _ = promScalar(r.http, r.srv.URL, `count({host="a1"})`)
	return res, nil
}

// scrapeFor scrapes node_exporter once a second for d and, when p is not
// nil, records the samples per scrape and per second.
func (r *rig) scrapeFor(ctx context.Context, d time.Duration, p *proc) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	end := time.Now().Add(d)
	total, scrapes := 0, 0
	for time.Now().Before(end) && ctx.Err() == nil {
		<-t.C
		n, _, err := scrape(r.http, r.neURL, "")
		if err != nil {
			if p != nil {
				p.scrapeErrs++
			}
			continue
		}
		total, scrapes = total+n, scrapes+1
	}
	if p != nil && scrapes > 0 {
		p.perScrape = float64(total) / float64(scrapes)
		p.perSecond = float64(total) / d.Seconds()
	}
}
