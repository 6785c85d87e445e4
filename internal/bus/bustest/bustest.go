// Package bustest starts a real embedded bus for other packages' tests.
package bustest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/picket-monitor/picket/internal/bus"
)

// Start starts a bus on dir, without a TCP listener and with a small
// results stream (JetStream reserves its size on disk), logging warnings
// to the test's output, and closes it when the test ends; Close may also
// be called earlier, as restart tests do.
func Start(t testing.TB, dir string) *bus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := bus.Start(ctx, bus.Options{
		DataDir:         dir,
		ResultsMaxBytes: 64 << 20,
		Logger:          slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	})
	if err != nil {
		t.Fatalf("bus.Start: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("bus.Close: %v", err)
		}
	})
	return b
}
