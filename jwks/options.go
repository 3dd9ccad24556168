package jwks

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults for the Options fields left zero, and fixed limits.
const (
	defaultRefreshInterval    = 15 * time.Minute
	defaultMinRefreshInterval = time.Minute
	defaultMaxRefreshInterval = 24 * time.Hour
	defaultFetchTimeout       = 10 * time.Second
	defaultMaxStaleness       = 24 * time.Hour
	defaultUnknownKeyCooldown = time.Minute
	defaultMaxBodyBytes       = 1 << 20

	minBackoff   = time.Second     // first retry after a failed fetch
	maxBackoff   = 5 * time.Minute // retries double up to this
	maxRedirects = 3
)

// Options configure a [Cache]. [New] copies them; later changes have no effect.
//
// Exactly one of Issuer and URL must be set. A zero field means its documented default; no zero
// value turns a check off, and a negative duration or size is an error. Whatever weakens a check
// is named Insecure….
type Options struct {
	// Issuer is the OpenID Connect issuer whose keys are cached, e.g.
	// "https://tenant.auth0.com/" (Auth0 issuers end with a slash). The JWK Set URL is
	// discovered from Issuer + "/.well-known/openid-configuration" (a trailing slash is not
	// doubled); the document's "issuer" must equal Issuer byte for byte, and its "jwks_uri" must
	// pass the same scheme rule as URL. Discovery runs once, before the first fetch.
	Issuer string

	// URL is the JWK Set URL ("jwks_uri"), for issuers without discovery. It must be https,
	// unless its host is a loopback address (127.0.0.0/8, ::1 or "localhost") or
	// InsecureAllowHTTP is set. It must not carry credentials.
	URL string

	// HTTPClient makes the requests. If nil, a client using http.DefaultTransport is used. The
	// Cache works on a copy whose CheckRedirect enforces at most 3 redirects, never from https
	// to http, each target passing the scheme rule of URL; the client's own CheckRedirect, if
	// any, runs after those checks. Its Timeout, if set, applies on top of FetchTimeout.
	HTTPClient *http.Client

	// RefreshInterval is how often the keys are fetched when the response has no
	// "Cache-Control: max-age". Default 15 minutes. It is kept within [MinRefreshInterval,
	// MaxRefreshInterval], like max-age, and every interval gets ±10% random jitter.
	RefreshInterval time.Duration

	// MinRefreshInterval and MaxRefreshInterval bound the refresh interval taken from a
	// response's "Cache-Control: max-age" (less its "Age"), so that a server can neither make
	// the cache poll it constantly nor stop it from refreshing. MinRefreshInterval defaults to
	// 1 minute.
	MinRefreshInterval time.Duration

	// MaxRefreshInterval defaults to 24 hours; see MinRefreshInterval. Whatever the bounds, a
	// refresh is scheduled within MaxStaleness/2 of the last successful one, leaving time for
	// retries before the keys go stale.
	MaxRefreshInterval time.Duration

	// FetchTimeout bounds each HTTP request (discovery or JWK Set), including its redirects
	// and reading its body. Default 10 seconds.
	FetchTimeout time.Duration

	// MaxStaleness is how long the last good key set is served, since the last successful
	// fetch (a "304 Not Modified" counts), while refreshes fail. After that, Key fails closed
	// with ErrUnavailable until a fetch succeeds. Default 24 hours. It must be at least twice
	// MinRefreshInterval.
	MaxStaleness time.Duration

	// UnknownKeyCooldown is the least time between the start of one fetch and a fetch caused
	// by a token whose "kid" is not in the set (or by a request made while no usable set is
	// loaded). Such fetches are coalesced: at most one runs at a time, and a request never
	// waits on a rate limiter, only, bounded by its context, on a fetch already running.
	// Default 1 minute.
	UnknownKeyCooldown time.Duration

	// MaxBodyBytes caps the size of a discovery document or JWK Set. A larger response is a
	// failed fetch; the previous set is kept. Default 1 MiB.
	MaxBodyBytes int64

	// LazyStart makes New return at once without fetching: the first fetch runs in the
	// background, and until it succeeds Key returns ErrUnavailable (after waiting, bounded by
	// its context, for a fetch in progress). Without LazyStart, New fetches the keys first and
	// fails if it cannot.
	LazyStart bool

	// InsecureAllowHTTP allows plain-http Issuer, URL and "jwks_uri" on any host. Keys fetched
	// over http can be replaced by anyone on the network path, who can then sign any token.
	// Use it only on a network you trust. Even so, a redirect from https to http is refused.
	InsecureAllowHTTP bool

	// Logger receives one record per change of health (keys loaded, refresh failing, keys
	// stale, recovered) and one per unusable key in a newly fetched set. Records carry the URL,
	// key IDs and errors, never key material or tokens. If nil, slog.Default() is used.
	Logger *slog.Logger
}

