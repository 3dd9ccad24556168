package benchmarks

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	mwjwks "github.com/auth0/go-jwt-middleware/v2/jwks"
	"github.com/auth0/go-jwt-middleware/v2/validator"
	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"github.com/golang-jwt/jwt/v5"
	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	jwxjwt "github.com/lestrrat-go/jwx/v3/jwt"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// algs are the algorithms compared, in the order they are benchmarked.
var algs = []string{"RS256", "ES256", "EdDSA", "HS256"}

// rolesClaim is the namespaced custom claim an Auth0 Action typically adds.
const rolesClaim = "https://example.com/roles"

// An impl is one library set up to verify one algorithm's token: verify checks the
// signature, iss, aud and exp, and decodes the claims the way that library's users get at
// them.
type impl struct {
	lib    string
	verify func(ctx context.Context, token string) error
}

// A fixture is the issuer, the one token per algorithm that every library verifies, and
// every library set up for it. It is built once per test binary, outside any timed loop.
type fixture struct {
	iss    *jwtguardtest.Issuer
	tokens map[string]string // alg → token
	impls  map[string][]impl // alg → libraries, in benchmark order
	floors map[string]func() bool
	close  []func()
}

var (
	fixtureOnce sync.Once
	theFixture  *fixture
	fixtureErr  error
)

// getFixture returns the shared fixture, building it on first use.
func getFixture(tb testing.TB) *fixture {
	tb.Helper()
	fixtureOnce.Do(func() { theFixture, fixtureErr = newFixture(context.Background()) })
	if fixtureErr != nil {
		tb.Fatal(fixtureErr)
	}
	return theFixture
}

func TestMain(m *testing.M) {
	code := m.Run()
	if theFixture != nil {
		theFixture.Close()
	}
	os.Exit(code)
}

// Close stops the issuer and the key caches.
func (f *fixture) Close() {
	for i := len(f.close) - 1; i >= 0; i-- {
		f.close[i]()
	}
}

