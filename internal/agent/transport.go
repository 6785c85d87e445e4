package agent

import (
	"context"
	"errors"
)

// transport carries the agent's requests to the server and the server's
// commands to the agent. The runtime sees only this, so it is tested
// without NATS; the real one is natsTransport.
type transport interface {
	// Request sends data on subject and returns the reply. It fails at
	// once with errNotConnected while the connection is down, and with
	// errTooLarge for a message the connection can never carry.
	Request(ctx context.Context, subject string, data []byte) ([]byte, error)
	// Connects receives a value after every connect and reconnect, the
	// first included; values that nobody received in time coalesce.
	Connects() <-chan struct{}
	// Handle answers the requests on subject with h until ctx ends.
	Handle(ctx context.Context, subject string, h handler) error
}

// handler answers one request with the reply's payload.
type handler func(ctx context.Context, req []byte) []byte

// Errors of transport.Request, checked with errors.Is.
var (
	errNotConnected = errors.New("not connected to the server")
	errTooLarge     = errors.New("message larger than the connection allows")
)
