package store

import (
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
)

// refCacheTTL is how long a series may go without samples before the cache
// forgets it (after one to two TTLs). The TSDB drops idle series from its
// head after a few hours, so a forgotten reference costs one lookup.
const refCacheTTL = time.Hour

// cacheShards spreads concurrent Append calls over several locks.
const cacheShards = 64

// refCache remembers, by label hash, the TSDB reference of each series, so
// a repeated series skips the TSDB's label lookup. A stale reference is
// harmless: the TSDB never reuses a reference, and when handed one it no
// longer knows it looks the labels up instead.
type refCache struct {
	seed         maphash.Seed
	now          func() time.Time
	ttl          time.Duration
	nextRotation atomic.Int64 // unix nanoseconds
	shards       [cacheShards]cacheShard
}

// cacheShard keeps two generations: entries not used for a whole generation
// are dropped when cur becomes old.
type cacheShard struct {
	mu  sync.Mutex // protects the fields below
	cur map[uint64]cacheEntry
	old map[uint64]cacheEntry
}

type cacheEntry struct {
	prom labels.Labels // normalized, ready for the TSDB; compared on every hit to rule out hash collisions
	ref  storage.SeriesRef
}

func newRefCache(now func() time.Time, ttl time.Duration) *refCache {
	c := &refCache{seed: maphash.MakeSeed(), now: now, ttl: ttl}
	for i := range c.shards {
		c.shards[i].cur = make(map[uint64]cacheEntry)
		c.shards[i].old = make(map[uint64]cacheEntry)
	}
	c.nextRotation.Store(now().Add(ttl).UnixNano())
	return c
}

// get returns the entry for ls under hash h.
func (c *refCache) get(h uint64, ls Labels) (cacheEntry, bool) {
	sh := &c.shards[h%cacheShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	e, ok := sh.cur[h]
	if !ok {
		if e, ok = sh.old[h]; ok {
			sh.cur[h] = e
		}
	}
	if !ok || !promEqual(e.prom, ls) {
		return cacheEntry{}, false
	}
	return e, true
}

// put stores e under hash h unless another series holds that hash.
func (c *refCache) put(h uint64, e cacheEntry) {
	sh := &c.shards[h%cacheShards]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if old, ok := sh.cur[h]; ok && !labels.Equal(old.prom, e.prom) {
		return
	}
	sh.cur[h] = e
}

// maybeRotate starts a new generation in every shard once per TTL.
func (c *refCache) maybeRotate() {
	now := c.now()
	next := c.nextRotation.Load()
	if now.UnixNano() < next || !c.nextRotation.CompareAndSwap(next, now.Add(c.ttl).UnixNano()) {
		return
	}
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		sh.old, sh.cur = sh.cur, make(map[uint64]cacheEntry, len(sh.cur))
		sh.mu.Unlock()
	}
}

// len returns the number of series in the cache.
func (c *refCache) len() int {
	n := 0
	for i := range c.shards {
		sh := &c.shards[i]
		sh.mu.Lock()
		n += len(sh.cur)
		for h := range sh.old {
			if _, ok := sh.cur[h]; !ok {
				n++
			}
		}
		sh.mu.Unlock()
	}
	return n
}

// promEqual reports whether p holds exactly ls, in order. The cache keeps
// only the TSDB's compact form of each series' labels, not a second copy.
func promEqual(p labels.Labels, ls Labels) bool {
	if p.Len() != len(ls) {
		return false
	}
	i, eq := 0, true
	p.Range(func(l labels.Label) {
		eq = eq && l.Name == ls[i].Name && l.Value == ls[i].Value
		i++
	})
	return eq
}
