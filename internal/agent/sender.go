package agent

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/picket-monitor/picket/internal/agent/spool"
	"github.com/picket-monitor/picket/internal/agent/wire"
)

// defaultRequestTimeout is how long the agent waits for a reply before it
// counts the request as unanswered.
const defaultRequestTimeout = 10 * time.Second

// sender sends the spool, oldest batch first, whenever the metrics loop
// adds a batch or the connection comes back, and says hello first after
// every connect. It stops at the first batch the server does not take,
// so batches always arrive in order.
type sender struct {
	tr      transport
	subj    subjects
	sp      *spool.Spool
	kick    <-chan struct{}
	hello   []byte
	timeout time.Duration
	log     *slog.Logger
	stats   *stats
	greeted *atomic.Bool // hello acknowledged on this connection; procs wait for it

	down    bool // the last request failed: log the recovery
	refs    bool // the server may take batches by table reference
	table   wire.TableID
	tableOK bool // the server holds table
	refMiss int  // references refused since the last one taken
}

// maxRefMisses is how many table references in a row the server may
// refuse before the agent stops using them until the next connect: a
// server without them would otherwise get every batch twice.
const maxRefMisses = 3

func (s *sender) run(ctx context.Context) {
	connects := s.tr.Connects()
	for {
		select {
		case <-ctx.Done():
			return
		case <-connects:
			// A new connection may reach another node: greet it, and send
			// the next table whole.
			s.greeted.Store(false)
			s.refs, s.tableOK, s.refMiss = true, false, 0
		case <-s.kick:
		}
		s.flush(ctx)
	}
}

func (s *sender) flush(ctx context.Context) {
	if !s.greeted.Load() && !s.greet(ctx) {
		return
	}
	for ctx.Err() == nil {
		seq, batch, ok, err := s.sp.Oldest()
		switch {
		case err != nil:
			// The spool has dropped what it could not read; go on at the
			// next kick rather than spin on a failing disk.
			s.log.Warn("reading the spool failed; the unreadable batches are dropped", "err", err)
			return
		case !ok:
			return
		}
		if !s.send(ctx, seq, batch) {
			return
		}
	}
}

// greet sends hello; any reply counts, since a server that answers is
// there.
func (s *sender) greet(ctx context.Context) bool {
	data, err := s.request(ctx, s.subj.hello, s.hello)
	if err != nil {
		return false
	}
	r, err := parseReply(data)
	switch {
	case err != nil:
		s.log.Warn("the server's reply to hello is not one", "err", err)
	case !r.OK:
		s.log.Warn("the server refused hello", "error", r.Error)
	default:
		s.log.Info("greeted the server", "server", r.Server)
	}
	s.greeted.Store(true)
	return true
}

// send sends one batch and reports whether the next may follow.
func (s *sender) send(ctx context.Context, seq uint64, batch []byte) bool {
	id, err := wire.TableOf(batch)
	byRef := err == nil && s.refs && s.tableOK && id == s.table
	data := batch
	if byRef {
		if data, err = wire.WithTableRef(batch); err != nil {
			data, byRef = batch, false
		}
	}
	rep, err := s.request(ctx, s.subj.metrics, data)
	if errors.Is(err, errTooLarge) {
		return s.drop(seq, &s.stats.batchesLost, "a batch is too large for the connection; dropped", err)
	}
	if err != nil {
		return false
	}
	r, err := parseReply(rep)
	switch {
	case err != nil:
		s.log.Warn("the server's reply to a batch is not one; keeping it", "seq", seq, "err", err)
		return false
	case r.OK:
		s.table, s.tableOK = id, true
		if byRef {
			s.refMiss = 0
		}
		s.stats.batchesSent.Add(1)
		return s.ack(seq)
	case byRef && r.Error == wire.ReasonUnknownTable:
		// The server does not hold the table (another node, a restart):
		// send the batch whole, which teaches it the table again.
		s.tableOK = false
		if s.refMiss++; s.refMiss >= maxRefMisses {
			s.refs = false
		}
		return s.send(ctx, seq, batch)
	case r.Refused():
		return s.drop(seq, &s.stats.batchesRejected, "the server refused a batch for good; dropped", errors.New(r.Error))
	default:
		return false // busy: try again with the next batch
	}
}

func (s *sender) drop(seq uint64, count *atomic.Uint64, msg string, err error) bool {
	count.Add(1)
	s.log.Warn(msg, "seq", seq, "err", err)
	return s.ack(seq)
}

func (s *sender) ack(seq uint64) bool {
	if err := s.sp.Ack(seq); err != nil {
		s.log.Error("removing a batch from the spool", "seq", seq, "err", err)
		return false
	}
	return true
}

// request sends one request, bounded by the timeout, and logs when the
// server stops and starts answering, not at every attempt.
func (s *sender) request(ctx context.Context, subject string, data []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	rep, err := s.tr.Request(ctx, subject, data)
	switch {
	case err != nil && !s.down && !errors.Is(err, errTooLarge):
		s.down = true
		s.log.Warn("the server does not answer; batches wait in the spool", "err", err, "spooled", s.sp.Len())
	case err == nil && s.down:
		s.down = false
		s.log.Info("the server answers again; sending the spool", "spooled", s.sp.Len())
	}
	return rep, err
}
