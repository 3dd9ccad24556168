package jwks

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var b64 = base64.RawURLEncoding

// A testKey signs like an issuer and publishes its public half as a JWK.
type testKey struct {
	kid, alg string
	priv     crypto.Signer
	jwk      map[string]any
}

func newEd25519Key(t testing.TB, kid string) *testKey {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return &testKey{kid: kid, alg: "EdDSA", priv: priv, jwk: map[string]any{
		"kty": "OKP", "crv": "Ed25519", "kid": kid, "x": b64.EncodeToString(pub),
	}}
}

func newECKey(t testing.TB, kid string, curve elliptic.Curve) *testKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := priv.PublicKey.Bytes() // 0x04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	size := (len(pt) - 1) / 2
	alg := map[string]string{"P-256": "ES256", "P-384": "ES384", "P-521": "ES512"}[curve.Params().Name]
	return &testKey{kid: kid, alg: alg, priv: priv, jwk: map[string]any{
		"kty": "EC", "crv": curve.Params().Name, "kid": kid, "use": "sig",
		"x": b64.EncodeToString(pt[1 : 1+size]), "y": b64.EncodeToString(pt[1+size:]),
	}}
}

// rsaPriv is generated once per test binary: RSA key generation is slow here.
var rsaPriv = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

func newRSAKey(kid string) *testKey {
	priv := rsaPriv()
	return &testKey{kid: kid, alg: "RS256", priv: priv, jwk: map[string]any{
		"kty": "RSA", "kid": kid, "alg": "RS256",
		"n": b64.EncodeToString(priv.N.Bytes()), "e": b64.EncodeToString(big.NewInt(int64(priv.E)).Bytes()),
	}}
}

// sign returns the JWS signature of input with k's algorithm.
func (k *testKey) sign(_ testing.TB, input string) []byte {
	switch p := k.priv.(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(p, []byte(input))
	case *ecdsa.PrivateKey:
		var h []byte
		switch k.alg {
		case "ES256":
			s := sha256.Sum256([]byte(input))
			h = s[:]
		case "ES384":
			s := sha512.Sum384([]byte(input))
			h = s[:]
		default:
			s := sha512.Sum512([]byte(input))
			h = s[:]
		}
		r, s, err := ecdsa.Sign(rand.Reader, p, h)
		if err != nil {
			panic(err) // cannot happen; sign runs in goroutines, where t.Fatal may not
		}
		size := (p.Curve.Params().BitSize + 7) / 8
		sig := make([]byte, 2*size)
		r.FillBytes(sig[:size])
		s.FillBytes(sig[size:])
		return sig
	case *rsa.PrivateKey:
		h := sha256.Sum256([]byte(input))
		sig, err := rsa.SignPKCS1v15(rand.Reader, p, crypto.SHA256, h[:])
		if err != nil {
			panic(err)
		}
		return sig
	}
	panic(fmt.Sprintf("unknown key type %T", k.priv))
}

// jwksDoc renders a JWK Set of the given keys: *testKey or raw JSON strings.
func jwksDoc(keys ...any) []byte {
	list := make([]any, 0, len(keys))
	for _, k := range keys {
		switch k := k.(type) {
		case *testKey:
			list = append(list, k.jwk)
		case string:
			list = append(list, json.RawMessage(k))
		}
	}
	b, err := json.Marshal(map[string]any{"keys": list})
	if err != nil {
		panic(err)
	}
	return b
}

// idp is a small issuer: a discovery document at <prefix>/.well-known/openid-configuration and a
// JWK Set at <prefix>/jwks.json, with switches to misbehave. Safe for concurrent use.
type idp struct {
	mu           sync.Mutex
	issuer       string // "issuer" in the discovery document
	jwksURI      string // "jwks_uri" in the discovery document
	keys         []any  // *testKey or raw JSON
	cacheControl string
	age          string
	etag         bool
	// hook, when set, may answer a JWK Set request itself (returning true). It runs without mu.
	hook func(w http.ResponseWriter, r *http.Request) bool
	reqs []request
}

type request struct {
	path, ifNoneMatch string
	at                time.Time
}

func (p *idp) set(keys ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keys = keys
}

func (p *idp) setHook(h func(w http.ResponseWriter, r *http.Request) bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hook = h
}

