// Package email sends notifications as email through an SMTP server
// (submission with STARTTLS, implicit TLS, or a local relay) using the
// go-mail client. Every message of one incident threads together in mail
// clients, and a re-sent notification keeps its Message-ID.
package email

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"syscall"

	gomail "github.com/wneessen/go-mail"

	"github.com/picket-monitor/picket/internal/notify"
)

// Notifier sends each message as one email to the configured recipients.
// It is safe for concurrent use; every Notify opens its own connection.
type Notifier struct {
	cfg  *config
	opts []gomail.Option
}

// New validates s and returns a notifier. A bad setting is reported as a
// *fielderr.Error naming it.
func New(s Settings) (*Notifier, error) {
	c, err := s.check()
	if err != nil {
		return nil, err
	}
	n := &Notifier{cfg: c, opts: clientOptions(c)}
	if _, err := gomail.NewClient(c.host, n.opts...); err != nil {
		return nil, fmt.Errorf("setting up the SMTP client: %w", err)
	}
	return n, nil
}

// clientOptions turns the config into go-mail's options, except the
// dialer, which is made per send.
func clientOptions(c *config) []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(c.port), gomail.WithTimeout(c.timeout)}
	switch c.mode {
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.helo != "" {
		opts = append(opts, gomail.WithHELO(c.helo))
	}
	if c.username != "" {
		opts = append(opts, gomail.WithSMTPAuth(c.auth), gomail.WithUsername(c.username),
			gomail.WithPassword(c.password.Reveal()))
	}
	return opts
}

// Notify sends m as one email. The whole exchange, from dialling to QUIT,
// ends within the configured timeout. retry is true for network errors,
// timeouts and 4xx replies; false for 5xx replies (a rejected recipient,
// failed authentication), TLS failures and a server without STARTTLS
// when it is required.
func (n *Notifier) Notify(ctx context.Context, m notify.Message) (retry bool, err error) {
	msg := n.message(m)
	ctx, cancel := context.WithTimeout(ctx, n.cfg.timeout)
	defer cancel()
	opts := append(n.opts[:len(n.opts):len(n.opts)],
		gomail.WithTLSConfig(n.cfg.tls.Clone()), gomail.WithDialContextFunc(n.dialer(ctx)))
	client, err := gomail.NewClient(n.cfg.host, opts...)
	if err != nil {
		return false, n.redact(fmt.Errorf("setting up the SMTP client: %w", err))
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil || msg.IsDelivered() {
		// Once the server took the message, a failed QUIT must not cause
		// a second copy.
		return false, nil
	}
	retry = retryable(err) || ctx.Err() != nil
	return retry, n.redact(fmt.Errorf("sending mail via %s: %w", n.cfg.addr, n.timedOut(ctx, err)))
}

// timedOut says so when err comes from the timeout, which go-mail's
// per-command deadline or the context may hit first.
func (n *Notifier) timedOut(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return fmt.Errorf("timed out after %s: %w", n.cfg.timeout, err)
	case ctx.Err() != nil:
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}

// dialer returns go-mail's dial function: TCP, then the TLS handshake for
// implicit TLS, and a connection that closes when life ends, so that a
// server answering slowly cannot stretch a send past the timeout.
func (n *Notifier) dialer(life context.Context) gomail.DialContextFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if n.cfg.mode == TLSImplicit {
			tc := tls.Client(conn, n.cfg.tls.Clone())
			if err := tc.HandshakeContext(ctx); err != nil {
				conn.Close()
				return nil, err
			}
			conn = tc
		}
		context.AfterFunc(life, func() { conn.Close() })
		return conn, nil
	}
}

// redact removes the password from err's text, should a server or a
// library ever echo it.
func (n *Notifier) redact(err error) error { return notify.Scrub(err, n.cfg.password.Reveal()) }

// retryable says whether sending again may succeed: yes for a 4xx reply
// and for network trouble, no for a 5xx reply, a TLS failure or a policy
// refusal (no STARTTLS, no usable AUTH).
func retryable(err error) bool {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code/100 == 4
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		if code := se.ErrorCode(); code != 0 {
			return code/100 == 4
		}
		return se.IsTemp() || se.Reason == gomail.ErrConnCheck || se.Reason == gomail.ErrWriteContent ||
			se.Reason == gomail.ErrSMTPData || se.Reason == gomail.ErrSMTPDataClose
	}
	if tlsFailure(err) {
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// tlsFailure reports a certificate or handshake failure, which repeats
// until someone changes the server or the config.
func tlsFailure(err error) bool {
	var (
		cv *tls.CertificateVerificationError
		ua x509.UnknownAuthorityError
		he x509.HostnameError
		ci x509.CertificateInvalidError
		ae tls.AlertError
		re tls.RecordHeaderError
		oe *net.OpError
	)
	// crypto/tls reports alerts, sent or received, as a *net.OpError
	// with one of these operations.
	alert := errors.As(err, &oe) && (oe.Op == "remote error" || oe.Op == "local error")
	return alert || errors.As(err, &cv) || errors.As(err, &ua) || errors.As(err, &he) || errors.As(err, &ci) ||
		errors.As(err, &ae) || errors.As(err, &re)
}
