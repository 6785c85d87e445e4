package probe

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// maxTCPRead is how many bytes the tcp probe reads while looking for the
// expected text before it gives up.
const maxTCPRead = 64 << 10

// TCPSettings are the settings of a tcp check, whose target is host:port.
type TCPSettings struct {
	Send               string `yaml:"send"`   // written after connecting (and the TLS handshake)
	Expect             string `yaml:"expect"` // must appear in what the server sends
	TLS                bool   `yaml:"tls"`
	ServerName         string `yaml:"server_name"` // default: the target's host
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
	CAFile             string `yaml:"ca_file"`
}

func newTCPSettings() *TCPSettings { return &TCPSettings{} }

type tcpProber struct {
	addr   string
	send   []byte
	expect []byte
	tls    *tls.Config // nil: plain TCP
	now    func() time.Time
}

// Prober validates the settings for the host:port target.
func (s *TCPSettings) Prober(target string) (Prober, error) {
	host, err := splitTarget(target)
	if err != nil {
		return nil, err
	}
	p := &tcpProber{addr: target, send: []byte(s.Send), expect: []byte(s.Expect), now: time.Now}
	if !s.TLS {
		if err := s.checkNoTLS(); err != nil {
			return nil, err
		}
		return p, nil
	}
	pool, err := loadCAFile("ca_file", s.CAFile)
	if err != nil {
		return nil, err
	}
	p.tls = &tls.Config{ServerName: cmp.Or(s.ServerName, host), RootCAs: pool, InsecureSkipVerify: s.InsecureSkipVerify}
	return p, nil
}

// checkNoTLS rejects TLS settings on a plain TCP check, where they would
// be silently ignored.
func (s *TCPSettings) checkNoTLS() error {
	switch {
	case s.ServerName != "":
		return fielderr.Errorf("server_name", "needs tls: true")
	case s.InsecureSkipVerify:
		return fielderr.Errorf("insecure_skip_verify", "needs tls: true")
	case s.CAFile != "":
		return fielderr.Errorf("ca_file", "needs tls: true")
	}
	return nil
}

// Probe connects, optionally sends, and looks for the expected text.
func (p *tcpProber) Probe(ctx context.Context, rep *Report) error {
	conn, err := p.dial(ctx, rep)
	if err != nil {
		return err
	}
	defer conn.Close()
	release := bindConn(ctx, conn)
	defer release()
	if len(p.send) > 0 {
		if _, err := conn.Write(p.send); err != nil {
			return Degradedf("connected, but sending failed: %w", err)
		}
	}
	if len(p.expect) > 0 {
		if err := readUntil(conn, p.expect); err != nil {
			return Degraded(err)
		}
	}
	rep.Detail = "connected"
	if len(p.expect) > 0 {
		rep.Detail = fmt.Sprintf("connected, got %q", p.expect)
	}
	return nil
}

// dial connects, doing the TLS handshake when configured; a failed
// handshake or an untrusted certificate means the service is unusable, so
// it counts as no answer.
func (p *tcpProber) dial(ctx context.Context, rep *Report) (net.Conn, error) {
	if p.tls == nil {
		conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", p.addr)
		return conn, netReason(err)
	}
	conn, err := dialTLS(ctx, p.addr, p.tls)
	if err != nil {
		return nil, err
	}
	st := conn.ConnectionState()
	_ = checkCertDays(rep, &st, p.now(), 0)
	return conn, nil
}

// readUntil reads from r until want appears, the connection ends, the
// deadline passes or maxTCPRead bytes were read without it.
func readUntil(r io.Reader, want []byte) error {
	buf := make([]byte, 0, 4096)
	chunk := make([]byte, 4096)
	for len(buf) < maxTCPRead {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if bytes.Contains(buf, want) {
			return nil
		}
		switch {
		case errors.Is(err, io.EOF):
			return fmt.Errorf("connection closed after %d bytes without %q", len(buf), want)
		case errors.Is(err, os.ErrDeadlineExceeded):
			return fmt.Errorf("no %q in %d bytes before the deadline", want, len(buf))
		case err != nil:
			return fmt.Errorf("reading: %w", netReason(err))
		}
	}
	return fmt.Errorf("no %q in the first %d bytes", want, len(buf))
}
