package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/picket-monitor/picket/bench/internal/picket"
)

// nodeExporter is where Debian's prometheus-node-exporter installs it.
const nodeExporter = "/usr/bin/prometheus-node-exporter"

// proc is one measured process over the window.
type proc struct {
	cores      float64 // CPU, in cores
	rss, peak  float64 // bytes at the end, and VmHWM
	anon       float64 // RssAnon at the end: rss without mapped files
	perSecond  float64 // samples produced per second
	perScrape  float64 // node_exporter: samples per scrape
	scrapeErrs int
}

// side is part 1: the agent and node_exporter over the same window.
type side struct {
	agent, ne            proc
	procsStart, procsEnd int
	series               float64 // the agent's series in the store
	tcpBytes, samples    float64 // agent→server bytes through the proxy, samples stored
	batchBytes           float64 // the payloads of the batches among them
	procBytes            float64 // and of the process tables
}

// rig is what part 1 runs: server, proxy, agent and node_exporter.
type rig struct {
	dir   string
	srv   *picket.Server
	px    *proxy
	agent *exec.Cmd
	ne    *exec.Cmd
	neURL string
	http  *http.Client
}

// startRig starts bin as the server and agentBin as the agent.
func startRig(bin, agentBin string) (*rig, error) {
	r := &rig{http: &http.Client{Timeout: 5 * time.Second}}
	var err error
	if r.dir, err = os.MkdirTemp("", "picket-bench-agent"); err != nil {
		return nil, err
	}
	seed, pub, err := enroll(agentBin, r.dir, "a1")
	if err != nil {
		return r, err
	}
	natsAddr, err := freeAddr()
	if err != nil {
		return r, err
	}
	cfg := fmt.Sprintf("agents:\n  hosts:\n    - {id: a1, public_key: %s}\n", pub)
	if r.srv, err = picket.Start(bin, cfg, "--nats-listen", natsAddr); err != nil {
		return r, fmt.Errorf("starting picket serve: %w", err)
	}
	if r.px, err = startProxy(natsAddr); err != nil {
		return r, err
	}
	if err := r.startAgent(agentBin, seed); err != nil {
		return r, err
	}
	return r, r.startNodeExporter()
}

func (r *rig) startAgent(bin, seed string) error {
	cfg := filepath.Join(r.dir, "agent.yaml")
	text := fmt.Sprintf("id: a1\nservers: [\"nats://%s\"]\nkey_file: %s\nspool_dir: %s\n"+
		"interval: 1s\nprocess_interval: 5s\nbatch_interval: 5s\n",
		r.px.addr(), seed, filepath.Join(r.dir, "spool"))
	if err := os.WriteFile(cfg, []byte(text), 0o600); err != nil {
		return err
	}
	logf, err := os.Create(filepath.Join(r.dir, "agent.log"))
	if err != nil {
		return err
	}
	r.agent = exec.Command(bin, "agent", "--config", cfg)
	r.agent.Stdout, r.agent.Stderr = logf, logf
	return r.agent.Start()
}

func (r *rig) startNodeExporter() error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	r.ne = exec.Command(nodeExporter, "--web.listen-address="+addr)
	if err := r.ne.Start(); err != nil {
		return fmt.Errorf("starting %s (apt-get install prometheus-node-exporter): %w", nodeExporter, err)
	}
	r.neURL = "http://" + addr + "/metrics"
	for range 50 {
		if _, _, err = scrape(r.http, r.neURL, ""); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("node_exporter does not answer: %w", err)
}

// stopServer stops the agent, then the server with SIGTERM so that it
// closes its TSDB, and returns the TSDB's directory (r.stop removes it).
func (r *rig) stopServer() (string, error) {
	r.agent.Process.Kill()
	r.agent.Wait()
	r.agent = nil
	if err := r.srv.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- r.srv.Cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return "", fmt.Errorf("picket serve on SIGTERM: %w", err)
		}
	case <-time.After(time.Minute):
		r.srv.Cmd.Process.Kill()
		<-done
		return "", errors.New("picket serve did not stop within a minute of SIGTERM")
	}
	return filepath.Join(r.srv.Dir(), "data", "tsdb"), nil
}

func (r *rig) stop() {
	for _, c := range []*exec.Cmd{r.agent, r.ne} {
		if c != nil && c.Process != nil {
			c.Process.Kill()
			c.Wait()
		}
	}
	if r.px != nil {
		r.px.close()
	}
	if r.srv != nil {
		r.srv.Stop()
	}
	os.RemoveAll(r.dir)
}

// waitSamples waits until the server has stored samples of the agent.
func (r *rig) waitSamples(ctx context.Context, limit time.Duration) error {
	end := time.Now().Add(limit)
	for time.Now().Before(end) && ctx.Err() == nil {
		if n, err := agentSamples(r.http, r.srv.URL); err == nil && n > 0 {
			return nil
		}
		time.Sleep(500 * time.Millisecond)
	}
	return fmt.Errorf("no agent samples reached the server within %s (log in %s)", limit, r.dir)
}
