package app

import (
	"context"
	"log/slog"
)

// demoted wraps the logger of an embedded library (NATS, the TSDB) so that
// its chatty Info lines (banners, WAL replay) become Debug, while its
// warnings and errors still reach the operator.
type demoted struct{ slog.Handler }

func quiet(l *slog.Logger) *slog.Logger { return slog.New(demoted{l.Handler()}) }

func (d demoted) Enabled(ctx context.Context, level slog.Level) bool {
	return d.Handler.Enabled(ctx, demote(level))
}

func (d demoted) Handle(ctx context.Context, r slog.Record) error {
	r.Level = demote(r.Level)
	return d.Handler.Handle(ctx, r)
}

func (d demoted) WithAttrs(as []slog.Attr) slog.Handler { return demoted{d.Handler.WithAttrs(as)} }
func (d demoted) WithGroup(g string) slog.Handler       { return demoted{d.Handler.WithGroup(g)} }

func demote(l slog.Level) slog.Level {
	if l == slog.LevelInfo {
		return slog.LevelDebug
	}
	return l
}
