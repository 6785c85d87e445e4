package incident

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/picket-monitor/picket/internal/bus"
)

// Bucket is the JetStream key-value bucket of incidents: one key per
// incident (its id) and one per flapping check ("flap." + check id).
const Bucket = "picket_incidents"

// EventKind is the bus.Event Kind of incident timeline entries in the
// events stream (the audit log).
const EventKind = "incident"

const flapPrefix = "flap."

// JetStream is the Store on Picket's bus: the bucket for incidents and
// flap periods, the events stream for the audit log.
type JetStream struct {
	bus *bus.Bus
	kv  jetstream.KeyValue
}

// NewJetStream creates the bucket if needed and returns the store.
func NewJetStream(ctx context.Context, b *bus.Bus) (*JetStream, error) {
	js, err := jetstream.New(b.Conn())
	if err != nil {
		return nil, fmt.Errorf("opening jetstream: %w", err)
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      Bucket,
		Description: "Picket incidents by id, and flapping checks",
		History:     1,
		Storage:     jetstream.FileStorage,
		Replicas:    1,
	})
	if err != nil {
		return nil, fmt.Errorf("declaring bucket %s: %w", Bucket, err)
	}
	return &JetStream{bus: b, kv: kv}, nil
}

// Load reads the whole bucket in one pass.
func (s *JetStream) Load(ctx context.Context) (Snapshot, error) {
	w, err := s.kv.WatchAll(ctx, jetstream.IgnoreDeletes())
	if err != nil {
		return Snapshot{}, fmt.Errorf("reading incidents: %w", err)
	}
	defer w.Stop()
	var snap Snapshot
	for {
		select {
		case e, ok := <-w.Updates():
			if !ok {
				return Snapshot{}, errors.New("reading incidents: watcher closed")
			}
			if e == nil { // the end of the stored values
				return snap, nil
			}
			if err := decodeInto(&snap, e); err != nil {
				return Snapshot{}, err
			}
		case <-ctx.Done():
			return Snapshot{}, fmt.Errorf("reading incidents: %w", ctx.Err())
		}
	}
}

func decodeInto(snap *Snapshot, e jetstream.KeyValueEntry) error {
	if strings.HasPrefix(e.Key(), flapPrefix) {
		var f Flap
		if err := json.Unmarshal(e.Value(), &f); err != nil {
			return fmt.Errorf("decoding %s: %w", e.Key(), err)
		}
		snap.Flaps = append(snap.Flaps, f)
		return nil
	}
	var inc Incident
	if err := json.Unmarshal(e.Value(), &inc); err != nil {
		return fmt.Errorf("decoding incident %s: %w", e.Key(), err)
	}
	snap.Incidents = append(snap.Incidents, inc)
	return nil
}

// Get reads one incident.
func (s *JetStream) Get(ctx context.Context, id string) (Incident, bool, error) {
	if !validKey(id) || strings.HasPrefix(id, flapPrefix) {
		return Incident{}, false, nil
	}
	e, err := s.kv.Get(ctx, id)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return Incident{}, false, nil
	}
	if err != nil {
		return Incident{}, false, fmt.Errorf("reading incident %s: %w", id, err)
	}
	var inc Incident
	if err := json.Unmarshal(e.Value(), &inc); err != nil {
		return Incident{}, false, fmt.Errorf("decoding incident %s: %w", id, err)
	}
	return inc, true, nil
}

// validKey reports whether id can be a key: ids come from API paths.
func validKey(id string) bool {
	if id == "" || len(id) > 100 {
		return false
	}
	for _, c := range id {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return id[0] != '.' && id[len(id)-1] != '.'
}

// Put stores inc under its id.
func (s *JetStream) Put(ctx context.Context, inc Incident) error {
	return s.put(ctx, inc.ID, inc)
}

// PutFlap stores f under "flap." + its check.
func (s *JetStream) PutFlap(ctx context.Context, f Flap) error {
	return s.put(ctx, flapPrefix+f.Check, f)
}

// DeleteFlap forgets the check's flap period.
func (s *JetStream) DeleteFlap(ctx context.Context, check string) error {
	if err := s.kv.Delete(ctx, flapPrefix+check); err != nil && !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("deleting %s%s: %w", flapPrefix, check, err)
	}
	return nil
}

func (s *JetStream) put(ctx context.Context, key string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", key, err)
	}
	if _, err := s.kv.Put(ctx, key, data); err != nil {
		return fmt.Errorf("storing %s: %w", key, err)
	}
	return nil
}

// Append adds e to the events stream as a bus.Event of Kind EventKind. The
// event has no field for the incident id, the entry kind or who acted, so
// its Reason carries them: "inc-… acknowledged by alice: on it". The bus
// stores an event again within two minutes once (same check, kind, time
// and status), which is what makes a retried Append store one event.
func (s *JetStream) Append(ctx context.Context, check, id string, e Entry) error {
	_, err := s.bus.AppendEvent(ctx, bus.Event{Time: e.Time, Check: check, Kind: EventKind,
		From: e.From, To: e.To, Reason: eventReason(id, e)})
	return err
}

func eventReason(id string, e Entry) string {
	s := id + " " + e.Kind
	if e.By != "" {
		s += " by " + e.By
	}
	if e.Text != "" {
		s += ": " + e.Text
	}
	return s
}
