package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultTimeout bounds one request of a channel unless its config says
// otherwise.
const DefaultTimeout = 10 * time.Second

// maxReply is how much of a reply a channel reads; services answer with a
// few hundred bytes, and a runaway reply must not fill memory.
const maxReply = 1 << 20

// userAgent is sent with every request that does not set its own.
const userAgent = "picket"

// HTTP is a channel's own HTTP client: a per-request timeout, no shared
// global client, and errors that never carry the request URL, because
// Telegram, Slack, Discord and Teams put credentials in it, nor any secret
// given to Hiding.
type HTTP struct {
	client  *http.Client
	timeout time.Duration
	secrets []string // as given to Hiding
	hide    scrubber // their forms, cut out of every error
}

// NewHTTP returns a client whose requests each end after timeout (zero
// means DefaultTimeout). insecure skips TLS verification, for self-hosted
// servers with private certificates.
func NewHTTP(timeout time.Duration, insecure bool) *HTTP {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: timeout}).DialContext,
		TLSClientConfig:     &tls.Config{InsecureSkipVerify: insecure},
		TLSHandshakeTimeout: timeout,
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	return &HTTP{client: &http.Client{Transport: tr, Timeout: timeout}, timeout: timeout}
}

// Hiding returns a client that shares h's connections and also keeps
// secrets (tokens, keys, webhook URLs, header values) out of its errors,
// in every form Scrub knows, even when a server quotes them back. A
// channel passes every credential it sends, so that no error can leak
// one; h itself is unchanged.
func (h *HTTP) Hiding(secrets ...string) *HTTP {
	c := *h
	c.secrets = append(slices.Clip(h.secrets), secrets...)
	c.hide = newScrubber(c.secrets)
	return &c
}

// Scrub removes the secrets given to Hiding from err, as Scrub does. Do
// and PostJSON apply it themselves; a channel applies it to the errors it
// makes from a reply (an in-band failure quoting the request).
func (h *HTTP) Scrub(err error) error { return h.hide.scrub(err) }

// Do sends req and returns the reply's body when its status is 2xx. Any
// other status is an error quoting the status and a short excerpt of the
// reply; retry is true for network errors, timeouts, 429 and 5xx. A
// request without a User-Agent gets "picket". Errors are scrubbed of the
// secrets given to Hiding.
func (h *HTTP) Do(ctx context.Context, req *http.Request) (body []byte, retry bool, err error) {
	body, retry, err = h.do(ctx, req)
	return body, retry, h.Scrub(err)
}

func (h *HTTP) do(ctx context.Context, req *http.Request) (body []byte, retry bool, err error) {
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", userAgent)
	}
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	resp, err := h.client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, true, fmt.Errorf("sending: %w", stripURL(err))
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxReply))
	if err != nil {
		return nil, true, fmt.Errorf("reading the reply: %w", stripURL(err))
	}
	if resp.StatusCode/100 != 2 {
		retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
		return body, retry, fmt.Errorf("HTTP %d: %s", resp.StatusCode, Excerpt(body))
	}
	return body, false, nil
}

// PostJSON posts v as JSON to u with extra headers, as Do.
func (h *HTTP) PostJSON(ctx context.Context, u string, header http.Header, v any) ([]byte, bool, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false, fmt.Errorf("encoding the request: %w", err)
	}
	return h.post(ctx, u, header, "application/json", bytes.NewReader(b))
}

// PostForm posts form URL-encoded to u with extra headers, as Do.
func (h *HTTP) PostForm(ctx context.Context, u string, header http.Header, form url.Values) ([]byte, bool, error) {
	return h.post(ctx, u, header, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (h *HTTP) post(ctx context.Context, u string, header http.Header, contentType string, body io.Reader) ([]byte, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, body)
	if err != nil {
		return nil, false, h.Scrub(fmt.Errorf("building the request: %w", stripURL(err)))
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", contentType)
	return h.Do(ctx, req)
}

// stripURL drops the URL from a *url.Error, keeping the operation and the
// cause, so that a token in the URL cannot reach a log or the API.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("%s: timed out: %w", ue.Op, ue.Err)
		}
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// Excerpt is the start of a reply, on one line, for an error message.
func Excerpt(b []byte) string {
	const max = 200
	s := strings.Join(strings.Fields(string(b)), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	if s == "" {
		return "(empty reply)"
	}
	return s
}
