package main

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// proxy forwards TCP connections to a target and counts the bytes the
// clients send, so the agent's bytes on the wire are measured where they
// travel: NATS protocol, hellos, process tables and batches.
type proxy struct {
	ln    net.Listener
	to    string
	up    atomic.Int64 // bytes from clients to the target
	pubs  *pubCounter  // the same bytes, read as NATS protocol
	wg    sync.WaitGroup
	mu    sync.Mutex // protects conns
	conns []net.Conn
}

func startProxy(to string) (*proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, to: to, pubs: newPubCounter()}
	p.wg.Go(p.accept)
	return p, nil
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", p.to)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, s)
		p.mu.Unlock()
		p.wg.Go(func() { io.Copy(io.MultiWriter(countWriter{s, &p.up}, p.pubs), c); s.Close() })
		p.wg.Go(func() { io.Copy(c, s); c.Close() })
	}
}

type countWriter struct {
	w io.Writer
	n *atomic.Int64
}

func (c countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n.Add(int64(n))
	return n, err
}

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}
