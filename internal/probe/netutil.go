package probe

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// splitTarget checks that target is "host:port" with a port in 1-65535 and
// returns the host.
func splitTarget(target string) (string, error) {
	host, port, err := net.SplitHostPort(target)
	if err != nil {
		return "", fmt.Errorf("target %q: want host:port: %w", target, err)
	}
	n, err := strconv.Atoi(port)
	if host == "" || err != nil || n < 1 || n > 65535 {
		return "", fmt.Errorf("target %q: want host:port with a port in 1-65535", target)
	}
	return host, nil
}

// bindConn makes conn's reads and writes fail once ctx is done, for the
// libraries and calls that take no context. The returned func releases the
// binding; call it before conn is closed.
func bindConn(ctx context.Context, conn net.Conn) (release func() bool) {
	if d, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(d)
	}
	// A deadline in the past wakes any blocked read at once when ctx is
	// cancelled early.
	return context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
}

// loadCAFile returns the system roots plus the PEM certificates in path, or
// nil (the system roots) when path is empty. field names the setting.
func loadCAFile(field, path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, &fielderr.Error{Field: field, Err: err}
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fielderr.Errorf(field, "no PEM certificate in %s", path)
	}
	return pool, nil
}

// certDaysLeft returns the days until the earliest expiry among the
// certificates the connection was verified with (leaf, intermediates and
// root), or among the presented certificates when verification was skipped.
// ok is false when the connection carried no certificate.
func certDaysLeft(st *tls.ConnectionState, now time.Time) (days float64, ok bool) {
	certs := st.PeerCertificates
	if len(st.VerifiedChains) > 0 {
		certs = st.VerifiedChains[0]
	}
	var earliest time.Time
	for _, c := range certs {
		if earliest.IsZero() || c.NotAfter.Before(earliest) {
			earliest = c.NotAfter
		}
	}
	if earliest.IsZero() {
		return 0, false
	}
	return earliest.Sub(now).Hours() / 24, true
}

// checkCertDays records tls_cert_days_left and returns a degraded error when
// fewer than minDays are left; minDays 0 only records.
func checkCertDays(rep *Report, st *tls.ConnectionState, now time.Time, minDays int) error {
	days, ok := certDaysLeft(st, now)
	if !ok {
		return nil
	}
	rep.Set("tls_cert_days_left", days)
	if minDays > 0 && days < float64(minDays) {
		return Degradedf("certificate expires in %.1f days, want at least %d", days, minDays)
	}
	return nil
}

// netReason strips what the user already knows (the operation and the
// addresses) from a network error, leaving e.g. "connect: connection
// refused" or "i/o timeout".
func netReason(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}

// dialTLS connects to addr and does the TLS handshake, saying which of the
// two a timeout cut short.
func dialTLS(ctx context.Context, addr string, cfg *tls.Config) (*tls.Conn, error) {
	raw, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, netReason(err)
	}
	conn := tls.Client(raw, cfg)
	if err := conn.HandshakeContext(ctx); err != nil {
		raw.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("TLS handshake: %w", err)
		}
		return nil, err
	}
	return conn, nil
}
