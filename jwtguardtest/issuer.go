package jwtguardtest

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Defaults applied by [Start] and [Issuer.Sign].
const (
	// DefaultAlgorithm is the algorithm of the only signing key when
	// Options.Algorithms is empty.
	DefaultAlgorithm = "RS256"
	// DefaultAudience is the audience when Options.Audience is empty.
	DefaultAudience = "https://api.example.com"
	// DefaultTTL is the token lifetime when Options.TTL is zero.
	DefaultTTL = time.Hour
	// DefaultSubject is the "sub" claim of a token whose claims do not set
	// one.
	DefaultSubject = "auth0|jwtguardtest"
)

// AlgNone is the algorithm name that makes [Issuer.SignWith] produce an
// unsecured JWT: alg "none", no "kid" and an empty signature. It exists to
// test that verifiers reject such tokens; it cannot be listed in
// Options.Algorithms.
const AlgNone = "none"

// Options configures an Issuer. The zero value is usable.
type Options struct {
	// Algorithms lists the JWS algorithms to create a signing key for, one
	// key per algorithm. The first one is what [Issuer.Sign] uses. Empty means
	// {"RS256"}. Supported: RS256, RS384, RS512, PS256, PS384, PS512
	// (2048-bit RSA keys), ES256, ES384, ES512 (P-256, P-384, P-521), EdDSA
	// (Ed25519) and HS256, HS384, HS512 (random secrets as long as the hash
	// output). HS secrets are never published in the JWK Set.
	Algorithms []string
	// Audience is the default "aud" claim. Empty means DefaultAudience.
	Audience string
	// TTL is the default token lifetime, from "iat" to "exp". Zero means
	// DefaultTTL; a negative TTL mints tokens that are already expired.
	TTL time.Duration
	// Now returns the current time for the default "iat" and "exp" claims.
	// Nil means time.Now.
	Now func() time.Time
}

// Issuer is an in-process token issuer with a loopback HTTP server for its
// discovery document and JWK Set. Create one with [Start] or [NewIssuer].
// All methods are safe for concurrent use.
type Issuer struct {
	srv       *httptest.Server
	url       string
	audience  string
	ttl       time.Duration
	now       func() time.Time
	algs      []string // as configured, in order
	discovery []byte
	requests  atomic.Int64

	mu        sync.RWMutex
	current   map[string]*key // alg → the key Sign and SignWith use
	lastSeq   map[string]int  // alg → the highest key sequence number handed out
	published []*key          // keys in the JWK Set, in the order they were added
}

