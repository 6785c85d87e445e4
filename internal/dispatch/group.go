package dispatch

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// keepSent is how long the keys of notices sent in a grouped message are
// remembered, so that one delivered again is not sent a second time.
const keepSent = time.Hour

// A group collects the problem notices of checks that share a parent or
// the group_by labels, for one channel. Its first notice is sent at once
// and opens a window; notices arriving within it are held and sent as one
// message when it ends. A window that held some opens the next one, so a
// cascade of failures sends one message per window; a window that held
// none closes the group.
type group struct {
	key, channel string
	label        string // GroupLabel: "with team=payments"
	first        string // the name of the check sent at once
	leader       held   // that check's notice
	start, end   time.Time
	held         []held
}

// held is one notice waiting for its group's window to end.
type held struct {
	key      string // the notice's Key
	incident string // its incident's id
	data     Data
}

// same reports whether h and o are notices of one incident.
func (h held) same(o held) bool {
	return h.key == o.key || (h.incident != "" && h.incident == o.incident)
}

// batch is one grouped message to send: the window that collected it and
// what it held. Its id stays the same on every retry.
type batch struct {
	id, key, channel, label, first string
	start                          time.Time
	members                        []held
	attempt                        int
	at                             time.Time // when to try (again)
}

// grouper holds the open groups. It does no I/O and is protected by the
// Dispatcher's mutex.
type grouper struct {
	groups  map[string]*group    // by groupID
	retries []batch              // grouped messages whose send failed
	sent    map[string]time.Time // sentID → when, for members already sent
}

func groupID(key, channel string) string { return key + "\x00" + channel }
func sentID(key, channel string) string  { return key + "\x00" + channel }

// verdict is what admit decides for one notice and channel.
type verdict int

const (
	sendNow verdict = iota // send it at once (alone, or as a group's first)
	hold                   // held for the group's message
	skip                   // already held or sent in a grouped message
)

// candidate is a problem notice that admit decides about: the groups it
// may join (keys, see groupKeys), the one it opens when it joins none
// (open, with label), and the notice itself.
type candidate struct {
	keys        []string
	open, label string
	held
}

// admit decides about c for channel ch at now. It reports whether a new
// group opened, whose window Run must then time.
func (g *grouper) admit(now time.Time, window time.Duration, c candidate, ch string) (verdict, bool) {
	if _, done := g.sent[sentID(c.key, ch)]; done {
		return skip, false
	}
	for _, k := range c.keys {
		gr := g.groups[groupID(k, ch)]
		if gr == nil || (len(gr.held) == 0 && !now.Before(gr.end)) {
			continue // none, or over with nothing held: Run closes it
		}
		if gr.leader.same(c.held) {
			return sendNow, false // its incident was sent at once: so is the rest of it
		}
		i := slices.IndexFunc(gr.held, c.same)
		switch {
		case i < 0:
			gr.held = append(gr.held, c.held)
		case gr.held[i].key == c.key:
			return skip, false
		default: // a newer notice of a held incident (worse now) replaces it
			g.sent[sentID(gr.held[i].key, ch)] = now
			gr.held[i] = c.held
		}
		return hold, false
	}
	if window <= 0 {
		return sendNow, false
	}
	g.groups[groupID(c.open, ch)] = &group{key: c.open, channel: ch, label: c.label, first: c.data.Name,
		leader: c.held, start: now, end: now.Add(window)}
	return sendNow, true
}

// cancel drops held notices of incident id: it resolved before its
// group's message went out, and its recovery message tells the whole
// story.
func (g *grouper) cancel(id string) {
	for _, gr := range g.groups {
		gr.held = slices.DeleteFunc(gr.held, func(h held) bool { return h.incident == id })
	}
}

// due removes and returns the batches due at now: windows that ended with
// notices held, and failed sends whose retry time came. A window that
// held notices opens the next one; one that held none closes its group.
func (g *grouper) due(now time.Time, window time.Duration) []batch {
	var out []batch
	for id, gr := range g.groups {
		if now.Before(gr.end) {
			continue
		}
		if len(gr.held) == 0 || window <= 0 {
			delete(g.groups, id)
		}
		if len(gr.held) > 0 {
			out = append(out, batch{id: batchID(gr.key, gr.start), key: gr.key, channel: gr.channel,
				label: gr.label, first: gr.first, start: gr.start, members: gr.held})
			gr.held, gr.start, gr.end = nil, gr.end, gr.end.Add(window)
		}
	}
	g.retries = slices.DeleteFunc(g.retries, func(b batch) bool {
		if now.Before(b.at) {
			return false
		}
		out = append(out, b)
		return true
	})
	slices.SortFunc(out, func(a, b batch) int {
		return cmp.Or(a.start.Compare(b.start), strings.Compare(a.key, b.key), strings.Compare(a.channel, b.channel))
	})
	return out
}

// done records the outcome of sending b at now: its members are
// remembered as sent, or b is retried after a back-off.
func (g *grouper) done(b batch, now time.Time, err error) {
	if err != nil {
		b.attempt++
		b.at = now.Add(min(time.Second<<min(b.attempt-1, 6), time.Minute))
		g.retries = append(g.retries, b)
		return
	}
	for _, m := range b.members {
		g.sent[sentID(m.key, b.channel)] = now
	}
	for k, at := range g.sent {
		if now.Sub(at) > keepSent {
			delete(g.sent, k)
		}
	}
}

// next returns when the next batch may be due.
func (g *grouper) next() (time.Time, bool) {
	var at time.Time
	for _, gr := range g.groups {
		if at.IsZero() || gr.end.Before(at) {
			at = gr.end
		}
	}
	for _, b := range g.retries {
		if at.IsZero() || b.at.Before(at) {
			at = b.at
		}
	}
	return at, !at.IsZero()
}

// drain removes and returns every held notice as batches, for a clean
// stop.
func (g *grouper) drain() []batch {
	for _, gr := range g.groups {
		gr.end = time.Time{}
	}
	out := g.due(time.Time{}, 0)
	out = append(out, g.retries...)
	g.retries = nil
	return out
}

// batchID is the message id of a grouped message: the same for the same
// group and window, so sending it again is a no-op in the outbox.
func batchID(key string, start time.Time) string {
	h := fnv.New64a()
	h.Write([]byte(key))
	return fmt.Sprintf("group/%016x/%d", h.Sum64(), start.UnixMilli())
}

// groupKeys returns the groups a problem notice about check may join, and
// the one it opens when it joins none, with that group's label. A check
// with a parent (its first depends_on) is grouped under the parent. A
// check without one joins the group of its own children if there is one,
// and otherwise the group of its group_by label values; when it has none
// of those labels it opens the group of its children, so that children
// failing after it are grouped too.
func groupKeys(check string, info CheckInfo, parents []string, parentName func(string) string,
	by []string) (keys []string, open, label string) {
	if len(parents) > 0 {
		p := "parent:" + parents[0]
		return []string{p}, p, "depending on " + parentName(parents[0])
	}
	keys = []string{"parent:" + check}
	var kv []string
	for _, l := range by {
		if v := info.Labels[l]; v != "" {
			kv = append(kv, l+"="+v)
		}
	}
	if len(kv) == 0 {
		return keys, keys[0], "depending on " + parentName(check)
	}
	open = "labels:" + strings.Join(kv, ",")
	return append(keys, open), open, "with " + strings.Join(kv, ", ")
}