func newFixture(ctx context.Context) (f *fixture, err error) {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{
		Algorithms: algs,
		TTL:        24 * time.Hour, // Auth0's default access-token lifetime
	})
	if err != nil {
		return nil, err
	}
	f = &fixture{
		iss:    iss,
		tokens: map[string]string{},
		impls:  map[string][]impl{},
		floors: map[string]func() bool{},
		close:  []func(){iss.Close},
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()

	issuer, audience := iss.URL(), iss.Audience()
	// An Auth0 access token for an API, with the userinfo audience an "openid" scope adds,
	// RBAC permissions and a namespaced roles claim from an Action.
	tokenClaims := map[string]any{
		"sub":         "auth0|6650f0c1a2b3c4d5e6f70819",
		"aud":         []string{audience, issuer + "userinfo"},
		"azp":         "k3Jd8sQ1vX9mT2pL7wR4yZ6bN0cF5hGa",
		"scope":       "openid profile email read:contacts write:contacts",
		"permissions": []string{"read:contacts", "write:contacts"},
		rolesClaim:    []string{"admin", "editor"},
	}
	jwkSetJSON := iss.JWKS() // the JWK Set the issuer serves, for the libraries that take its JSON

	// jwtguard's key source for the published keys: discovery and the JWK Set over HTTP, as
	// jwtguard.New does for a Config with only an Issuer. One cache serves every verifier.
	quiet := slog.New(slog.DiscardHandler)
	published, err := jwks.New(ctx, jwks.Options{Issuer: issuer, HTTPClient: iss.Client(), Logger: quiet})
	if err != nil {
		return nil, err
	}
	f.close = append(f.close, func() { published.Close() })

	// keyfunc over the same JWK Set JSON.
	kf, err := keyfunc.NewJWKSetJSON(json.RawMessage(jwkSetJSON))
	if err != nil {
		return nil, fmt.Errorf("keyfunc: %w", err)
	}
	// jwx and go-jose parse the same JWK Set JSON.
	jwxSet, err := jwk.Parse(jwkSetJSON)
	if err != nil {
		return nil, fmt.Errorf("jwx: %w", err)
	}
	var joseSet jose.JSONWebKeySet
	if err := json.Unmarshal(jwkSetJSON, &joseSet); err != nil {
		return nil, fmt.Errorf("go-jose: %w", err)
	}
	// go-jwt-middleware's caching JWKS provider, as its Auth0 quickstart sets it up: it
	// discovers and fetches the same JWK Set, then serves it from memory for 5 minutes.
	issuerURL, err := url.Parse(issuer)
	if err != nil {
		return nil, err
	}
	mwProvider := mwjwks.NewCachingProvider(issuerURL, 5*time.Minute, mwjwks.WithCustomClient(iss.Client()))

	for _, alg := range algs {
		tok := iss.SignWith(alg, nil, tokenClaims)
		f.tokens[alg] = tok
		floor, err := newFloor(iss, alg, tok)
		if err != nil {
			return nil, err
		}
		f.floors[alg] = floor

		hmacAlg := strings.HasPrefix(alg, "HS")
		var secret []byte
		var keys jwtguard.KeySource = published
		if hmacAlg {
			secret = iss.Secret(alg)
			k, err := jwks.NewSecretKey(iss.KeyID(alg), alg, secret)
			if err != nil {
				return nil, err
			}
			if keys, err = jwks.NewSet(k); err != nil {
				return nil, err
			}
		}

		var impls []impl
		add := func(lib string, verify func(context.Context, string) error) {
			impls = append(impls, impl{lib, verify})
		}

		// jwtguard, cache off (every call verifies fully) and on (the same token again).
		for _, cached := range []bool{false, true} {
			v, err := jwtguard.New(ctx, jwtguard.Config{
				Issuer:       issuer,
				Audience:     []string{audience},
				Keys:         keys,
				Algorithms:   []string{alg},
				DisableCache: !cached,
				Logger:       quiet,
			})
			if err != nil {
				return nil, fmt.Errorf("jwtguard %s: %w", alg, err)
			}
			f.close = append(f.close, func() { v.Close() })
			name := "jwtguard"
			if cached {
				name = "jwtguard-cached"
			}
			add(name, func(ctx context.Context, tok string) error {
				_, err := v.Verify(ctx, tok)
				return err
			})
		}

		// golang-jwt/jwt/v5 with keyfunc/v3 (a reused parser; the claims in a typed struct).
		keyFunc := kf.Keyfunc
		if hmacAlg {
			keyFunc = func(*jwt.Token) (any, error) { return secret, nil }
		}
		parser := jwt.NewParser(
			jwt.WithValidMethods([]string{alg}),
			jwt.WithIssuer(issuer),
			jwt.WithAudience(audience),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
		)
		add("golang-jwt+keyfunc", func(_ context.Context, tok string) error {
			var c golangJWTClaims
			_, err := parser.ParseWithClaims(tok, &c, keyFunc)
			return err
		})

		// auth0/go-jwt-middleware/v2's validator with the caching JWKS provider, or a static
		// key function for the HMAC secret; custom claims as its quickstart declares them.
		mwKeyFunc := mwProvider.KeyFunc
		if hmacAlg {
			mwKeyFunc = func(context.Context) (any, error) { return secret, nil }
		}
		mw, err := validator.New(mwKeyFunc, validator.SignatureAlgorithm(alg), issuer, []string{audience},
			validator.WithCustomClaims(func() validator.CustomClaims { return &mwClaims{} }))
		if err != nil {
			return nil, fmt.Errorf("go-jwt-middleware %s: %w", alg, err)
		}
		add("go-jwt-middleware", func(ctx context.Context, tok string) error {
			_, err := mw.ValidateToken(ctx, tok)
			return err
		})

		// lestrrat-go/jwx/v3: jwt.Parse with the key set (or the secret), validation on.
		jwxKey := jwxjwt.WithKeySet(jwxSet)
		if hmacAlg {
			jwxKey = jwxjwt.WithKey(jwa.HS256(), secret)
		}
		jwxOpts := []jwxjwt.ParseOption{
			jwxKey,
			jwxjwt.WithValidate(true),
			jwxjwt.WithIssuer(issuer),
			jwxjwt.WithAudience(audience),
		}
		add("jwx", func(_ context.Context, tok string) error {
			_, err := jwxjwt.Parse([]byte(tok), jwxOpts...)
			return err
		})

		// go-jose/v4: jwt.ParseSigned, Claims (registered and custom), Validate.
		var joseKey any = &joseSet
		if hmacAlg {
			joseKey = secret
		}
		joseAlgs := []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)}
		add("go-jose", func(_ context.Context, tok string) error {
			t, err := josejwt.ParseSigned(tok, joseAlgs)
			if err != nil {
				return err
			}
			var std josejwt.Claims
			var custom customClaims
			if err := t.Claims(joseKey, &std, &custom); err != nil {
				return err
			}
			if std.Expiry == nil {
				return errors.New("go-jose: no exp")
			}
			return std.Validate(josejwt.Expected{
				Issuer:      issuer,
				AnyAudience: josejwt.Audience{audience},
				Time:        time.Now(),
			})
		})

		// coreos/go-oidc/v3: an IDTokenVerifier over a StaticKeySet holding the algorithm's
		// public key, the API's audience as the client ID; then the custom claims. go-oidc
		// verifies only asymmetric signatures: it has no HS256 entry.
		if !hmacAlg {
			ov := oidc.NewVerifier(issuer, &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{iss.PublicKey(alg)}},
				&oidc.Config{ClientID: audience, SupportedSigningAlgs: []string{alg}})
			add("go-oidc", func(ctx context.Context, tok string) error {
				t, err := ov.Verify(ctx, tok)
				if err != nil {
					return err
				}
				var custom customClaims
				return t.Claims(&custom)
			})
		}

		f.impls[alg] = impls
	}
	return f, nil
}

// customClaims are the Auth0 claims beyond the registered ones that an API reads.
type customClaims struct {
	Scope       string   `json:"scope"`
	Permissions []string `json:"permissions"`
	Roles       []string `json:"https://example.com/roles"`
}