// Start creates an Issuer with a signing key for each configured algorithm
// and starts its HTTP server on a loopback address. It returns an error for
// an unsupported or repeated algorithm, or if no loopback port is available.
// Call Close when done; tests should prefer [NewIssuer], which does so
// automatically.
func Start(opts Options) (*Issuer, error) {
	algList := slices.Clone(opts.Algorithms)
	if len(algList) == 0 {
		algList = []string{DefaultAlgorithm}
	}
	seen := make(map[string]bool, len(algList))
	for _, alg := range algList {
		if _, ok := algs[alg]; !ok {
			return nil, fmt.Errorf("jwtguardtest: unsupported algorithm %q (supported: %v)", alg, supported())
		}
		if seen[alg] {
			return nil, fmt.Errorf("jwtguardtest: algorithm %q listed twice", alg)
		}
		seen[alg] = true
	}

	i := &Issuer{
		audience: opts.Audience,
		ttl:      opts.TTL,
		now:      opts.Now,
		algs:     algList,
		current:  make(map[string]*key, len(algList)),
		lastSeq:  make(map[string]int, len(algList)),
	}
	if i.audience == "" {
		i.audience = DefaultAudience
	}
	if i.ttl == 0 {
		i.ttl = DefaultTTL
	}
	if i.now == nil {
		i.now = time.Now
	}

	// RSA key generation is slow, so generate the keys concurrently.
	keys := make([]*key, len(algList))
	errs := make([]error, len(algList))
	var wg sync.WaitGroup
	for n, alg := range algList {
		wg.Go(func() { keys[n], errs[n] = newKey(alg, 1) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, k := range keys {
		i.lastSeq[k.alg] = k.seq
		i.install(k)
	}

	ln, err := listenLoopback()
	if err != nil {
		return nil, err
	}
	// Everything the handlers read is set before the server starts.
	i.url = "http://" + ln.Addr().String() + "/"
	i.discovery, err = json.Marshal(discoveryDocument{
		Issuer:                           i.url,
		AuthorizationEndpoint:            i.url + "authorize",
		TokenEndpoint:                    i.url + "oauth/token",
		JWKSURI:                          i.JWKSURL(),
		ResponseTypesSupported:           []string{"code"},
		SubjectTypesSupported:            []string{"public"},
		IDTokenSigningAlgValuesSupported: slices.Clone(algList),
	})
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("jwtguardtest: encoding discovery document: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", i.serveDiscovery)
	mux.HandleFunc("GET /.well-known/jwks.json", i.serveJWKS)
	i.srv = &httptest.Server{
		Listener: ln,
		Config:   &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second},
	}
	i.srv.Start()
	return i, nil
}

// NewIssuer is [Start] for tests: it calls t.Fatal if the issuer cannot be
// started and registers Close with t.Cleanup.
func NewIssuer(t testing.TB, opts Options) *Issuer {
	t.Helper()
	i, err := Start(opts)
	if err != nil {
		t.Fatal(err)
		return nil // only reached with a testing.TB whose Fatal returns
	}
	t.Cleanup(i.Close)
	return i
}

// listenLoopback listens on an ephemeral port of 127.0.0.1, or of ::1 on
// machines without IPv4 loopback.
func listenLoopback() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err == nil {
		return ln, nil
	}
	ln, err6 := net.Listen("tcp", "[::1]:0")
	if err6 == nil {
		return ln, nil
	}
	return nil, fmt.Errorf("jwtguardtest: listening on loopback: %w", errors.Join(err, err6))
}

// supported returns the names of all supported algorithms, sorted.
func supported() []string {
	names := make([]string, 0, len(algs))
	for name := range algs {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Close shuts the HTTP server down, waiting for requests in progress. It is
// safe to call more than once.
func (i *Issuer) Close() {
	i.srv.Close()
}

// URL returns the issuer identifier: the server's base URL followed by "/",
// for example "http://127.0.0.1:41234/", in the style of Auth0's
// "https://tenant.auth0.com/". It is the default "iss" claim.
func (i *Issuer) URL() string {
	return i.url
}

// JWKSURL returns the URL of the JWK Set, URL() + ".well-known/jwks.json".
func (i *Issuer) JWKSURL() string {
	return i.url + ".well-known/jwks.json"
}

// Audience returns the default "aud" claim.
func (i *Issuer) Audience() string {
	return i.audience
}

// Client returns an HTTP client configured for the issuer's server.
func (i *Issuer) Client() *http.Client {
	return i.srv.Client()
}

// Sign mints a token signed with the current key of the first configured
// algorithm. See [Issuer.SignWith] for the claims and header it writes.
//
// Sign panics only on programmer error: if a claim cannot be encoded as
// JSON.
func (i *Issuer) Sign(claims map[string]any) string {
	return i.SignWith(i.algs[0], nil, claims)
}

// SignWith mints a token signed with the current key of alg.
//
// The claims are those given plus these defaults for the names claims does
// not contain: "iss" = URL(), "aud" = Audience(), "sub" = DefaultSubject,
// "iat" = Now and "exp" = Now + TTL, times as integer seconds since the Unix
// epoch. A claim whose value is nil is left out, so {"exp": nil} mints a token
// without "exp"; to write a JSON null, use json.RawMessage("null"). A
// time.Time value is written as integer Unix seconds. The claims map is not
// modified.
//
// The header is {"alg": alg, "typ": "JWT", "kid": KeyID(alg)} with the
// entries of header applied on top: each one adds or replaces a parameter
// (for example "typ": "at+jwt", "kid": "other", "crit": []string{"exp"}), and
// a nil value removes the parameter (for example "kid": nil). Replacing "alg"
// changes only the header, not how the token is signed.
//
// With alg [AlgNone], the token is unsecured: its header has alg "none" and
// no "kid", and its signature is empty.
//
// SignWith panics only on programmer error: if alg is neither AlgNone nor an
// algorithm in Options.Algorithms, or if a claim or header value cannot be
// encoded as JSON.
func (i *Issuer) SignWith(alg string, header map[string]any, claims map[string]any) string {
	var (
		method jwt.SigningMethod
		signer any
		kid    string
	)
	if alg == AlgNone {
		method, signer = jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType
	} else {
		k := i.currentKey(alg)
		method, signer, kid = k.spec.method, k.signer, k.kid
	}

	tok := jwt.NewWithClaims(method, i.claims(claims))
	if kid != "" {
		tok.Header["kid"] = kid
	}
	for name, v := range header {
		if v == nil {
			delete(tok.Header, name)
		} else {
			tok.Header[name] = v
		}
	}
	s, err := tok.SignedString(signer)
	if err != nil {
		panic(fmt.Sprintf("jwtguardtest: signing %s token: %v", alg, err))
	}
	return s
}

// claims returns the claims of a new token: the defaults overridden by
// given, as described on SignWith.
func (i *Issuer) claims(given map[string]any) jwt.MapClaims {
	now := i.now()
	out := jwt.MapClaims{
		"iss": i.url,
		"aud": i.audience,
		"sub": DefaultSubject,
		"iat": now.Unix(),
		"exp": now.Add(i.ttl).Unix(),
	}
	for name, v := range given {
		switch v := v.(type) {
		case nil:
			delete(out, name)
		case time.Time:
			out[name] = v.Unix()
		default:
			out[name] = v
		}
	}
	return out
}

// KeyID returns the "kid" of the current key for alg, for example "rs256-1",
// or "rs256-2" after one Rotate. It panics if alg is not in
// Options.Algorithms.
func (i *Issuer) KeyID(alg string) string {
	return i.currentKey(alg).kid
}

// PublicKey returns the public key of the current key for alg: an
// *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey, or for HS
// algorithms a copy of the shared secret as []byte. It panics if alg is not
// in Options.Algorithms.
func (i *Issuer) PublicKey(alg string) crypto.PublicKey {
	k := i.currentKey(alg)
	if secret, ok := k.public.([]byte); ok {
		return bytes.Clone(secret)
	}
	return k.public
}

// Secret returns a copy of the current shared secret for an HS algorithm in
// Options.Algorithms; its length is the hash size (32, 48 or 64 bytes). It
// returns nil for any other algorithm.
func (i *Issuer) Secret(alg string) []byte {
	i.mu.RLock()
	k := i.current[alg]
	i.mu.RUnlock()
	if k == nil || k.spec.family != familyHMAC {
		return nil
	}
	return bytes.Clone(k.signer.([]byte))
}

// Rotate generates a new key for alg, makes it the key that Sign and SignWith
// use, and returns its "kid". The previous key stays in the JWK Set until
// Remove is called with its kid. Rotate panics if alg is not in
// Options.Algorithms.
func (i *Issuer) Rotate(alg string) (newKID string) {
	i.mu.Lock()
	if i.current[alg] == nil {
		i.mu.Unlock()
		panic(i.notConfigured(alg))
	}
	i.lastSeq[alg]++
	seq := i.lastSeq[alg]
	i.mu.Unlock()

	// Generate outside the lock: RSA key generation takes a while.
	k, err := newKey(alg, seq)
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	i.mu.Lock()
	i.install(k)
	i.mu.Unlock()
	return k.kid
}

// Remove stops publishing the key with the given kid in the JWK Set. If that
// key is still the current key of its algorithm, Sign and SignWith keep
// signing with it, which mints tokens whose kid the JWK Set does not list.
// Removing an unknown kid, or the kid of an HS secret, does nothing.
func (i *Issuer) Remove(kid string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.published = slices.DeleteFunc(i.published, func(k *key) bool { return k.kid == kid })
}

// JWKS returns the JWK Set that the server currently serves:
// {"keys":[...]}, one public JWK per published key, oldest first. Each JWK
// has "kty", "kid", "use": "sig" and "alg", then "n" and "e" for RSA keys
// (RFC 7518 section 6.3), "crv", "x" and "y" for EC keys (RFC 7518 section
// 6.2) or "crv" and "x" for Ed25519 keys (RFC 8037).
func (i *Issuer) JWKS() []byte {
	i.mu.RLock()
	defer i.mu.RUnlock()
	var b bytes.Buffer
	b.WriteString(`{"keys":[`)
	for n, k := range i.published {
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(k.jwk)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// Requests returns how many requests the server has answered at JWKSURL so
// far. Fetches of the discovery document and calls of JWKS are not counted.
func (i *Issuer) Requests() int {
	return int(i.requests.Load())
}

// install makes k current for its algorithm unless a newer key already is,
// and publishes it if it is asymmetric. The caller holds i.mu for writing.
func (i *Issuer) install(k *key) {
	if k.jwk != nil {
		i.published = append(i.published, k)
	}
	if cur := i.current[k.alg]; cur == nil || k.seq > cur.seq {
		i.current[k.alg] = k
	}
}

// currentKey returns the current key of alg, or panics if alg is not
// configured.
func (i *Issuer) currentKey(alg string) *key {
	i.mu.RLock()
	k := i.current[alg]
	i.mu.RUnlock()
	if k == nil {
		panic(i.notConfigured(alg))
	}
	return k
}

// notConfigured is the panic message for an algorithm without a key.
func (i *Issuer) notConfigured(alg string) string {
	return fmt.Sprintf("jwtguardtest: algorithm %q is not in Options.Algorithms %v", alg, i.algs)
}

// discoveryDocument is the OpenID Connect Discovery 1.0 metadata the server
// publishes. The authorization and token endpoints are advertised because
// OIDC requires them, but the server does not implement them.
type discoveryDocument struct {
	Issuer                           string   `json:"issuer"`
	AuthorizationEndpoint            string   `json:"authorization_endpoint"`
	TokenEndpoint                    string   `json:"token_endpoint"`
	JWKSURI                          string   `json:"jwks_uri"`
	ResponseTypesSupported           []string `json:"response_types_supported"`
	SubjectTypesSupported            []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported []string `json:"id_token_signing_alg_values_supported"`
}

func (i *Issuer) serveDiscovery(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(i.discovery)
}

func (i *Issuer) serveJWKS(w http.ResponseWriter, _ *http.Request) {
	i.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(i.JWKS())
}
