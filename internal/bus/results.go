package bus

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// PublishResult stores r on its check's subject and waits until JetStream
// has acknowledged it, so a nil error means every consumer will see it.
func (b *Bus) PublishResult(ctx context.Context, r Result) error {
	if err := checkID("check id", r.Check); err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encoding result of %s: %w", r.Check, err)
	}
	if _, err := b.js.Publish(ctx, resultSubject(r.Check), data); err != nil {
		return fmt.Errorf("publishing result of %s: %w", r.Check, err)
	}
	return nil
}

// Results returns the stored results of one check that started between
// from and to (inclusive; a zero time leaves that end open), oldest first,
// at most limit of them (<= 0 means DefaultLimit). Results older than the
// results stream's MaxAge are gone. The read starts at the first result
// stored at or after from and stops at one stored more than 10 minutes
// after to, so a result stored that late after it started (a backlog
// published after an outage) is not found by a read bounded by to.
func (b *Bus) Results(ctx context.Context, check string, from, to time.Time, limit int) ([]Result, error) {
	if err := checkID("check id", check); err != nil {
		return nil, err
	}
	w := window{from: from, to: to, limit: limit}
	subject := resultSubject(check)
	var out []Result
	err := b.scan(ctx, resultsStream, subject, w, func(data []byte, _ uint64) bool {
		r, err := decodeResult(subject, data)
		if err != nil || !w.contains(r.Start) {
			return true // a malformed result has nothing to show; ConsumeResults counts it
		}
		out = append(out, r)
		return len(out) < w.max()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// decodeResult decodes a result message and checks that it belongs on the
// subject it came on.
func decodeResult(subject string, data []byte) (Result, error) {
	var r Result
	if err := json.Unmarshal(data, &r); err != nil {
		return Result{}, fmt.Errorf("decoding result on %s: %w", subject, err)
	}
	if want := checkOf(subject, resultsPrefix); r.Check != want {
		return Result{}, fmt.Errorf("result on %s names check %q", subject, r.Check)
	}
	return r, nil
}
