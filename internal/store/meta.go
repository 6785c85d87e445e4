package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
)

// checkEvery is how many series Series reads between looks at ctx.
const checkEvery = 128

// Series returns the labels of every series that has samples between start
// and end and matches at least one of matchers (series selectors such as
// `up{job="api"}`), sorted. A zero start or end leaves that side open. No
// matchers, a selector that does not parse, or one that matches every series
// (like {job=~".*"}) is ErrBadData.
func (s *Store) Series(ctx context.Context, matchers []string, start, end time.Time) ([]Labels, error) {
	if len(matchers) == 0 {
		return nil, withKind(ErrBadData, errors.New("no match[] parameter provided"))
	}
	sets, err := s.parseMatchers(matchers)
	if err != nil {
		return nil, err
	}
	mint, maxt := msRange(start, end)
	q, err := s.db.Querier(mint, maxt)
	if err != nil {
		return nil, classify(err)
	}
	defer q.Close()
	set := selectSorted(ctx, q, &storage.SelectHints{Start: mint, End: maxt, Func: "series"}, sets)
	out := []Labels{}
	for i := 1; set.Next(); i++ {
		if i%checkEvery == 0 && ctx.Err() != nil {
			return nil, classify(ctx.Err())
		}
		out = append(out, fromProm(set.At().Labels()))
	}
	if err := set.Err(); err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// selectSorted selects the series matching any of sets, sorted and without
// duplicates.
func selectSorted(ctx context.Context, q storage.Querier, hints *storage.SelectHints, sets [][]*labels.Matcher) storage.SeriesSet {
	if len(sets) == 1 {
		return q.Select(ctx, true, hints, sets[0]...)
	}
	all := make([]storage.SeriesSet, 0, len(sets))
	for _, ms := range sets {
		all = append(all, q.Select(ctx, true, hints, ms...))
	}
	return storage.NewMergeSeriesSet(all, 0, storage.ChainedSeriesMerge)
}

// LabelNames returns the sorted label names of series with samples between
// start and end; with matchers, only of series that match one of them. As in
// Prometheus the range only selects whole blocks: the in-memory head (the
// last two hours or so) answers with all of its series.
func (s *Store) LabelNames(ctx context.Context, matchers []string, start, end time.Time) ([]string, error) {
	return s.labelQuery(ctx, matchers, start, end, func(q storage.Querier, ms []*labels.Matcher) ([]string, error) {
		names, _, err := q.LabelNames(ctx, nil, ms...)
		return names, err
	})
}

// LabelValues returns the sorted values of the label name, like LabelNames.
// A name that is empty or not UTF-8 is ErrBadData.
func (s *Store) LabelValues(ctx context.Context, name string, matchers []string, start, end time.Time) ([]string, error) {
	if name == "" || !utf8.ValidString(name) {
		return nil, withKind(ErrBadData, fmt.Errorf("invalid label name: %q", name))
	}
	return s.labelQuery(ctx, matchers, start, end, func(q storage.Querier, ms []*labels.Matcher) ([]string, error) {
		vals, _, err := q.LabelValues(ctx, name, nil, ms...)
		return vals, err
	})
}

// labelQuery runs get once per matcher set (or once with none) and returns
// the sorted union of the results.
func (s *Store) labelQuery(ctx context.Context, matchers []string, start, end time.Time,
	get func(storage.Querier, []*labels.Matcher) ([]string, error),
) ([]string, error) {
	sets, err := s.parseMatchers(matchers)
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		sets = [][]*labels.Matcher{nil}
	}
	q, err := s.db.Querier(msRange(start, end))
	if err != nil {
		return nil, classify(err)
	}
	defer q.Close()
	var out []string
	for _, ms := range sets {
		vals, err := get(q, ms)
		if err != nil {
			return nil, classify(err)
		}
		out = append(out, vals...)
	}
	if err := ctx.Err(); err != nil {
		return nil, classify(err)
	}
	slices.Sort(out)
	return append([]string{}, slices.Compact(out)...), nil
}

// parseMatchers parses series selectors and refuses any that would match
// every series, as Prometheus does.
func (s *Store) parseMatchers(matchers []string) ([][]*labels.Matcher, error) {
	sets, err := s.parser.ParseMetricSelectors(matchers)
	if err != nil {
		return nil, withKind(ErrBadData, err)
	}
	for _, ms := range sets {
		if !slices.ContainsFunc(ms, func(m *labels.Matcher) bool { return !m.Matches("") }) {
			return nil, withKind(ErrBadData, errors.New("match[] must contain at least one non-empty matcher"))
		}
	}
	return sets, nil
}

// msRange converts a time range to milliseconds; a zero time is open.
func msRange(start, end time.Time) (int64, int64) {
	mint, maxt := int64(math.MinInt64), int64(math.MaxInt64)
	if !start.IsZero() {
		mint = start.UnixMilli()
	}
	if !end.IsZero() {
		maxt = end.UnixMilli()
	}
	return mint, maxt
}
