package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/picket-monitor/picket/bench/internal/picket"
)

// fleetResult is part 4.
type fleetResult struct {
	agents, batches int
	wantRate        float64 // samples/s asked for
	secs            float64 // from the first timed request to the last reply
	acked, refused  atomic.Int64
	failed          atomic.Int64 // no reply (timeout, connection)
	ackedSamples    atomic.Int64
	stored          float64 // picket_agent_samples_total over the window
	serverCores     float64 // CPU of picket serve over the window
	selfCores       float64 // CPU of this program (the 1,000 clients)
	peakRSS         float64 // picket serve's VmHWM at the end
	reasons         sync.Map
}

// runFleet starts picket serve with the fleet's keys and has every agent
// send its batches at an even pace so that the fleet as a whole asks for
// rate samples a second.
func runFleet(ctx context.Context, bin string, fleet []*simAgent, rate float64) (*fleetResult, error) {
	res := &fleetResult{agents: len(fleet), batches: len(fleet[0].rest), wantRate: rate}
	var cfg strings.Builder
	cfg.WriteString("agents:\n  hosts:\n")
	for _, a := range fleet {
		fmt.Fprintf(&cfg, "    - {id: %s, public_key: %s}\n", a.id, a.pub)
	}
	natsAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv, err := picket.Start(bin, cfg.String(), "--nats-listen", natsAddr)
	if err != nil {
		return nil, fmt.Errorf("starting picket serve: %w", err)
	}
	defer srv.Stop()
	conns, err := connectFleet(fleet, natsAddr)
	defer func() {
		for _, nc := range conns {
			nc.Close()
		}
	}()
	if err != nil {
		return nil, err
	}
	if err := sendFirsts(ctx, fleet, conns); err != nil {
		return nil, err
	}
	return res, res.timed(ctx, srv, fleet, conns)
}

// sendFirsts sends every agent's first batch, which carries its series
// table and is not timed, again after a second while the server refuses
// some, as agents do.
func sendFirsts(ctx context.Context, fleet []*simAgent, conns []*nats.Conn) error {
	done := make([]bool, len(fleet))
	for round := 0; round < 20 && ctx.Err() == nil; round++ {
		var wg sync.WaitGroup
		var left atomic.Int64
		for i, a := range fleet {
			if done[i] {
				continue
			}
			wg.Go(func() {
				var r fleetResult
				r.send(ctx, conns[i], "picket.agent."+a.id+".metrics", a.first, 0)
				if done[i] = r.acked.Load() == 1; !done[i] {
					left.Add(1)
				}
			})
		}
		wg.Wait()
		if left.Load() == 0 {
			return nil
		}
		time.Sleep(time.Second)
	}
	return fmt.Errorf("the server did not take every agent's first batch in 20 rounds")
}

func (res *fleetResult) timed(ctx context.Context, srv *picket.Server, fleet []*simAgent, conns []*nats.Conn) error {
	hc := &http.Client{Timeout: 10 * time.Second}
	samples := 0
	for _, a := range fleet {
		for _, n := range a.perBatch {
			samples += n
		}
	}
	wall := time.Duration(float64(samples) / res.wantRate * float64(time.Second))
	period := wall / time.Duration(res.batches)
	s0, err0 := agentSamples(hc, srv.URL)
	u0, err1 := readUsage(srv.Cmd.Process.Pid)
	m0, err2 := readUsage(os.Getpid())
	if err := firstErr(err0, err1, err2); err != nil {
		return err
	}
	pace(ctx, fleet, conns, res, period)
	time.Sleep(500 * time.Millisecond) // replies are sent after the store has the samples
	s1, err0 := agentSamples(hc, srv.URL)
	u1, err1 := readUsage(srv.Cmd.Process.Pid)
	m1, err2 := readUsage(os.Getpid())
	res.secs = u1.at.Sub(u0.at).Seconds()
	res.stored, res.serverCores, res.selfCores, res.peakRSS = s1-s0, cores(u0, u1), cores(m0, m1), u1.hwm
	return firstErr(err0, err1, err2)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func connectFleet(fleet []*simAgent, addr string) ([]*nats.Conn, error) {
	conns := make([]*nats.Conn, 0, len(fleet))
	for _, a := range fleet {
		nc, err := nats.Connect("nats://"+addr, nats.Name("bench "+a.id), nats.Nkey(a.pub, a.kp.Sign),
			nats.CustomInboxPrefix("_INBOX_picket."+a.id), nats.MaxReconnects(0))
		if err != nil {
			return conns, fmt.Errorf("connecting %s: %w", a.id, err)
		}
		conns = append(conns, nc)
	}
	return conns, nil
}

// pace has every agent send its batches, agent i starting at i/n of
// period and then one batch every period, each waiting for the server's
// reply.
func pace(ctx context.Context, fleet []*simAgent, conns []*nats.Conn, res *fleetResult, period time.Duration) {
	start := time.Now()
	var wg sync.WaitGroup
	for i, a := range fleet {
		wg.Go(func() {
			offset := period * time.Duration(i) / time.Duration(len(fleet))
			for k, b := range a.rest {
				time.Sleep(time.Until(start.Add(offset + period*time.Duration(k))))
				if ctx.Err() != nil {
					return
				}
				res.send(ctx, conns[i], "picket.agent."+a.id+".metrics", b, a.perBatch[k])
			}
		})
	}
	wg.Wait()
}

func (res *fleetResult) send(ctx context.Context, nc *nats.Conn, subject string, data []byte, samples int) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	msg, err := nc.RequestWithContext(ctx, subject, data)
	if err != nil {
		res.failed.Add(1)
		return
	}
	var r struct {
		OK    bool
		Error string
	}
	if err := json.Unmarshal(msg.Data, &r); err != nil || !r.OK {
		res.refused.Add(1)
		c, _ := res.reasons.LoadOrStore(r.Error, new(atomic.Int64))
		c.(*atomic.Int64).Add(1)
		return
	}
	res.acked.Add(1)
	res.ackedSamples.Add(int64(samples))
}
