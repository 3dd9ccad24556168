package jwks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// A fetchError reports a failed discovery or JWK Set fetch. It matches ErrUnavailable and its
// cause, like the ClaimError of the style guide.
type fetchError struct {
	op  string // "fetch" or "discover"
	url string
	err error
}

func (e *fetchError) Error() string   { return "jwks: " + e.op + " " + e.url + ": " + e.err.Error() }
func (e *fetchError) Unwrap() []error { return []error{ErrUnavailable, e.err} }

var (
	errBodyTooLarge = errors.New("response body exceeds the size limit")
	errNotModified  = errors.New("unexpected 304 Not Modified to an unconditional request")
	errClosed       = fmt.Errorf("%w: the cache is closed", ErrUnavailable)
)

// response is what a successful GET returned.
type response struct {
	notModified bool
	body        []byte
	etag        string
	maxAge      time.Duration // -1 when the response has no usable max-age
}

// newClient returns a copy of base (or of a default client) whose redirects obey the rules of
// Options.HTTPClient.
func newClient(base *http.Client, insecure bool) *http.Client {
	cl := &http.Client{}
	if base != nil {
		*cl = *base
	}
	next := cl.CheckRedirect
	cl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("stopped after %d redirects", maxRedirects)
		}
		if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("refused redirect from https to %q", req.URL.Redacted())
		}
		if err := checkScheme(req.URL, insecure); err != nil {
			return fmt.Errorf("refused redirect: %w", err)
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return cl
}

// get fetches rawURL within the fetch timeout. With etag set it makes a conditional request, and
// a 304 answer is a success. Any status but 200 and that 304 is an error, as is a body over the
// size cap. No lock is held.
func (c *Cache) get(ctx context.Context, rawURL, etag string) (response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) { // its text repeats the URL, which fetchError names
			err = ue.Err
		}
		return response{}, err
	}
	defer resp.Body.Close()
	r := response{etag: resp.Header.Get("ETag"), maxAge: maxAge(resp.Header)}
	switch {
	case resp.StatusCode == http.StatusNotModified && etag != "":
		r.notModified = true
		if r.etag == "" {
			r.etag = etag
		}
		return r, nil
	case resp.StatusCode == http.StatusNotModified:
		return response{}, errNotModified
	case resp.StatusCode != http.StatusOK:
		return response{}, fmt.Errorf("unexpected status %q", resp.Status)
	case resp.ContentLength > c.cfg.maxBody:
		return response{}, fmt.Errorf("%w: Content-Length %d, limit %d", errBodyTooLarge, resp.ContentLength, c.cfg.maxBody)
	}
	r.body, err = io.ReadAll(io.LimitReader(resp.Body, c.cfg.maxBody+1))
	if err != nil {
		return response{}, fmt.Errorf("reading body: %w", err)
	}
	if int64(len(r.body)) > c.cfg.maxBody {
		return response{}, fmt.Errorf("%w of %d bytes", errBodyTooLarge, c.cfg.maxBody)
	}
	return r, nil
}

// discover reads the issuer's OpenID Connect discovery document and returns its checked
// "jwks_uri".
func (c *Cache) discover(ctx context.Context) (string, error) {
	u := strings.TrimSuffix(c.cfg.issuer, "/") + "/.well-known/openid-configuration"
	fail := func(err error) (string, error) { return "", &fetchError{op: "discover", url: u, err: err} }
	r, err := c.get(ctx, u, "")
	if err != nil {
		return fail(err)
	}
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		return fail(fmt.Errorf("malformed discovery document: %w", err))
	}
	if doc.Issuer != c.cfg.issuer {
		return fail(fmt.Errorf("issuer %q in the document does not match %q", doc.Issuer, c.cfg.issuer))
	}
	if doc.JWKSURI == "" {
		return fail(errors.New(`document has no "jwks_uri"`))
	}
	if _, err := checkURL(doc.JWKSURI, c.cfg.insecureHTTP); err != nil {
		return fail(fmt.Errorf("jwks_uri: %w", err))
	}
	return doc.JWKSURI, nil
}

// maxAge returns the freshness lifetime a response grants: its Cache-Control max-age less its
// Age, or -1 if it has no valid max-age.
func maxAge(h http.Header) time.Duration {
	const limit = 10 * 365 * 24 * 60 * 60 // seconds; far above any clamp, far below overflow
	for _, v := range h.Values("Cache-Control") {
		for d := range strings.SplitSeq(v, ",") {
			name, val, ok := strings.Cut(strings.TrimSpace(d), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(name), "max-age") {
				continue
			}
			secs, err := strconv.ParseInt(strings.Trim(strings.TrimSpace(val), `"`), 10, 64)
			if err != nil || secs < 0 {
				return -1
			}
			if age, err := strconv.ParseInt(strings.TrimSpace(h.Get("Age")), 10, 64); err == nil && age > 0 {
				secs -= min(age, secs)
			}
			return time.Duration(min(secs, limit)) * time.Second
		}
	}
	return -1
}
