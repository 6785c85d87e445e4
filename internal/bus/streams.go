package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Subjects, streams and buckets. This file is the one place they are
// defined.
const (
	resultsStream  = "PICKET_RESULTS"
	resultsPrefix  = "picket.results."
	resultsSubject = resultsPrefix + ">"

	eventsStream  = "PICKET_EVENTS"
	eventsPrefix  = "picket.events."
	eventsSubject = eventsPrefix + ">"

	stateBucket = "picket_state"
)

// resultsConfig keeps every result for opts.ResultsMaxAge, within
// opts.ResultsMaxBytes: the store keeps long-term history; this stream is
// the buffer its consumers read from and the short-term detail behind a
// check's page. At 1,000 results/s of ~250 bytes stored, the default 8 GiB
// holds about 9 hours; a typical site (a few results per second) keeps
// the full 7 days well under it.
func resultsConfig(opts Options) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        resultsStream,
		Description: "Picket check results, one subject per check",
		Subjects:    []string{resultsSubject},
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		Storage:     jetstream.FileStorage,
		MaxAge:      opts.ResultsMaxAge,
		MaxBytes:    opts.ResultsMaxBytes,
		Replicas:    1,
	}
}

// eventsConfig is the audit log: state changes (and later notes,
// acknowledgements) kept for opts.EventsMaxAge, by default forever.
func eventsConfig(opts Options) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        eventsStream,
		Description: "Picket audit log: state changes and other events",
		Subjects:    []string{eventsSubject},
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardOld,
		Storage:     jetstream.FileStorage,
		MaxAge:      opts.EventsMaxAge,
		Replicas:    1,
	}
}

// stateConfig holds the current state of each check, keyed by check id,
// without history.
func stateConfig() jetstream.KeyValueConfig {
	return jetstream.KeyValueConfig{
		Bucket:      stateBucket,
		Description: "Picket current check states, by check id",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    1,
	}
}

// declare creates the streams and the bucket, or updates them when they
// exist with another configuration (a changed MaxAge, say).
func declare(ctx context.Context, js jetstream.JetStream, opts Options) (jetstream.KeyValue, error) {
	for _, cfg := range []jetstream.StreamConfig{resultsConfig(opts), eventsConfig(opts)} {
		if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
			return nil, fmt.Errorf("declaring stream %s: %w", cfg.Name, err)
		}
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, stateConfig())
	if err != nil {
		return nil, fmt.Errorf("declaring bucket %s: %w", stateBucket, err)
	}
	return kv, nil
}

// ErrInvalidID is returned (wrapped) for a check id or consumer name that
// cannot be used as one subject token and key-value key.
var ErrInvalidID = errors.New("must be 1 to 64 letters, digits, '-' or '_', starting with a letter or digit")

// checkID refuses an id that config would not have accepted
// (^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$), which is also one subject token, a
// valid KV key and a valid consumer name. kind names the id in the error.
func checkID(kind, id string) error {
	ok := len(id) >= 1 && len(id) <= 64 && id[0] != '-' && id[0] != '_'
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
	}
	if !ok {
		return fmt.Errorf("%s %q: %w", kind, id, ErrInvalidID)
	}
	return nil
}

func resultSubject(check string) string { return resultsPrefix + check }
func eventSubject(check string) string  { return eventsPrefix + check }

// checkOf returns the check id of a result or event subject.
func checkOf(subject, prefix string) string {
	check, ok := strings.CutPrefix(subject, prefix)
	if !ok {
		return ""
	}
	return check
}

// lateness is how long after its own time (a result's Start, an event's
// Time) a message may be stored: a result is published when its probe
// ends, at most its timeout later. History reads scan this far past their
// end before they stop, so a message stored later than that (a backlog
// published after an outage) is not found by a read bounded by To.
const lateness = 10 * time.Minute