// requests returns every request received so far.
func (p *idp) requests() []request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]request(nil), p.reqs...)
}

// fetches returns the JWK Set requests received so far.
func (p *idp) fetches() []request {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []request
	for _, r := range p.reqs {
		if strings.HasSuffix(r.path, "/jwks.json") {
			out = append(out, r)
		}
	}
	return out
}

func (p *idp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.reqs = append(p.reqs, request{path: r.URL.Path, ifNoneMatch: r.Header.Get("If-None-Match"), at: time.Now()})
	hook, doc := p.hook, jwksDoc(p.keys...)
	issuer, jwksURI, cc, age, etag := p.issuer, p.jwksURI, p.cacheControl, p.age, p.etag
	p.mu.Unlock()
	switch {
	case strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration"):
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"issuer": issuer, "jwks_uri": jwksURI})
	case strings.HasSuffix(r.URL.Path, "/jwks.json"):
		if hook != nil && hook(w, r) {
			return
		}
		if cc != "" {
			w.Header().Set("Cache-Control", cc)
		}
		if age != "" {
			w.Header().Set("Age", age)
		}
		if etag {
			sum := sha256.Sum256(doc)
			tag := `"` + hex.EncodeToString(sum[:8]) + `"`
			w.Header().Set("ETag", tag)
			if r.Header.Get("If-None-Match") == tag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", "application/jwk-set+json")
		w.Write(doc)
	default:
		http.NotFound(w, r)
	}
}

// failWith returns a hook answering every JWK Set request with status.
func failWith(status int) func(w http.ResponseWriter, r *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		http.Error(w, "nope", status)
		return true
	}
}

// serve starts a real loopback server for p and sets its URLs; the issuer is its root + "/".
func serve(t testing.TB, p *idp) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.mu.Lock()
	p.issuer, p.jwksURI = srv.URL+"/", srv.URL+"/jwks.json"
	p.mu.Unlock()
	return srv
}

// serveHandler starts a real loopback server for h.
func serveHandler(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// handlerTransport serves requests with an http.Handler in memory, for tests in a synctest
// bubble, where real sockets are not durably blocking. The handler is the real one.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	if err := r.Context().Err(); err != nil {
		return nil, err
	}
	return rec.Result(), nil
}

// bubbleCache returns a Cache for p reached through handlerTransport, closed at the end of the
// test. o.URL defaults to https://idp.test/jwks.json.
func bubbleCache(t *testing.T, p *idp, o Options) *Cache {
	t.Helper()
	p.mu.Lock()
	if p.issuer == "" {
		p.issuer, p.jwksURI = "https://idp.test/", "https://idp.test/jwks.json"
	}
	p.mu.Unlock()
	if o.URL == "" && o.Issuer == "" {
		o.URL = "https://idp.test/jwks.json"
	}
	o.HTTPClient = &http.Client{Transport: handlerTransport{p}}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	c, err := New(t.Context(), o)
	require.NoError(t, err, "New")
	t.Cleanup(func() { c.Close() })
	return c
}

// logSink records log records.
type logSink struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (s *logSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *logSink) WithAttrs([]slog.Attr) slog.Handler       { return s }
func (s *logSink) WithGroup(string) slog.Handler            { return s }
func (s *logSink) Handle(_ context.Context, r slog.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, r.Clone())
	return nil
}

// count returns how many records have a message starting with prefix.
func (s *logSink) count(prefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.recs {
		if strings.HasPrefix(r.Message, prefix) {
			n++
		}
	}
	return n
}

// text renders every record, attributes included.
func (s *logSink) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for _, r := range s.recs {
		fmt.Fprintf(&b, "%s %s", r.Level, r.Message)
		r.Attrs(func(a slog.Attr) bool {
			fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
			return true
		})
		b.WriteByte('\n')
	}
	return b.String()
}

// mustKey looks kid up and checks that the key verifies a fresh signature by want.
func mustKey(t testing.TB, c interface {
	Key(context.Context, string, string) (*Key, error)
}, want *testKey) *Key {
	t.Helper()
	k, err := c.Key(context.Background(), want.kid, want.alg)
	require.NoError(t, err, "Key(%q, %s)", want.kid, want.alg)
	const input = "header.payload"
	require.NoError(t, k.Verify(want.alg, input, want.sign(t, input)), "Key(%q).Verify", want.kid)
	return k
}
