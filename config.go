package jwtguard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/internal/jwa"
	"github.com/jwtguard/jwtguard/jwks"
)

// A KeySource returns the key that verifies a token, given the header's "kid" (possibly "")
// and "alg". *jwks.Cache (an issuer's JWK Set, kept fresh) and *jwks.Set (static keys) are
// key sources.
//
// Key must be safe for concurrent use and should not allocate on a hit: Verify calls it for
// every token it has not verified before. It returns an error matching ErrUnknownKey when no
// key has the kid, ErrKeyMismatch when the kid's key cannot verify alg, and
// ErrKeysUnavailable when it cannot answer now; Verify treats any other error as
// ErrKeysUnavailable.
type KeySource interface {
	Key(ctx context.Context, kid, alg string) (*jwks.Key, error)
}

// Limits and defaults of Config.
const (
	DefaultLeeway        = 30 * time.Second
	MaxLeeway            = 5 * time.Minute
	DefaultMaxTokenBytes = 16 << 10
	MaxMaxTokenBytes     = 64 << 10
	DefaultCacheEntries  = 8192
	DefaultCacheBytes    = 32 << 20
)

// Config configures a Verifier. New copies it; later changes have no effect. A zero field
// never turns a check off: it selects the documented default.
type Config struct {
	// Issuer is the trusted issuer, compared byte for byte with "iss" (Auth0:
	// "https://YOUR_DOMAIN/", with the trailing slash). Required unless Issuers is set.
	Issuer string
	// Audience lists the accepted audiences; the token's "aud" must contain at least one.
	// Required.
	Audience []string
	// Keys verifies Issuer's tokens. If nil, New discovers the issuer's jwks_uri from
	// /.well-known/openid-configuration and builds a *jwks.Cache, which Close closes.
	Keys KeySource
	// Issuers lists further trusted issuers, each with its own keys and, optionally, its own
	// audiences. A key verifies only tokens of the issuer whose source it came from.
	Issuers []Issuer

	// Algorithms lists the accepted "alg" values. Default {"RS256"}. "none" is never
	// accepted; HS256/384/512 need a secret key (jwks.NewSecretKey) in Keys.
	Algorithms []string
	// Leeway is the clock skew allowed on exp, nbf and iat. Zero means DefaultLeeway; a
	// negative value means none; at most MaxLeeway.
	Leeway time.Duration
	// MaxAge, if set, rejects tokens issued ("iat", then required) longer ago than this.
	MaxAge time.Duration
	// AuthorizedParties, if set, lists the clients whose tokens are accepted: the token's
	// "azp", or else its "client_id", must be one of them.
	AuthorizedParties []string
	// Organizations, if set, lists the accepted Auth0 Organizations: "org_id" must be one.
	Organizations []string
	// RequiredClaims lists claims that must be present, e.g. "sub" or
	// "https://example.com/roles". "exp" is always required.
	RequiredClaims []string
	// RequireAccessTokenType requires the header "typ" of RFC 9068 JWT access tokens
	// ("at+jwt" or "application/at+jwt"). Otherwise "JWT" and an absent typ are accepted too.
	RequireAccessTokenType bool
	// Validate, if set, sees the claims of every token that passed all other checks and may
	// reject it. It runs once per token: later presentations of the same token are answered
	// from the verified-token cache without calling it again.
	Validate func(ctx context.Context, c *claims.Claims) error

	// MaxTokenBytes caps the token's length before anything is decoded. Zero means
	// DefaultMaxTokenBytes; at most MaxMaxTokenBytes.
	MaxTokenBytes int
	// CacheEntries and CacheBytes bound the verified-token cache. Zero means
	// DefaultCacheEntries and DefaultCacheBytes.
	CacheEntries int
	CacheBytes   int64
	// DisableCache turns the verified-token cache off: every call verifies the signature.
	DisableCache bool
	// StdlibRSA verifies RS* and PS* signatures with crypto/rsa instead of jwtguard's
	// prepared-key implementation. Slower; for those who prefer the standard library's code.
	StdlibRSA bool

	// HTTPClient is used for discovery and JWK Set fetches when Keys is nil. Default: a
	// client with timeouts.
	HTTPClient *http.Client
	// Logger receives key-fetch events when Keys is nil. Default slog.Default().
	Logger *slog.Logger
	// Now returns the current time. Default time.Now.
	Now func() time.Time
}

// An Issuer is a trusted issuer in Config.Issuers.
type Issuer struct {
	// URL is the issuer identifier, compared byte for byte with "iss".
	URL string
	// Audience lists the audiences accepted for this issuer; if empty, Config.Audience.
	Audience []string
	// Keys verifies this issuer's tokens; if nil, it is discovered as for Config.Keys.
	Keys KeySource
}

// A Verifier verifies access tokens. It is safe for concurrent use.
type Verifier struct {
	issuers  []issuer
	algs     [16]bool // indexed by jwa.Alg
	leeway   time.Duration
	maxAge   time.Duration
	parties  []string
	orgs     []string
	required []string
	atJWT    bool
	validate func(context.Context, *claims.Claims) error
	maxSize  int
	stdRSA   bool
	now      func() time.Time
	cache    *tokenCache // nil when disabled

	headers headerCache

	closers   []func() error
	closeOnce sync.Once
}

