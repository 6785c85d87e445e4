package probe

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/picket-monitor/picket/internal/fielderr"
	"github.com/picket-monitor/picket/internal/secret"
)

// maxHTTPBody is how much of a response body the http probe reads and
// checks; the rest is discarded unread.
const maxHTTPBody = 1 << 20

// HTTPSettings are the settings of an http check, whose target is a URL.
type HTTPSettings struct {
	Method             string            `yaml:"method"`  // default GET
	Headers            map[string]string `yaml:"headers"` // "Host" sets the virtual host
	Body               string            `yaml:"body"`
	FollowRedirects    bool              `yaml:"follow_redirects"` // default true
	MaxRedirects       int               `yaml:"max_redirects"`    // default 10
	InsecureSkipVerify bool              `yaml:"insecure_skip_verify"`
	CAFile             string            `yaml:"ca_file"`       // extra trusted roots (PEM)
	MinCertDays        int               `yaml:"min_cert_days"` // 0: off
	Auth               HTTPAuth          `yaml:"auth"`
	Expect             HTTPExpect        `yaml:"expect"`
}

// HTTPAuth holds at most one of basic and bearer credentials.
type HTTPAuth struct {
	Basic  BasicAuth  `yaml:"basic"`
	Bearer BearerAuth `yaml:"bearer"`
}

// BasicAuth is HTTP basic authentication.
type BasicAuth struct {
	Username     string        `yaml:"username"`
	Password     secret.Secret `yaml:"password"`
	PasswordFile string        `yaml:"password_file"`
}

// BearerAuth sends "Authorization: Bearer <token>".
type BearerAuth struct {
	Token     secret.Secret `yaml:"token"`
	TokenFile string        `yaml:"token_file"`
}

func newHTTPSettings() *HTTPSettings {
	return &HTTPSettings{
		Method:          http.MethodGet,
		FollowRedirects: true,
		MaxRedirects:    10,
		Expect:          HTTPExpect{Status: StatusRanges{{200, 299}}},
	}
}

// errTooManyRedirects marks a redirect chain longer than max_redirects.
var errTooManyRedirects = errors.New("too many redirects")

type httpProber struct {
	url     string
	method  string
	headers http.Header
	host    string
	body    string
	auth    func(*http.Request)
	client  *http.Client
	expect  *httpExpectation
	minDays int
	now     func() time.Time
}

// Prober validates the settings for the URL target and builds the prober
// with its own transport.
func (s *HTTPSettings) Prober(target string) (Prober, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("target %q: want an http:// or https:// URL", target)
	}
	p := &httpProber{url: target, body: s.Body, minDays: s.MinCertDays, now: time.Now}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	p.method, err = httpMethod(s.Method)
	add(err)
	p.headers, p.host, err = httpHeaders(s.Headers)
	add(err)
	p.auth, err = s.Auth.apply()
	add(err)
	p.expect, err = s.Expect.compile()
	add(err)
	if s.MaxRedirects < 0 {
		add(fielderr.Errorf("max_redirects", "must not be negative"))
	}
	if s.MinCertDays < 0 {
		add(fielderr.Errorf("min_cert_days", "must not be negative"))
	}
	tr, err := s.transport()
	add(err)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p.client = &http.Client{Transport: tr, CheckRedirect: redirectPolicy(s.FollowRedirects, s.MaxRedirects)}
	return p, nil
}

// transport builds the prober's own transport. Keep-alives are off: a
// check must open a fresh connection every time, or a reused idle
// connection would hide a server that no longer accepts new ones and the
// timing would leave out the connect and TLS handshake. There is no proxy:
// the check watches the path from this node to the target.
func (s *HTTPSettings) transport() (*http.Transport, error) {
	if s.CAFile != "" {
		// Read at every load, so a reload picks up a changed CA file.
		pool, err := loadCAFile("ca_file", s.CAFile)
		if err != nil {
			return nil, err
		}
		return newTransport(&tls.Config{InsecureSkipVerify: s.InsecureSkipVerify, RootCAs: pool}), nil
	}
	return sharedTransports.get(s.InsecureSkipVerify), nil
}

func newTransport(tc *tls.Config) *http.Transport {
	return &http.Transport{
		DialContext:       (&net.Dialer{}).DialContext,
		TLSClientConfig:   tc,
		DisableKeepAlives: true,
		ForceAttemptHTTP2: true,
	}
}

// transportCache shares one Transport among the checks that use the system
// roots, one for verifying and one for insecure_skip_verify. Keep-alives
// are off, so a shared Transport holds no connections and no check can see
// another's; sharing saves the ~2.5 KB a Transport costs, 25 MB at 10,000
// checks.
type transportCache struct {
	mu sync.Mutex // protects m
	m  map[bool]*http.Transport
}

var sharedTransports = transportCache{m: make(map[bool]*http.Transport)}

func (c *transportCache) get(insecure bool) *http.Transport {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.m[insecure]
	if !ok {
		t = newTransport(&tls.Config{InsecureSkipVerify: insecure})
		c.m[insecure] = t
	}
	return t
}

// redirectPolicy returns the client's CheckRedirect: without follow, the
// redirect itself is the response judged; with it, at most max are followed.
func redirectPolicy(follow bool, max int) func(*http.Request, []*http.Request) error {
	return func(_ *http.Request, via []*http.Request) error {
		if !follow {
			return http.ErrUseLastResponse
		}
		if len(via) > max {
			return fmt.Errorf("stopped after %d redirects: %w", max, errTooManyRedirects)
		}
		return nil
	}
}

// Probe sends the request and judges the response.
func (p *httpProber) Probe(ctx context.Context, rep *Report) error {
	ctx, phase := tracePhase(ctx)
	req, err := http.NewRequestWithContext(ctx, p.method, p.url, strings.NewReader(p.body))
	if err != nil {
		return fmt.Errorf("building request: %w", err)
	}
	req.Header = p.headers.Clone()
	req.Host = p.host
	p.auth(req)
	resp, err := p.client.Do(req)
	if err != nil {
		return requestError(err, phase())
	}
	defer resp.Body.Close()
	rep.Set("http_status_code", float64(resp.StatusCode))
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxHTTPBody))
	if err != nil {
		return fmt.Errorf("HTTP %d, reading body: %w", resp.StatusCode, err)
	}
	if err := p.expect.check(resp.StatusCode, body); err != nil {
		return err
	}
	if resp.TLS != nil {
		if err := checkCertDays(rep, resp.TLS, p.now(), p.minDays); err != nil {
			return err
		}
	}
	rep.Detail = fmt.Sprintf("HTTP %d", resp.StatusCode)
	return nil
}

// tracePhase follows a request through its phases, so that a timeout can
// say which one it cut short. The trace runs on the transport's goroutines,
// hence the atomic.
func tracePhase(ctx context.Context) (context.Context, func() string) {
	var phase atomic.Value
	phase.Store("connecting")
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		TLSHandshakeStart:    func() { phase.Store("TLS handshake") },
		WroteRequest:         func(httptrace.WroteRequestInfo) { phase.Store("waiting for the response") },
		GotFirstResponseByte: func() { phase.Store("reading the response") },
	})
	return ctx, func() string { return phase.Load().(string) }
}

// requestError turns a failed request into the reason shown to the user: a
// redirect loop is a wrong answer, anything else is no answer. A timeout
// says which phase it cut short.
func requestError(err error, phase string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(err, errTooManyRedirects):
		return Degraded(err)
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		return fmt.Errorf("%s: %w", phase, err)
	}
	return netReason(err)
}
