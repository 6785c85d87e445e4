// Package picket starts `picket serve` as a process for the benchmark
// programs, on a config they write, and finds the address it serves on.
package picket

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
)

// Server is one running picket serve.
type Server struct {
	Cmd *exec.Cmd
	URL string
	dir string
}

var addrLine = regexp.MustCompile(`"serving HTTP" addr=http://(\S+)`)

// Start writes config to a temp dir and runs bin serve on it, with its
// data in the same dir, HTTP on a free loopback port and no NATS port.
// Extra arguments follow these, so a later --nats-listen ADDR overrides
// the empty one.
func Start(bin, config string, extra ...string) (*Server, error) {
	dir, err := os.MkdirTemp("", "picket-bench")
	if err != nil {
		return nil, err
	}
	cfg := filepath.Join(dir, "picket.yaml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		return nil, err
	}
	args := []string{"serve", "--config", cfg, "--data-dir", filepath.Join(dir, "data"),
		"--listen", "127.0.0.1:0", "--nats-listen", ""}
	cmd := exec.Command(bin, append(args, extra...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Cmd: cmd, dir: dir}
	if s.URL, err = waitAddr(stderr); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func waitAddr(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if m := addrLine.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, r)
			return "http://" + m[1], nil
		}
	}
	return "", fmt.Errorf("picket exited before serving")
}

// Dir is the temp dir that holds the config and the data dir "data".
func (s *Server) Dir() string { return s.dir }

// Stop kills the server and removes its data.
func (s *Server) Stop() {
	s.Cmd.Process.Kill()
	s.Cmd.Wait()
	os.RemoveAll(s.dir)
}
