package bus

import (
	"crypto/tls"
	"fmt"
	"time"
)

// tlsTimeout bounds a client's TLS handshake on the listener. It is a bit
// over nats-server's default of 2 s: a thousand agents reconnecting at
// once after a restart, over slow links, must not time out in the queue.
const tlsTimeout = 5 * time.Second

// ServerTLS loads a PEM certificate chain (the server's own certificate
// first) and its PEM private key into a config for Options.TLS. Two empty
// paths mean no TLS: nil and no error. It fails when a file cannot be
// read, holds no certificate or key, or when the key is not the
// certificate's. The files are read once: a replaced certificate is used
// from the next Start.
func ServerTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the nats certificate %s and key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// listenerTLS returns the config the listener uses: a copy of c (nil stays
// nil), so that the caller's config is neither used nor changed by the
// server (a handshake stores session ticket keys in it), with TLS 1.2 at
// least. Start keeps the copy in the bus's options, so SetAgents hands
// the server the very same config and its reload sees no TLS change.
func listenerTLS(c *tls.Config) *tls.Config {
	if c == nil {
		return nil
	}
	c = c.Clone()
	c.MinVersion = max(c.MinVersion, tls.VersionTLS12)
	return c
}
