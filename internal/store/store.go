// Package store owns Picket's time series: it embeds the Prometheus TSDB and
// PromQL engine and shows the rest of Picket only its own types (Labels,
// Sample, Value). It is the one package that imports Prometheus.
package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/tsdb"
)

// PrometheusVersion is the Prometheus release whose TSDB and PromQL engine
// are embedded (module github.com/prometheus/prometheus v0.315.0). A test
// keeps it in step with go.mod.
const PrometheusVersion = "3.15.0"

// Defaults for the zero values of Options.
const (
	DefaultRetention     = 15 * 24 * time.Hour
	DefaultQueryTimeout  = 2 * time.Minute
	DefaultMaxSamples    = 50_000_000
	DefaultLookbackDelta = 5 * time.Minute
)

// Options configures Open. Zero values take the defaults above.
type Options struct {
	Dir           string        // TSDB directory, created when missing
	Retention     time.Duration // how long samples are kept; default 15 days
	Logger        *slog.Logger  // may be nil: no logs
	QueryTimeout  time.Duration // per query, on top of the caller's context; default 2m
	MaxSamples    int           // samples one query may hold in memory; default 50e6
	LookbackDelta time.Duration // how far back an instant selector looks; default 5m
	// OutOfOrderWindow accepts samples up to this much older than a series'
	// newest sample. 0 (the default) rejects them: Append counts and skips them.
	OutOfOrderWindow time.Duration
}

// Store is a TSDB with a PromQL engine on top. Its methods are safe for
// concurrent use; Close must come after every other call has returned.
type Store struct {
	db     *tsdb.DB
	engine *promql.Engine
	parser parser.Parser
	refs   *refCache

	appended atomic.Uint64 // samples stored
	skipped  atomic.Uint64 // out-of-order, duplicate or too old samples
	rejected atomic.Uint64 // samples with invalid labels
}

// Open opens (or creates) the TSDB in opts.Dir and replays its write-ahead
// log, so a Store reopened after Close sees all samples appended before.
func Open(opts Options) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("opening store: no directory")
	}
	opts = withDefaults(opts)
	if err := os.MkdirAll(opts.Dir, 0o750); err != nil {
		return nil, fmt.Errorf("opening store: %w", err)
	}
	db, err := tsdb.Open(opts.Dir, opts.Logger, nil, tsdbOptions(opts), nil)
	if err != nil {
		return nil, fmt.Errorf("opening store in %s: %w", opts.Dir, err)
	}
	p := newParser()
	return &Store{
		db:     db,
		engine: promql.NewEngine(engineOptions(opts, p)),
		parser: p,
		refs:   newRefCache(time.Now, refCacheTTL),
	}, nil
}

func withDefaults(opts Options) Options {
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.QueryTimeout <= 0 {
		opts.QueryTimeout = DefaultQueryTimeout
	}
	if opts.MaxSamples <= 0 {
		opts.MaxSamples = DefaultMaxSamples
	}
	if opts.LookbackDelta <= 0 {
		opts.LookbackDelta = DefaultLookbackDelta
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return opts
}

func tsdbOptions(opts Options) *tsdb.Options {
	o := tsdb.DefaultOptions()
	o.RetentionDuration = opts.Retention.Milliseconds()
	o.OutOfOrderTimeWindow = opts.OutOfOrderWindow.Milliseconds()
	return o
}

func engineOptions(opts Options, p parser.Parser) promql.EngineOpts {
	return promql.EngineOpts{
		Parser:               p,
		Logger:               opts.Logger,
		MaxSamples:           opts.MaxSamples,
		Timeout:              opts.QueryTimeout,
		LookbackDelta:        opts.LookbackDelta,
		EnableAtModifier:     true,
		EnableNegativeOffset: true,
		// Prometheus uses the global evaluation interval (1m by default)
		// for subqueries written without a step, like x[1h:].
		NoStepSubqueryIntervalFn: func(int64) int64 { return time.Minute.Milliseconds() },
	}
}

// Close flushes the write-ahead log and closes the TSDB.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("closing store: %w", err)
	}
	return nil
}

// Stats is a snapshot of the store's counters.
type Stats struct {
	HeadSeries      uint64 // series in the in-memory head block
	SamplesAppended uint64 // samples stored since Open
	SamplesSkipped  uint64 // out-of-order, duplicate or too old samples skipped since Open
	SamplesRejected uint64 // samples with invalid labels rejected since Open
	CachedSeries    int    // series whose reference Append remembers
}

// Stats returns the current counters.
func (s *Store) Stats() Stats {
	return Stats{
		HeadSeries:      s.db.Head().NumSeries(),
		SamplesAppended: s.appended.Load(),
		SamplesSkipped:  s.skipped.Load(),
		SamplesRejected: s.rejected.Load(),
		CachedSeries:    s.refs.len(),
	}
}

// newParser is the PromQL parser of the engine and of ParseExpr, so both
// accept the same language.
func newParser() parser.Parser { return parser.NewParser(parser.Options{}) }
