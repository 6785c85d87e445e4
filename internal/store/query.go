package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/prometheus/model/timestamp"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
)

// ValueType names the kind of a query result, as Prometheus's API does.
type ValueType string

// The result kinds of a PromQL query.
const (
	ValueVector ValueType = "vector"
	ValueMatrix ValueType = "matrix"
	ValueScalar ValueType = "scalar"
	ValueString ValueType = "string"
)

// maxAnnotations bounds the warnings and the infos a result carries (the
// rest are counted in one last line), as Prometheus's API does.
const maxAnnotations = 10

// Value is the result of a PromQL query. Type says which one of Vector,
// Matrix, Scalar or String holds it. Native histogram samples are left out.
type Value struct {
	Type     ValueType
	Vector   []Sample // one sample per series, at the query time
	Matrix   []Series // the points of each series, oldest first
	Scalar   Point
	String   StringValue
	Warnings []string // PromQL warnings ("... might not be a counter"), with positions
	Infos    []string // PromQL informational notes
}

// Series is a series and its points.
type Series struct {
	Labels Labels
	Points []Point
}

// Point is one float value at one time.
type Point struct {
	T time.Time
	V float64
}

// StringValue is a PromQL string result.
type StringValue struct {
	T time.Time
	V string
}

// Query evaluates expr at ts. Errors match ErrBadData (expr does not parse:
// the text keeps the position, like "1:5: parse error: ..."), ErrTimeout,
// ErrCanceled, ErrExecution or ErrInternal.
func (s *Store) Query(ctx context.Context, expr string, ts time.Time) (Value, error) {
	q, err := s.engine.NewInstantQuery(ctx, s.db, nil, expr, ts)
	if err != nil {
		return Value{}, withKind(ErrBadData, err)
	}
	return run(ctx, q, expr)
}

// Parse checks that expr is valid PromQL without evaluating it, so rules
// can be refused at load. The error matches ErrBadData and keeps the
// parser's position ("1:14: parse error: ...").
func (s *Store) Parse(expr string) error { return parseWith(s.parser, expr) }

// ParseExpr is Parse for code that has no Store, such as config loading;
// it parses as every Store's engine does.
func ParseExpr(expr string) error { return parseWith(newParser(), expr) }

func parseWith(p parser.Parser, expr string) error {
	if _, err := p.ParseExpr(expr); err != nil {
		return withKind(ErrBadData, err)
	}
	return nil
}

// QueryRange evaluates expr at every step from start to end (both included
// when they fall on a step) and returns a matrix. Errors are as for Query;
// a step that is not positive or an end before start is ErrBadData.
func (s *Store) QueryRange(ctx context.Context, expr string, start, end time.Time, step time.Duration) (Value, error) {
	if step <= 0 {
		return Value{}, withKind(ErrBadData, fmt.Errorf("step %v: not positive", step))
	}
	if end.Before(start) {
		return Value{}, withKind(ErrBadData, errors.New("end timestamp must not be before start time"))
	}
	q, err := s.engine.NewRangeQuery(ctx, s.db, nil, expr, start, end, step)
	if err != nil {
		return Value{}, withKind(ErrBadData, err)
	}
	return run(ctx, q, expr)
}

// run executes q and copies its result out before the engine reuses it.
func run(ctx context.Context, q promql.Query, expr string) (Value, error) {
	defer q.Close()
	res := q.Exec(ctx)
	if res.Err != nil {
		return Value{}, classify(res.Err)
	}
	v, err := convert(res.Value)
	if err != nil {
		return Value{}, withKind(ErrInternal, err)
	}
	if len(res.Warnings) > 0 {
		v.Warnings, v.Infos = res.Warnings.AsStrings(expr, maxAnnotations, maxAnnotations)
		v.Warnings, v.Infos = nilIfEmpty(v.Warnings), nilIfEmpty(v.Infos)
	}
	return v, nil
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

func convert(pv parser.Value) (Value, error) {
	switch v := pv.(type) {
	case promql.Vector:
		return Value{Type: ValueVector, Vector: convertVector(v)}, nil
	case promql.Matrix:
		return Value{Type: ValueMatrix, Matrix: convertMatrix(v)}, nil
	case promql.Scalar:
		return Value{Type: ValueScalar, Scalar: Point{T: timestamp.Time(v.T), V: v.V}}, nil
	case promql.String:
		return Value{Type: ValueString, String: StringValue{T: timestamp.Time(v.T), V: v.V}}, nil
	}
	return Value{}, fmt.Errorf("unexpected result type %T", pv)
}

func convertVector(v promql.Vector) []Sample {
	out := make([]Sample, 0, len(v))
	for _, smp := range v {
		if smp.H != nil {
			continue
		}
		out = append(out, Sample{Labels: fromProm(smp.Metric), T: timestamp.Time(smp.T), V: smp.F})
	}
	return out
}

func convertMatrix(m promql.Matrix) []Series {
	out := make([]Series, 0, len(m))
	for _, ser := range m {
		if len(ser.Floats) == 0 {
			continue
		}
		pts := make([]Point, len(ser.Floats))
		for i, p := range ser.Floats {
			pts[i] = Point{T: timestamp.Time(p.T), V: p.F}
		}
		out = append(out, Series{Labels: fromProm(ser.Metric), Points: pts})
	}
	return out
}
