package agent

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"sync"
	"time"

	"github.com/picket-monitor/picket/internal/agent/proto"
	"github.com/picket-monitor/picket/internal/schedule"
)

const (
	// maxActionOutput is how much of an action's output the reply carries:
	// the end, where the reason for a failure usually is.
	maxActionOutput = 4 << 10
	// actionWaitDelay bounds the wait for output after an action is killed
	// or exits, when a child it left behind holds its pipes.
	actionWaitDelay = 2 * time.Second
)

// actions runs the actions of the agent's config, each at most once at a
// time. The argv is the config's: a request names an action, nothing more.
type actions struct {
	byName map[string]Action
	clock  schedule.Clock
	log    *slog.Logger
	stats  *stats

	mu      sync.Mutex // protects running
	running map[string]bool
}

func newActions(list []Action, clock schedule.Clock, log *slog.Logger, st *stats) *actions {
	a := &actions{byName: make(map[string]Action, len(list)), clock: clock, log: log, stats: st,
		running: make(map[string]bool)}
	for _, act := range list {
		a.byName[act.Name] = act
	}
	return a
}

func (a *actions) has(name string) bool {
	_, ok := a.byName[name]
	return ok
}

// run runs the named action within its timeout; the reply is ok when it
// exits with 0.
func (a *actions) run(ctx context.Context, name string) commandReply {
	act := a.byName[name]
	if !a.claim(name) {
		return commandReply{Error: fmt.Sprintf("action %q is already running", name)}
	}
	defer a.release(name)
	a.stats.actionsRun.Add(1)
	ctx, cancel := context.WithTimeout(ctx, act.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, act.Command[0], act.Command[1:]...)
	out := &tail{max: maxActionOutput}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = actionWaitDelay
	start := a.clock.Now()
	err := cmd.Run()
	res := proto.ActionResult{Name: name, ExitCode: -1, Seconds: a.clock.Now().Sub(start).Seconds()}
	res.Output, res.Truncated = out.text()
	if cmd.ProcessState != nil {
		res.ExitCode = cmd.ProcessState.ExitCode()
	}
	rep := commandReply{OK: err == nil, Data: res}
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		rep.Error = fmt.Sprintf("timed out after %v", act.Timeout)
	case errors.As(err, &exit) && res.ExitCode >= 0:
		rep.Error = fmt.Sprintf("exited with code %d", res.ExitCode)
	default:
		rep.Error = err.Error()
	}
	a.log.Info("ran an action for the server", "action", name, "exit_code", res.ExitCode,
		"seconds", res.Seconds, "error", rep.Error)
	return rep
}

func (a *actions) claim(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.running[name] {
		return false
	}
	a.running[name] = true
	return true
}

func (a *actions) release(name string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.running, name)
}

// tail keeps the last max bytes written to it. exec writes to it from one
// goroutine at a time when Stdout and Stderr are the same writer.
type tail struct {
	max   int
	buf   []byte
	total int
}

func (t *tail) Write(p []byte) (int, error) {
	t.total += len(p)
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

// text returns the output kept and whether some was cut off.
func (t *tail) text() (string, bool) {
	b := t.buf
	if len(b) > t.max {
		b = b[len(b)-t.max:]
	}
	return string(b), t.total > t.max
}
