package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
)

// Sample is one value of one series at one time (stored to the millisecond).
type Sample struct {
	Labels Labels
	T      time.Time
	V      float64
}

// maxListedRejects bounds how many rejected series one Append error names.
const maxListedRejects = 10

// Append stores samples in one TSDB transaction, committed at the end.
//
// A sample whose labels are invalid (no __name__, a name outside
// [a-zA-Z_][a-zA-Z0-9_]*, a name twice, a value not in UTF-8) or whose time
// is zero is rejected; a sample older than its series' newest one (beyond
// Options.OutOfOrderWindow), or a second sample for the same series and
// millisecond, is skipped. The other samples are stored either way, and
// Stats counts both kinds. When samples were rejected the error wraps
// ErrBadData and names the first few series.
//
// Any other failure rolls back this call's samples and returns the error;
// samples stored by earlier calls are never touched.
func (s *Store) Append(ctx context.Context, samples []Sample) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("appending samples: %w", err)
	}
	s.refs.maybeRotate()
	b := &batch{refs: s.refs, app: s.db.AppenderV2(ctx), sb: labels.NewScratchBuilder(16)}
	for i := range samples {
		if err := b.add(&samples[i]); err != nil {
			_ = b.app.Rollback() // the append error says more than a rollback error would
			return err
		}
	}
	if err := b.app.Commit(); err != nil {
		return fmt.Errorf("committing %d samples: %w", len(samples), err)
	}
	s.appended.Add(b.appended)
	s.skipped.Add(b.skipped)
	s.rejected.Add(b.rejected)
	return b.rejectErr(len(samples))
}

// batch is the state of one Append call.
type batch struct {
	refs *refCache
	app  storage.AppenderV2
	sb   labels.ScratchBuilder

	appended, skipped, rejected uint64
	rejects                     []string // the first maxListedRejects distinct reasons
}

func (b *batch) add(smp *Sample) error {
	e, h, err := b.entry(smp.Labels)
	if err == nil && smp.T.IsZero() {
		err = errors.New("sample has no time")
	}
	if err != nil {
		b.reject(fmt.Sprintf("series %s: %v", smp.Labels, err))
		return nil
	}
	ref, err := b.app.Append(e.ref, e.prom, 0, smp.T.UnixMilli(), smp.V, nil, nil, storage.AOptions{})
	switch {
	case err == nil:
		b.appended++
		if ref != e.ref {
			e.ref = ref
			b.refs.put(h, e)
		}
		return nil
	case skippable(err):
		b.skipped++
		return nil
	}
	return fmt.Errorf("appending to series %s: %w", e.prom, err)
}

// entry returns the cached entry of ls and its hash, or a new entry with ref
// 0 when ls is not cached; only labels that miss the cache are validated.
func (b *batch) entry(ls Labels) (cacheEntry, uint64, error) {
	h := ls.hash(b.refs.seed)
	if e, ok := b.refs.get(h, ls); ok {
		return e, h, nil
	}
	norm, changed := ls.normalized()
	if err := norm.validate(); err != nil {
		return cacheEntry{}, 0, err
	}
	if changed {
		h = norm.hash(b.refs.seed)
		if e, ok := b.refs.get(h, norm); ok {
			return e, h, nil
		}
	}
	return cacheEntry{prom: norm.toProm(&b.sb)}, h, nil
}

func (b *batch) reject(reason string) {
	b.rejected++
	if len(b.rejects) < maxListedRejects && !slices.Contains(b.rejects, reason) {
		b.rejects = append(b.rejects, reason)
	}
}

func (b *batch) rejectErr(total int) error {
	if b.rejected == 0 {
		return nil
	}
	return fmt.Errorf("%w: rejected %d of %d samples: %s", ErrBadData, b.rejected, total, strings.Join(b.rejects, "; "))
}

// skippable reports whether err only says that this one sample cannot be
// stored (too old, out of order, a duplicate timestamp).
func skippable(err error) bool {
	return errors.Is(err, storage.ErrOutOfOrderSample) ||
		errors.Is(err, storage.ErrOutOfBounds) ||
		errors.Is(err, storage.ErrTooOldSample) ||
		errors.Is(err, storage.ErrDuplicateSampleForTimestamp)
}
