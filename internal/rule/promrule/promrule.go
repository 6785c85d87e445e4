// Package promrule evaluates PromQL rules over the time-series store:
// alerting rules, whose result series become alert instances that feed the
// incident manager as rule.Change values, just like checks, and recording
// rules, whose results are stored back as new series. It also owns the
// presets, named alerting rules on the agent's host series that a user
// switches on with a few parameters.
//
// It reads and writes the store only through the small interfaces below,
// so it never imports Prometheus.
package promrule

import (
	"context"
	"errors"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// Querier is the part of the store that rules read.
type Querier interface {
	// Query evaluates expr at ts (see store.Store.Query).
	Query(ctx context.Context, expr string, ts time.Time) (store.Value, error)
}

// Appender is the part of the store that recording rules write to.
type Appender interface {
	// Append stores samples (see store.Store.Append).
	Append(ctx context.Context, samples []store.Sample) error
}

// Parser checks that a PromQL expression parses, without running it. Its
// error should keep the parser's position ("1:5: parse error: ..."), which
// Compile passes on.
type Parser interface {
	Parse(expr string) error
}

// ParserFunc adapts a function to Parser.
type ParserFunc func(expr string) error

// Parse implements Parser.
func (f ParserFunc) Parse(expr string) error { return f(expr) }

// epoch is when ParseByQuery evaluates: before any stored sample, so the
// query finds nothing to read.
var epoch = time.Unix(0, 0)

// ParseByQuery returns a Parser that asks q to evaluate the expression at
// the Unix epoch, where no data is, and reports only the errors that mean
// the expression is wrong (store.ErrBadData). It stands in until the store
// offers a parse-only call; an expression with an @ modifier that points
// into stored data is really evaluated. Parsing is quick and the store
// bounds every query's time, so it runs without a caller's context.
func ParseByQuery(q Querier) Parser {
	return ParserFunc(func(expr string) error {
		_, err := q.Query(context.Background(), expr, epoch)
		if errors.Is(err, store.ErrBadData) {
			return err
		}
		return nil
	})
}
