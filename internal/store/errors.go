package store

import (
	"context"
	"errors"

	"github.com/prometheus/prometheus/promql"
)

// Error kinds. Every error from Query, QueryRange, Series, LabelNames and
// LabelValues matches exactly one of them with errors.Is, so an API can map
// it to Prometheus's errorType; the error text is the engine's own (a parse
// error keeps its "1:5: parse error: ..." position). Append wraps ErrBadData
// when it rejected samples.
var (
	// ErrBadData: the request is wrong (PromQL that does not parse, a bad
	// matcher or label name, a step or range that makes no sense).
	ErrBadData = errors.New("bad data")
	// ErrTimeout: the query ran past its deadline or the QueryTimeout.
	ErrTimeout = errors.New("timeout")
	// ErrCanceled: the caller's context was canceled.
	ErrCanceled = errors.New("canceled")
	// ErrExecution: the query was valid but failed while running (too many
	// samples, a many-to-many match, ...).
	ErrExecution = errors.New("execution")
	// ErrInternal: the storage underneath failed.
	ErrInternal = errors.New("internal")
)

// kindError carries one of the kinds above and the underlying error; its
// text is the underlying error's alone.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string   { return e.err.Error() }
func (e *kindError) Unwrap() []error { return []error{e.kind, e.err} }

// withKind returns err marked as kind.
func withKind(kind, err error) error {
	return &kindError{kind: kind, err: err}
}

// classify marks an error that came out of the engine or the storage.
func classify(err error) error {
	if _, ok := errors.AsType[*kindError](err); ok {
		return err
	}
	switch {
	case isType[promql.ErrQueryCanceled](err), errors.Is(err, context.Canceled):
		return withKind(ErrCanceled, err)
	case isType[promql.ErrQueryTimeout](err), errors.Is(err, context.DeadlineExceeded):
		return withKind(ErrTimeout, err)
	case isType[promql.ErrStorage](err):
		return withKind(ErrInternal, err)
	}
	return withKind(ErrExecution, err)
}

func isType[T error](err error) bool {
	_, ok := errors.AsType[T](err)
	return ok
}
