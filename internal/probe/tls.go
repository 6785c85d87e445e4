package probe

import (
	"cmp"
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
)

// TLSSettings are the settings of a tls check, whose target is host:port.
// The check watches the certificate: a chain that does not verify is down.
type TLSSettings struct {
	ServerName string `yaml:"server_name"` // default: the target's host
	MinDays    int    `yaml:"min_days"`    // default 14
	CAFile     string `yaml:"ca_file"`     // extra trusted roots (PEM)
}

func newTLSSettings() *TLSSettings { return &TLSSettings{MinDays: 14} }

type tlsProber struct {
	addr    string
	config  *tls.Config
	minDays int
	now     func() time.Time
}

// Prober validates the settings for the host:port target.
func (s *TLSSettings) Prober(target string) (Prober, error) {
	host, err := splitTarget(target)
	if err != nil {
		return nil, err
	}
	if s.MinDays < 0 {
		return nil, fielderr.Errorf("min_days", "must not be negative")
	}
	pool, err := loadCAFile("ca_file", s.CAFile)
	if err != nil {
		return nil, err
	}
	return &tlsProber{
		addr:    target,
		config:  &tls.Config{ServerName: cmp.Or(s.ServerName, host), RootCAs: pool},
		minDays: s.MinDays,
		now:     time.Now,
	}, nil
}

// Probe does a TLS handshake, verifying the chain and the name, and checks
// how long the certificates have left.
func (p *tlsProber) Probe(ctx context.Context, rep *Report) error {
	conn, err := dialTLS(ctx, p.addr, p.config)
	if err != nil {
		return err
	}
	defer conn.Close()
	st := conn.ConnectionState()
	if err := checkCertDays(rep, &st, p.now(), p.minDays); err != nil {
		return err
	}
	days, _ := certDaysLeft(&st, p.now())
	rep.Detail = fmt.Sprintf("certificate valid for %.0f more days", days)
	return nil
}
