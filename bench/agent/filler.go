package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
)

// fillProcesses starts idle processes (sleep) until the machine has about
// n, so the agent's process scan sees as many as issue 4 measures with;
// stop ends them. It starts none when there are n already, and at most
// 1,000.
func fillProcesses(n int) (stop func(), err error) {
	have, err := countProcesses()
	if err != nil {
		return func() {}, err
	}
	var cmds []*exec.Cmd
	stop = func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}
	for i := range min(max(n-have, 0), 1000) {
		c := exec.Command("sleep", strconv.Itoa(86400+i)) // distinct command lines, as real processes have
		if err := c.Start(); err != nil {
			stop()
			return func() {}, fmt.Errorf("starting filler processes: %w", err)
		}
		cmds = append(cmds, c)
	}
	return stop, nil
}

// countProcesses counts the processes in /proc.
func countProcesses() (int, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err == nil {
			n++
		}
	}
	return n, nil
}