// golangJWTClaims is how golang-jwt users declare such a token's claims.
type golangJWTClaims struct {
	jwt.RegisteredClaims
	customClaims
}

// mwClaims are go-jwt-middleware's validator.CustomClaims for the same claims.
type mwClaims struct{ customClaims }

func (*mwClaims) Validate(context.Context) error { return nil }

// newFloor returns the bare standard-library verification of tok, with its signature
// already decoded (and for ECDSA already DER-encoded): the hash plus the crypto call that no
// verifier can avoid.
func newFloor(iss *jwtguardtest.Issuer, alg, tok string) (func() bool, error) {
	i := strings.LastIndexByte(tok, '.')
	input := []byte(tok[:i])
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		return nil, err
	}
	if alg == "HS256" {
		mac := hmac.New(sha256.New, iss.Secret(alg))
		var sum [sha256.Size]byte
		return func() bool {
			mac.Reset()
			mac.Write(input)
			return hmac.Equal(mac.Sum(sum[:0]), sig)
		}, nil
	}
	switch pub := iss.PublicKey(alg).(type) {
	case *rsa.PublicKey:
		return func() bool {
			d := sha256.Sum256(input)
			return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig) == nil
		}, nil
	case *ecdsa.PublicKey:
		n := len(sig) / 2
		der, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])})
		if err != nil {
			return nil, err
		}
		return func() bool {
			d := sha256.Sum256(input)
			return ecdsa.VerifyASN1(pub, d[:], der)
		}, nil
	case ed25519.PublicKey:
		return func() bool { return ed25519.Verify(pub, input, sig) }, nil
	}
	return nil, fmt.Errorf("no floor for %s", alg)
}

// flipSignature returns tok with one byte of its decoded signature changed.
func flipSignature(tb testing.TB, tok string) string {
	tb.Helper()
	i := strings.LastIndexByte(tok, '.')
	sig, err := base64.RawURLEncoding.DecodeString(tok[i+1:])
	if err != nil {
		tb.Fatal(err)
	}
	sig[len(sig)/3] ^= 0x01
	return tok[:i+1] + base64.RawURLEncoding.EncodeToString(sig)
}

// TestAllLibrariesAccept checks what the benchmarks assume: every library accepts the
// benchmarked token (so no benchmark measures a failing path) and rejects the same token
// with one signature byte flipped (so each really checks the signature), as well as tokens
// with another issuer, another audience, or an expiry an hour past (so each checks iss, aud
// and exp); and each floor accepts its token.
func TestAllLibrariesAccept(t *testing.T) {
	f := getFixture(t)
	now := time.Now()
	for _, alg := range algs {
		tok := f.tokens[alg]
		bad := map[string]string{
			"flipped signature byte": flipSignature(t, tok),
			"other issuer":           f.iss.SignWith(alg, nil, map[string]any{"iss": "https://other.example.com/"}),
			"other audience":         f.iss.SignWith(alg, nil, map[string]any{"aud": []string{"https://other.example.com"}}),
			"expired":                f.iss.SignWith(alg, nil, map[string]any{"iat": now.Add(-2 * time.Hour), "exp": now.Add(-time.Hour)}),
		}
		t.Run("alg="+alg+"/lib=floor", func(t *testing.T) {
			if !f.floors[alg]() {
				t.Fatal("the floor rejects the token")
			}
		})
		for _, im := range f.impls[alg] {
			t.Run("alg="+alg+"/lib="+im.lib, func(t *testing.T) {
				if err := im.verify(t.Context(), tok); err != nil {
					t.Fatalf("rejects the token: %v", err)
				}
				for what, b := range bad {
					if err := im.verify(t.Context(), b); err == nil {
						t.Errorf("accepts a token with %s", what)
					}
				}
				// Still accepted after the rejection (a cached verifier must not have cached
				// the forgery, nor forgotten the token).
				if err := im.verify(t.Context(), tok); err != nil {
					t.Fatalf("rejects the token after a forgery: %v", err)
				}
			})
		}
	}
}

// BenchmarkFloor measures, per algorithm, the bare standard-library signature check: the
// hash and the crypto call on an already-decoded signature. Every run carries its own floor.
func BenchmarkFloor(b *testing.B) {
	f := getFixture(b)
	for _, alg := range algs {
		floor := f.floors[alg]
		b.Run("alg="+alg+"/lib=floor", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !floor() {
					b.Fatal("the floor rejects the token")
				}
			}
		})
	}
}

// BenchmarkVerify measures each library verifying the same valid token (signature, iss, aud,
// exp, claims decoded) per algorithm: compare with benchstat -col /lib -row /alg.
func BenchmarkVerify(b *testing.B) {
	f := getFixture(b)
	for _, alg := range algs {
		tok := f.tokens[alg]
		for _, im := range f.impls[alg] {
			b.Run("alg="+alg+"/lib="+im.lib, func(b *testing.B) {
				ctx := b.Context()
				verify := im.verify
				// Outside the timed loop: fills the caches a first call fills (go-jwt-middleware's
				// JWKS provider fetches here; jwtguard-cached stores the token).
				if err := verify(ctx, tok); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					if err := verify(ctx, tok); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
