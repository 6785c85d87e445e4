package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb"
	"github.com/prometheus/prometheus/tsdb/chunks"
)

// Compact writes every sample of the head (the in-memory part that the
// write-ahead log backs) into one persistent block now, and then the
// out-of-order part, instead of waiting for the TSDB to do so on its own
// once the head spans 1.5 block ranges (3 h). It is for benchmarks that
// measure bytes on disk, and for before a backup, so that the directory
// holds blocks rather than a log to replay.
//
// After Compact the head starts after the newest sample written: older
// samples can no longer be appended (beyond Options.OutOfOrderWindow);
// Append skips and counts them. An empty head is not an error and writes
// no block.
func (s *Store) Compact(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("compacting the head: %w", err)
	}
	h := s.db.Head()
	if mint, maxt := h.MinTime(), h.MaxTime(); mint <= maxt {
		if err := s.db.CompactHead(tsdb.NewRangeHead(h, mint, maxt)); err != nil {
			return fmt.Errorf("compacting the head: %w", err)
		}
	}
	if err := s.db.CompactOOOHead(ctx); err != nil {
		return fmt.Errorf("compacting the out-of-order head: %w", err)
	}
	return nil
}

// FamilyBytes is what the chunks of one metric name take in the
// persistent blocks.
type FamilyBytes struct {
	Name    string // the metric name (__name__)
	Series  int    // series of that name, counted once per block
	Samples int
	Chunks  int
	// Bytes is what the chunks take in the blocks' chunks/ files: each
	// chunk's encoded samples plus its length, encoding byte and CRC32.
	Bytes int64
}

// ChunkBytes returns, for every metric name in the persistent blocks (not
// the head: Compact first), its series, samples, chunks and chunk bytes,
// sorted by name. The Bytes of all names add up to the size of every
// chunks/ file less its 8-byte header.
func (s *Store) ChunkBytes(ctx context.Context) ([]FamilyBytes, error) {
	by := map[string]*FamilyBytes{}
	for _, b := range s.db.Blocks() {
		if err := blockChunkBytes(ctx, b, by); err != nil {
			return nil, fmt.Errorf("measuring block %s: %w", b.Meta().ULID, err)
		}
	}
	out := make([]FamilyBytes, 0, len(by))
	for _, f := range by {
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b FamilyBytes) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// blockChunkBytes adds the chunks of block b to by, by metric name.
func blockChunkBytes(ctx context.Context, b *tsdb.Block, by map[string]*FamilyBytes) (err error) {
	ir, err := b.Index()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, ir.Close()) }()
	cr, err := b.Chunks()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, cr.Close()) }()
	sb := labels.NewScratchBuilder(16)
	var metas []chunks.Meta
	p := ir.PostingsForAllLabelValues(ctx, labels.MetricName)
	for p.Next() {
		if err := ir.Series(p.At(), &sb, &metas); err != nil {
			return err
		}
		name := sb.Labels().Get(labels.MetricName)
		f := by[name]
		if f == nil {
			f = &FamilyBytes{Name: name}
			by[name] = f
		}
		if err := f.addSeries(cr, metas); err != nil {
			return fmt.Errorf("series %s: %w", sb.Labels(), err)
		}
	}
	return p.Err()
}

// addSeries counts one series' chunks as the chunk writer lays them out:
// a uvarint length, an encoding byte, the data and a CRC32.
func (f *FamilyBytes) addSeries(cr tsdb.ChunkReader, metas []chunks.Meta) error {
	f.Series++
	for _, m := range metas {
		c, _, err := cr.ChunkOrIterable(m)
		if err != nil {
			return err
		}
		if c == nil {
			return errors.New("a block chunk that is not one chunk")
		}
		n := len(c.Bytes())
		var buf [binary.MaxVarintLen64]byte
		f.Bytes += int64(binary.PutUvarint(buf[:], uint64(n)) + 1 + n + crc32.Size)
		f.Samples += c.NumSamples()
		f.Chunks++
	}
	return nil
}
