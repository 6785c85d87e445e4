package promapi

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/store"
)

// queryData is the data of /query and /query_range.
type queryData struct {
	ResultType store.ValueType `json:"resultType"`
	Result     any             `json:"result"`
}

// vectorSample is {"metric":{...},"value":[t,"v"]}.
type vectorSample struct {
	Metric map[string]string `json:"metric"`
	Value  point             `json:"value"`
}

// matrixSeries is {"metric":{...},"values":[[t,"v"],...]}.
type matrixSeries struct {
	Metric map[string]string `json:"metric"`
	Values []point           `json:"values,omitempty"`
}

// newQueryData converts a query result to the shapes Prometheus sends.
func newQueryData(v store.Value) queryData {
	switch v.Type {
	case store.ValueMatrix:
		out := make([]matrixSeries, 0, len(v.Matrix))
		for _, s := range v.Matrix {
			pts := make([]point, len(s.Points))
			for i, p := range s.Points {
				pts[i] = point{t: p.T, v: p.V}
			}
			out = append(out, matrixSeries{Metric: s.Labels.Map(), Values: pts})
		}
		return queryData{ResultType: v.Type, Result: out}
	case store.ValueScalar:
		return queryData{ResultType: v.Type, Result: scalar(v.Scalar)}
	case store.ValueString:
		return queryData{ResultType: v.Type, Result: stringValue(v.String)}
	}
	out := make([]vectorSample, 0, len(v.Vector))
	for _, s := range v.Vector {
		out = append(out, vectorSample{Metric: s.Labels.Map(), Value: point{t: s.T, v: s.V}})
	}
	return queryData{ResultType: store.ValueVector, Result: out}
}

// point marshals as [1700000000.123,"1.5"]: seconds with the milliseconds
// written out (not a float), the value as a string ("NaN", "+Inf", "-Inf").
type point struct {
	t time.Time
	v float64
}

func (p point) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 40)
	b = append(b, '[')
	b = appendTimestamp(b, p.t.UnixMilli())
	b = append(b, ',', '"')
	b = appendValue(b, p.v)
	b = append(b, '"', ']')
	return b, nil
}

func appendTimestamp(b []byte, ms int64) []byte {
	if ms < 0 {
		b = append(b, '-')
		ms = -ms
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		b = append(b, '.')
		if frac < 100 {
			b = append(b, '0')
		}
		if frac < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, frac, 10)
	}
	return b
}

func appendValue(b []byte, v float64) []byte {
	format := byte('f')
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, v, format, -1, 64)
}

// scalar and stringValue marshal as [t,"v"] with t a JSON float, as
// Prometheus writes them (unlike samples, whose times are exact).
type scalar store.Point

func (s scalar) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]any{seconds(s.T), strconv.FormatFloat(s.V, 'f', -1, 64)})
}

type stringValue store.StringValue

func (s stringValue) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]any{seconds(s.T), s.V})
}

func seconds(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