type issuer struct {
	url      string
	audience []string
	keys     KeySource
}

// New checks c and returns a Verifier. When an issuer has no Keys, New discovers and fetches
// its JWK Set before returning, and fails if it cannot: a verifier never starts with an empty
// key set. ctx bounds that start-up work only.
func New(ctx context.Context, c Config) (*Verifier, error) {
	v := &Verifier{
		leeway:   c.Leeway,
		maxAge:   c.MaxAge,
		parties:  slices.Clone(c.AuthorizedParties),
		orgs:     slices.Clone(c.Organizations),
		required: slices.Clone(c.RequiredClaims),
		atJWT:    c.RequireAccessTokenType,
		validate: c.Validate,
		maxSize:  c.MaxTokenBytes,
		stdRSA:   c.StdlibRSA,
		now:      c.Now,
	}
	switch {
	case v.leeway == 0:
		v.leeway = DefaultLeeway
	case v.leeway < 0:
		v.leeway = 0
	case v.leeway > MaxLeeway:
		return nil, fmt.Errorf("jwtguard: Config.Leeway %v exceeds %v", c.Leeway, MaxLeeway)
	}
	if v.maxAge < 0 {
		return nil, errors.New("jwtguard: Config.MaxAge is negative")
	}
	switch {
	case v.maxSize == 0:
		v.maxSize = DefaultMaxTokenBytes
	case v.maxSize < 0 || v.maxSize > MaxMaxTokenBytes:
		return nil, fmt.Errorf("jwtguard: Config.MaxTokenBytes must be between 1 and %d", MaxMaxTokenBytes)
	}
	if len(v.required) > 64 {
		return nil, errors.New("jwtguard: Config.RequiredClaims lists more than 64 claims")
	}
	if v.now == nil {
		v.now = time.Now
	}

	algs := c.Algorithms
	if len(algs) == 0 {
		algs = []string{"RS256"}
	}
	hmac := false
	for _, name := range algs {
		a := jwa.Parse(name)
		if a == jwa.Invalid {
			return nil, fmt.Errorf("jwtguard: Config.Algorithms: %q is not a supported algorithm", name)
		}
		v.algs[a] = true
		hmac = hmac || a.Family() == jwa.FamilyHMAC
	}

	all := c.Issuers
	if c.Issuer != "" {
		all = append([]Issuer{{URL: c.Issuer, Keys: c.Keys}}, all...)
	} else if c.Keys != nil {
		return nil, errors.New("jwtguard: Config.Keys is set but Config.Issuer is empty")
	}
	if len(all) == 0 {
		return nil, errors.New("jwtguard: Config.Issuer is empty")
	}
	for _, is := range all {
		if is.URL == "" {
			return nil, errors.New("jwtguard: Config.Issuers has an empty URL")
		}
		if slices.ContainsFunc(v.issuers, func(o issuer) bool { return o.url == is.URL }) {
			return nil, fmt.Errorf("jwtguard: issuer %q is configured twice", is.URL)
		}
		aud := is.Audience
		if len(aud) == 0 {
			aud = c.Audience
		}
		if len(aud) == 0 || slices.Contains(aud, "") {
			return nil, fmt.Errorf("jwtguard: no audience for issuer %q (Config.Audience is required)", is.URL)
		}
		v.issuers = append(v.issuers, issuer{url: is.URL, audience: slices.Clone(aud), keys: is.Keys})
	}

	for i := range v.issuers {
		is := &v.issuers[i]
		if is.keys != nil {
			continue
		}
		if hmac {
			v.Close()
			return nil, fmt.Errorf("jwtguard: HS* algorithms need a secret key; issuer %q has no Keys", is.url)
		}
		cache, err := discover(ctx, is.url, c.HTTPClient, c.Logger)
		if err != nil {
			v.Close()
			return nil, err
		}
		is.keys = cache
		v.closers = append(v.closers, cache.Close)
	}

	if !c.DisableCache {
		entries, bytes := c.CacheEntries, c.CacheBytes
		if entries <= 0 {
			entries = DefaultCacheEntries
		}
		if bytes <= 0 {
			bytes = DefaultCacheBytes
		}
		v.cache = newTokenCache(entries, bytes)
	}
	return v, nil
}

// discover builds the JWK Set cache of an issuer from its discovery document. It fetches the
// keys before returning and fails if it cannot.
func discover(ctx context.Context, iss string, client *http.Client, logger *slog.Logger) (*jwks.Cache, error) {
	cache, err := jwks.New(ctx, jwks.Options{Issuer: iss, HTTPClient: client, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("jwtguard: keys of issuer %q: %w", iss, err)
	}
	return cache, nil
}

// Close releases what New started: the JWK Set caches it built for issuers without Keys.
// Key sources passed in Config are the caller's to close. Close is safe to call more than once.
func (v *Verifier) Close() error {
	var errs []error
	v.closeOnce.Do(func() {
		for _, c := range v.closers {
			errs = append(errs, c())
		}
	})
	return errors.Join(errs...)
}