// config is Options resolved: defaults applied, checked.
type config struct {
	issuer, url                      string
	refresh, minRefresh, maxRefresh  time.Duration
	fetchTimeout, maxStale, cooldown time.Duration
	maxBody                          int64
	lazy, insecureHTTP               bool
	log                              *slog.Logger
}

func (o *Options) resolve() (config, error) {
	c := config{
		issuer:       o.Issuer,
		url:          o.URL,
		lazy:         o.LazyStart,
		insecureHTTP: o.InsecureAllowHTTP,
		log:          o.Logger,
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	switch {
	case o.Issuer == "" && o.URL == "":
		return c, errors.New("jwks: Options.Issuer or Options.URL is required")
	case o.Issuer != "" && o.URL != "":
		return c, errors.New("jwks: Options.Issuer and Options.URL are exclusive")
	case o.Issuer != "":
		if _, err := checkURL(o.Issuer, o.InsecureAllowHTTP); err != nil {
			return c, fmt.Errorf("jwks: Options.Issuer: %w", err)
		}
	default:
		if _, err := checkURL(o.URL, o.InsecureAllowHTTP); err != nil {
			return c, fmt.Errorf("jwks: Options.URL: %w", err)
		}
	}
	durations := []struct {
		name string
		v    time.Duration
		def  time.Duration
		dst  *time.Duration
	}{
		{"RefreshInterval", o.RefreshInterval, defaultRefreshInterval, &c.refresh},
		{"MinRefreshInterval", o.MinRefreshInterval, defaultMinRefreshInterval, &c.minRefresh},
		{"MaxRefreshInterval", o.MaxRefreshInterval, defaultMaxRefreshInterval, &c.maxRefresh},
		{"FetchTimeout", o.FetchTimeout, defaultFetchTimeout, &c.fetchTimeout},
		{"MaxStaleness", o.MaxStaleness, defaultMaxStaleness, &c.maxStale},
		{"UnknownKeyCooldown", o.UnknownKeyCooldown, defaultUnknownKeyCooldown, &c.cooldown},
	}
	for _, d := range durations {
		switch {
		case d.v < 0:
			return c, fmt.Errorf("jwks: Options.%s is negative (%v)", d.name, d.v)
		case d.v == 0:
			*d.dst = d.def
		default:
			*d.dst = d.v
		}
	}
	if c.minRefresh > c.maxRefresh {
		return c, fmt.Errorf("jwks: Options.MinRefreshInterval (%v) exceeds MaxRefreshInterval (%v)", c.minRefresh, c.maxRefresh)
	}
	if c.maxStale < 2*c.minRefresh {
		return c, fmt.Errorf("jwks: Options.MaxStaleness (%v) is less than twice MinRefreshInterval (%v)", c.maxStale, c.minRefresh)
	}
	c.refresh = min(max(c.refresh, c.minRefresh), c.maxRefresh)
	switch {
	case o.MaxBodyBytes < 0:
		return c, fmt.Errorf("jwks: Options.MaxBodyBytes is negative (%d)", o.MaxBodyBytes)
	case o.MaxBodyBytes == 0:
		c.maxBody = defaultMaxBodyBytes
	default:
		c.maxBody = o.MaxBodyBytes
	}
	return c, nil
}

// checkURL parses raw and applies the scheme rule: https, or http on a loopback host or when
// insecure is set; an absolute URL with a host and no credentials.
func checkURL(raw string, insecure bool) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if err := checkScheme(u, insecure); err != nil {
		return nil, err
	}
	return u, nil
}

func checkScheme(u *url.URL, insecure bool) error {
	if u.Hostname() == "" {
		return fmt.Errorf("%q is not an absolute URL", u.Redacted())
	}
	if u.User != nil {
		return fmt.Errorf("%q must not contain credentials", u.Redacted())
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if insecure || isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q is not https (plain http is allowed only on loopback hosts or with Options.InsecureAllowHTTP)", u.Redacted())
	default:
		return fmt.Errorf("%q: scheme %q is not https", u.Redacted(), u.Scheme)
	}
}

// isLoopback reports whether host is "localhost" or a loopback IP (127.0.0.0/8, ::1).
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
