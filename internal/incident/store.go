package incident

import "context"

// Store keeps incidents and flap periods durably, and appends timeline
// entries to the audit log. JetStream is the production Store.
type Store interface {
	// Load returns every stored incident and every flap period that has
	// not ended.
	Load(ctx context.Context) (Snapshot, error)
	// Get returns the incident with the id; false means there is none.
	Get(ctx context.Context, id string) (Incident, bool, error)
	// Put stores inc, replacing the version before.
	Put(ctx context.Context, inc Incident) error
	// PutFlap stores f as the check's running flap period; DeleteFlap
	// forgets it when it ends (no error when there is none).
	PutFlap(ctx context.Context, f Flap) error
	DeleteFlap(ctx context.Context, check string) error
	// Append adds e, an entry of the incident or flap period id of check,
	// to the audit log. Appending the same entry again must store it once.
	Append(ctx context.Context, check, id string, e Entry) error
}

// Snapshot is what a Store holds.
type Snapshot struct {
	Incidents []Incident
	Flaps     []Flap
}
