package jwks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests against real loopback HTTP servers. Time-dependent behaviour is in
// cache_synctest_test.go.

func newCache(t testing.TB, o Options) *Cache {
	t.Helper()
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	c, err := New(context.Background(), o)
	require.NoError(t, err, "New")
	t.Cleanup(func() { c.Close() })
	return c
}

// newFails calls New, which must fail, and returns its error.
func newFails(t *testing.T, o Options) error {
	t.Helper()
	c, err := New(t.Context(), o)
	if err == nil {
		c.Close()
	}
	require.Error(t, err, "New")
	return err
}

func TestNewFetchesBeforeReturning(t *testing.T) {
	a, b := newECKey(t, "a", elliptic.P256()), newEd25519Key(t, "b")
	p := &idp{keys: []any{a, b}}
	srv := serve(t, p)
	c := newCache(t, Options{URL: srv.URL + "/jwks.json"})

	require.Len(t, p.fetches(), 1, "fetches when New returns")
	s := c.Stats()
	assert.Equal(t, 2, s.Keys)
	assert.Equal(t, uint64(1), s.Fetches)
	assert.Zero(t, s.Failures)
	assert.False(t, s.Stale)
	assert.Equal(t, srv.URL+"/jwks.json", s.URL)
	mustKey(t, c, a)
	mustKey(t, c, b)
	_, err := c.Key(t.Context(), "a", "ES384")
	assert.ErrorIs(t, err, ErrKeyMismatch)
	_, err = c.Key(t.Context(), "a", "none")
	assert.ErrorIs(t, err, ErrUnsupportedAlgorithm)
}

func TestNewFailsWithoutKeys(t *testing.T) {
	k := newEd25519Key(t, "k")
	tests := []struct {
		name string
		hook func(w http.ResponseWriter, r *http.Request) bool
		opts Options
		want string // in the error text
	}{
		{name: "500", hook: failWith(http.StatusInternalServerError), want: "500"},
		{name: "404", hook: failWith(http.StatusNotFound), want: "404"},
		{name: "garbage", hook: func(w http.ResponseWriter, r *http.Request) bool {
			w.Write([]byte("<html>not json</html>"))
			return true
		}, want: "JWK Set"},
		{name: "no keys member", hook: func(w http.ResponseWriter, r *http.Request) bool {
			w.Write([]byte(`{"kids":[]}`))
			return true
		}, want: `no "keys"`},
		{name: "no usable key", hook: func(w http.ResponseWriter, r *http.Request) bool {
			w.Write(jwksDoc(`{"kty":"oct","kid":"s","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}`))
			return true
		}, want: "no usable key"},
		{name: "oversized with Content-Length", opts: Options{MaxBodyBytes: 1000}, hook: func(w http.ResponseWriter, r *http.Request) bool {
			body := jwksDoc(k, `{"pad":"`+strings.Repeat("x", 2000)+`"}`)
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.Write(body)
			return true
		}, want: "Content-Length"},
		{name: "oversized chunked", opts: Options{MaxBodyBytes: 1000}, hook: func(w http.ResponseWriter, r *http.Request) bool {
			w.(http.Flusher).Flush() // no Content-Length
			w.Write(jwksDoc(k, `{"pad":"`+strings.Repeat("x", 2000)+`"}`))
			return true
		}, want: "size limit"},
		{name: "stall past the timeout", opts: Options{FetchTimeout: 50 * time.Millisecond}, hook: func(w http.ResponseWriter, r *http.Request) bool {
			<-r.Context().Done() // the client gives up and closes the connection
			return true
		}, want: "deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serve(t, &idp{keys: []any{k}, hook: tt.hook})
			o := tt.opts
			o.URL = srv.URL + "/jwks.json"
			err := newFails(t, o)
			assert.ErrorIs(t, err, ErrUnavailable)
			assert.True(t, strings.HasPrefix(err.Error(), "jwks: fetch "+o.URL+": "), "error %q does not name the URL", err)
			assert.ErrorContains(t, err, tt.want)
		})
	}

	t.Run("unreachable", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		u := srv.URL + "/jwks.json"
		srv.Close()
		err := newFails(t, Options{URL: u})
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.ErrorContains(t, err, u)
	})
	t.Run("cancelled context", func(t *testing.T) {
		srv := serve(t, &idp{keys: []any{k}})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := New(ctx, Options{URL: srv.URL + "/jwks.json"})
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestOptionsRejected(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"neither Issuer nor URL", Options{}, "required"},
		{"both Issuer and URL", Options{Issuer: "https://a.test/", URL: "https://a.test/jwks"}, "exclusive"},
		{"http URL on a public host", Options{URL: "http://keys.example.com/jwks.json"}, "not https"},
		{"http Issuer on a public host", Options{Issuer: "http://tenant.example.com/"}, "not https"},
		{"other scheme", Options{URL: "ftp://a.test/jwks"}, "scheme"},
		{"relative URL", Options{URL: "/jwks.json"}, "absolute"},
		{"credentials", Options{URL: "https://user:pw@a.test/jwks"}, "credentials"},
		{"unparsable", Options{URL: "https://a.test/%zz"}, "invalid URL escape"},
		{"negative RefreshInterval", Options{URL: "https://a.test/", RefreshInterval: -1}, "negative"},
		{"negative MaxStaleness", Options{URL: "https://a.test/", MaxStaleness: -time.Hour}, "negative"},
		{"negative MaxBodyBytes", Options{URL: "https://a.test/", MaxBodyBytes: -1}, "negative"},
		{"Min over Max", Options{URL: "https://a.test/", MinRefreshInterval: time.Hour, MaxRefreshInterval: time.Minute}, "exceeds"},
		{"MaxStaleness too short", Options{URL: "https://a.test/", MaxStaleness: time.Nanosecond}, "twice MinRefreshInterval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := newFails(t, tt.o)
			assert.True(t, strings.HasPrefix(err.Error(), "jwks: "), "error %q lacks the package prefix", err)
			assert.ErrorContains(t, err, tt.want)
			assert.NotContains(t, err.Error(), "pw", "the error shows the password")
			assert.NotErrorIs(t, err, ErrUnavailable, "a configuration error is not an outage")
		})
	}
}

func TestOptionsDefaultsAndInsecure(t *testing.T) {
	o := Options{URL: "http://keys.example.com/jwks.json", InsecureAllowHTTP: true, RefreshInterval: time.Second}
	cfg, err := o.resolve()
	require.NoError(t, err, "InsecureAllowHTTP allows http anywhere")
	assert.Equal(t, time.Minute, cfg.refresh, "RefreshInterval is clamped to MinRefreshInterval")

	cfg, err = (&Options{URL: "https://a.test/"}).resolve()
	require.NoError(t, err)
	assert.Equal(t, config{url: "https://a.test/", refresh: 15 * time.Minute, minRefresh: time.Minute, maxRefresh: 24 * time.Hour,
		fetchTimeout: 10 * time.Second, maxStale: 24 * time.Hour, cooldown: time.Minute, maxBody: 1 << 20, log: slog.Default()}, cfg)

	for _, u := range []string{"http://127.0.0.1:1/x", "http://127.9.9.9/x", "http://[::1]:80/x", "http://localhost/x", "http://LOCALHOST:8080/x"} {
		_, err := checkURL(u, false)
		assert.NoError(t, err, "loopback %s", u)
	}
	for _, u := range []string{"http://128.0.0.1/x", "http://localhost.example.com/x", "http://[::2]/x", "http://10.0.0.1/x"} {
		_, err := checkURL(u, false)
		assert.Error(t, err, "plain http to %s", u)
	}
}

func TestDiscovery(t *testing.T) {
	k := newEd25519Key(t, "k")

	t.Run("issuer with trailing slash", func(t *testing.T) {
		p := &idp{keys: []any{k}}
		srv := serve(t, p)
		issuer := srv.URL + "/tenant/"
		p.issuer = issuer
		c := newCache(t, Options{Issuer: issuer})
		mustKey(t, c, k)
		assert.Equal(t, "/tenant/.well-known/openid-configuration", p.requests()[0].path)
		assert.Equal(t, srv.URL+"/jwks.json", c.Stats().URL)
	})
	t.Run("https issuer", func(t *testing.T) {
		p := &idp{keys: []any{k}}
		srv := httptest.NewTLSServer(p)
		t.Cleanup(srv.Close)
		p.issuer, p.jwksURI = srv.URL, srv.URL+"/jwks.json" // no trailing slash this time
		c := newCache(t, Options{Issuer: srv.URL, HTTPClient: srv.Client()})
		mustKey(t, c, k)
	})

	tests := []struct {
		name         string
		issuer, jwks string // document fields; "" means the right value
		down         bool   // discovery answers 500
		want         string
	}{
		{name: "issuer mismatch", issuer: "ISSUER-without-slash", want: "does not match"},
		{name: "issuer of another tenant", issuer: "https://evil.example.com/", want: "does not match"},
		{name: "http jwks_uri on a public host", jwks: "http://keys.example.com/jwks.json", want: "jwks_uri"},
		{name: "ftp jwks_uri", jwks: "ftp://keys.example.com/jwks.json", want: "jwks_uri"},
		{name: "no jwks_uri", jwks: "-", want: "no \"jwks_uri\""},
		{name: "discovery fails", down: true, want: "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &idp{keys: []any{k}}
			srv := serve(t, p)
			switch tt.issuer {
			case "":
			case "ISSUER-without-slash":
				p.issuer = srv.URL
			default:
				p.issuer = tt.issuer
			}
			switch tt.jwks {
			case "":
			case "-":
				p.jwksURI = ""
			default:
				p.jwksURI = tt.jwks
			}
			o := Options{Issuer: srv.URL + "/"}
			if tt.down {
				o.HTTPClient = &http.Client{Transport: handlerTransport{http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.Error(w, "down", http.StatusInternalServerError)
				})}}
			}
			err := newFails(t, o)
			assert.ErrorIs(t, err, ErrUnavailable)
			assert.True(t, strings.HasPrefix(err.Error(), "jwks: discover "+srv.URL+"/.well-known/openid-configuration: "), "error %q", err)
			assert.ErrorContains(t, err, tt.want)
			assert.Empty(t, p.fetches(), "JWK Set fetched after a refused discovery")
		})
	}
}

func TestRedirects(t *testing.T) {
	k := newEd25519Key(t, "k")
	p := &idp{keys: []any{k}}
	plain := serve(t, p)
	// /hop/N/… redirects N more times before reaching the JWK Set.
	hopSrv := serveHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/hop/"), "/")
		n, err := strconv.Atoi(rest)
		if err != nil || n == 0 {
			p.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1)+"/jwks.json", http.StatusFound)
	}))

	t.Run("3 redirects followed", func(t *testing.T) {
		mustKey(t, newCache(t, Options{URL: hopSrv.URL + "/hop/3/jwks.json"}), k)
	})
	t.Run("4 redirects refused", func(t *testing.T) {
		err := newFails(t, Options{URL: hopSrv.URL + "/hop/4/jwks.json"})
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.ErrorContains(t, err, "stopped after 3 redirects")
	})
	t.Run("https to http refused", func(t *testing.T) {
		before := len(p.fetches())
		tls := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/jwks.json", http.StatusMovedPermanently))
		t.Cleanup(tls.Close)
		err := newFails(t, Options{URL: tls.URL + "/jwks.json", HTTPClient: tls.Client(), InsecureAllowHTTP: true})
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.ErrorContains(t, err, "from https to")
		assert.Len(t, p.fetches(), before, "the http server was contacted")
	})
	t.Run("http to a public host refused", func(t *testing.T) {
		srv := serveHandler(t, http.RedirectHandler("http://keys.example.com/jwks.json", http.StatusFound))
		err := newFails(t, Options{URL: srv.URL + "/jwks.json"})
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.ErrorContains(t, err, "refused redirect")
	})
	t.Run("the client's CheckRedirect runs too", func(t *testing.T) {
		called := false
		cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { called = true; return nil }}
		c := newCache(t, Options{URL: hopSrv.URL + "/hop/1/jwks.json", HTTPClient: cl})
		mustKey(t, c, k)
		assert.True(t, called, "the client's CheckRedirect was not called")
		assert.NotSame(t, cl, c.client, "the caller's client is used as is")
	})
}

// TestKeyKinds serves keys of every kind, usable or not: the usable ones verify, the others are
// skipped and logged by kid, without key material.
func TestKeyKinds(t *testing.T) {
	rsaKey, unbound := newRSAKey("rsa"), newRSAKey("rsa-unbound")
	delete(unbound.jwk, "alg")
	ed, p384 := newEd25519Key(t, "ed"), newECKey(t, "p384", elliptic.P384())
	valid := []*testKey{rsaKey, unbound, newECKey(t, "p256", elliptic.P256()), p384, newECKey(t, "p521", elliptic.P521()), ed}

	ec := newECKey(t, "x", elliptic.P256())
	priv := newECKey(t, "private", elliptic.P256())
	d, err := priv.priv.(*ecdsa.PrivateKey).Bytes()
	require.NoError(t, err)
	privD := b64.EncodeToString(d)
	priv.jwk["d"] = privD
	str := func(k *testKey, member string) string { return k.jwk[member].(string) }
	invalid := []any{
		`{"kty":"oct","kid":"secret","k":"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"}`,
		priv,
		`{"kty":"OKP","crv":"Ed25519","kid":"enc","use":"enc","x":"` + str(ed, "x") + `"}`,
		`{"kty":"RSA","kid":"rsa1024","n":"` + b64.EncodeToString(new(big.Int).SetBit(big.NewInt(1), 1023, 1).Bytes()) + `","e":"AQAB"}`,
		`{"kty":"XYZ","kid":"unknown-kty"}`,
		`{"kty":"EC","crv":"P-256","kid":"offcurve","x":"` + str(ec, "x") + `","y":"` + str(ec, "x") + `"}`,
		`{"kty":"OKP","crv":"Ed25519","kid":"badb64","x":"***"}`,
		`{"kty":"OKP","crv":"X25519","kid":"x25519","x":"` + str(ed, "x") + `"}`,
		`{"kty":"EC","crv":"P-384","kid":"wrong-alg","alg":"ES256","x":"` + str(p384, "x") + `","y":"` + str(p384, "y") + `"}`,
		`"not an object"`,
	}
	var keys []any
	for _, k := range valid {
		keys = append(keys, k)
	}
	keys = append(keys, invalid...)

	var logs logSink
	p := &idp{keys: keys}
	srv := serve(t, p)
	c := newCache(t, Options{URL: srv.URL + "/jwks.json", Logger: slog.New(&logs)})

	s := c.Stats()
	assert.Equal(t, len(valid), s.Keys, "usable keys")
	assert.Equal(t, len(invalid), s.Skipped, "skipped keys")
	for _, k := range valid {
		mustKey(t, c, k)
	}
	_, err = c.Key(t.Context(), "rsa-unbound", "PS256")
	assert.NoError(t, err, "an RSA key without alg fits PS256 too")
	for _, kid := range []string{"secret", "private", "enc", "rsa1024", "unknown-kty", "offcurve", "badb64", "x25519", "wrong-alg"} {
		_, err := c.Key(t.Context(), kid, "ES256")
		assert.ErrorIs(t, err, ErrUnknownKey, "kid %q", kid)
	}
	text := logs.text()
	assert.Equal(t, len(invalid), logs.count("jwks: skipped"), "skipped-key records:\n%s", text)
	for _, kid := range []string{"secret", "private", "rsa1024", "offcurve"} {
		assert.Contains(t, text, `kid "`+kid+`"`, "the log names each skipped kid")
	}
	for _, secret := range []string{"c2VjcmV0c2VjcmV0", privD, str(ec, "x"), str(rsaKey, "n")[:40]} {
		assert.NotContains(t, text, secret, "the log shows key material")
	}
	assert.Len(t, p.fetches(), 1, "unknown kids within the cooldown must not fetch")
}

// TestRotation adds a key, then removes the old one, refreshing on unknown kids: unchanged keys
// keep their *Key, the removed one is revoked and stops verifying at once.
func TestRotation(t *testing.T) {
	a, b := newEd25519Key(t, "a"), newECKey(t, "b", elliptic.P256())
	p := &idp{keys: []any{a}}
	srv := serve(t, p)
	c := newCache(t, Options{URL: srv.URL + "/jwks.json", UnknownKeyCooldown: time.Nanosecond})
	ka := mustKey(t, c, a)

	p.set(a, b)
	kb := mustKey(t, c, b) // unknown kid: one refresh
	assert.Same(t, ka, mustKey(t, c, a), "an unchanged key keeps its *Key")
	assert.False(t, ka.Revoked())

	p.set(b)
	_, err := c.Key(t.Context(), "c", "EdDSA") // refreshes
	require.ErrorIs(t, err, ErrUnknownKey)
	_, err = c.Key(t.Context(), "a", "EdDSA")
	assert.ErrorIs(t, err, ErrUnknownKey, "a removed key stops verifying at once")
	assert.True(t, ka.Revoked(), "a removed key is revoked")
	assert.Same(t, kb, mustKey(t, c, b))
	assert.False(t, kb.Revoked())

	// The same kid with new material is a new key; the old one is revoked.
	b2 := newECKey(t, "b", elliptic.P256())
	p.set(b2)
	c.Key(t.Context(), "d", "EdDSA")
	assert.NotSame(t, kb, mustKey(t, c, b2))
	assert.True(t, kb.Revoked())

	s := c.Stats()
	t.Logf("rotation: %d fetches (%d on demand)", len(p.fetches()), s.OnDemandFetches)
	assert.Len(t, p.fetches(), 5, "New, then one per unknown kid: b, c, a (removed), d")
	assert.Equal(t, uint64(4), s.OnDemandFetches)
}

func TestConditionalRequests(t *testing.T) {
	a, b := newEd25519Key(t, "a"), newEd25519Key(t, "b")
	p := &idp{keys: []any{a}, etag: true, cacheControl: "public, max-age=600"}
	srv := serve(t, p)
	c := newCache(t, Options{URL: srv.URL + "/jwks.json", UnknownKeyCooldown: time.Nanosecond})
	ka := mustKey(t, c, a)
	first := c.Stats()

	c.Key(t.Context(), "zz", "EdDSA") // refresh: 304
	f := p.fetches()
	require.Len(t, f, 2)
	assert.Empty(t, f[0].ifNoneMatch)
	assert.NotEmpty(t, f[1].ifNoneMatch, "the refresh is conditional")
	s := c.Stats()
	assert.Equal(t, uint64(1), s.NotModified)
	assert.Equal(t, 1, s.Keys)
	assert.Zero(t, s.Failures)
	assert.False(t, s.FetchedAt.Before(first.FetchedAt))
	assert.Equal(t, first.LoadedAt, s.LoadedAt)
	assert.Same(t, ka, mustKey(t, c, a), "a 304 keeps the keys")
	assert.InDelta(t, 600, s.NextRefresh.Sub(s.LastFetch).Seconds(), 60, "next refresh at max-age ± 10%")

	p.set(a, b) // new content, new ETag
	mustKey(t, c, b)
	s = c.Stats()
	assert.Equal(t, uint64(1), s.NotModified)
	assert.Equal(t, uint64(3), s.Fetches)
}

func TestFailedRefreshKeepsSet(t *testing.T) {
	a := newEd25519Key(t, "a")
	p := &idp{keys: []any{a}}
	srv := serve(t, p)
	c := newCache(t, Options{URL: srv.URL + "/jwks.json", UnknownKeyCooldown: time.Nanosecond, MaxBodyBytes: 4096})
	ka := mustKey(t, c, a)
	for i, hook := range []func(http.ResponseWriter, *http.Request) bool{
		failWith(http.StatusInternalServerError),
		func(w http.ResponseWriter, r *http.Request) bool { w.Write(make([]byte, 5000)); return true },
		func(w http.ResponseWriter, r *http.Request) bool { w.Write([]byte(`{"keys":[]}`)); return true },
	} {
		p.setHook(hook)
		_, err := c.Key(t.Context(), "new", "EdDSA")
		assert.ErrorIs(t, err, ErrUnavailable, "a kid that cannot be checked now")
		assert.NotErrorIs(t, err, ErrUnknownKey)
		assert.Same(t, ka, mustKey(t, c, a), "a failed refresh keeps the set")
		assert.False(t, ka.Revoked())
		s := c.Stats()
		assert.ErrorIs(t, s.LastError, ErrUnavailable)
		assert.False(t, s.Stale)
		assert.Equal(t, i+1, s.ConsecutiveFailures)
	}
	assert.ErrorIs(t, c.Stats().LastError, ErrUnsupportedKey)
}

func TestCloseLeavesNoGoroutine(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		p := &idp{keys: []any{newEd25519Key(t, "a")}}
		srv := httptest.NewServer(p)
		defer srv.Close()
		defer srv.Client().CloseIdleConnections()
		u := srv.URL + "/jwks.json"
		for _, o := range []Options{{URL: u}, {URL: u, LazyStart: true}, {URL: u, UnknownKeyCooldown: time.Nanosecond}} {
			o.HTTPClient = srv.Client()
			o.Logger = slog.New(slog.DiscardHandler)
			c, err := New(t.Context(), o)
			require.NoError(t, err)
			c.Key(t.Context(), "a", "EdDSA")
			c.Key(t.Context(), "b", "EdDSA")
			assert.NoError(t, c.Close())
			assert.NoError(t, c.Close(), "a second Close")
		}
	}()
	deadline := time.Now().Add(5 * time.Second) // poll briefly: exiting goroutines need a moment
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

func TestKeyHitDoesNotAllocate(t *testing.T) {
	a := newECKey(t, "a", elliptic.P256())
	srv := serve(t, &idp{keys: []any{a, newEd25519Key(t, "b")}})
	c := newCache(t, Options{URL: srv.URL + "/jwks.json"})
	ctx := t.Context()
	var err error
	allocs := testing.AllocsPerRun(1000, func() { _, err = c.Key(ctx, "a", "ES256") })
	assert.NoError(t, err)
	assert.Zero(t, allocs, "allocations per hit")
	allocs = testing.AllocsPerRun(1000, func() { _, err = c.Key(ctx, "a", "ES384") })
	assert.ErrorIs(t, err, ErrKeyMismatch)
	assert.Zero(t, allocs, "allocations per mismatch")
}

func BenchmarkCacheKeyHit(b *testing.B) {
	keys := []any{newECKey(b, "a", elliptic.P256())}
	for i := range 8 {
		keys = append(keys, newEd25519Key(b, "k"+strconv.Itoa(i)))
	}
	srv := serve(b, &idp{keys: keys})
	c := newCache(b, Options{URL: srv.URL + "/jwks.json"})
	ctx := context.Background()
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Key(ctx, "a", "ES256"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := c.Key(ctx, "a", "ES256"); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func TestZeroCacheAndNilContext(t *testing.T) {
	var c Cache
	_, err := c.Key(t.Context(), "a", "EdDSA")
	assert.ErrorIs(t, err, ErrUnavailable)
	assert.NoError(t, c.Close())
	assert.True(t, c.Stats().Stale)

	var nilCtx context.Context
	c2 := newCache(t, Options{URL: serve(t, &idp{keys: []any{newEd25519Key(t, "a")}}).URL + "/jwks.json"})
	_, err = c2.Key(nilCtx, "b", "EdDSA")
	assert.ErrorIs(t, err, ErrUnknownKey)
}

func TestMaxAge(t *testing.T) {
	tests := []struct {
		cc, age string
		want    time.Duration
	}{
		{"", "", -1},
		{"no-store", "", -1},
		{"max-age=60", "", time.Minute},
		{"Public, MAX-AGE=60", "", time.Minute},
		{`max-age="60"`, "", time.Minute},
		{"s-maxage=10, max-age=60", "", time.Minute},
		{"max-age=60", "20", 40 * time.Second},
		{"max-age=60", "100", 0},
		{"max-age=60", "junk", time.Minute},
		{"max-age=-1", "", -1},
		{"max-age=", "", -1},
		{"max-age=1e3", "", -1},
		{"max-age=99999999999999999999", "", -1},
		{"max-age=9999999999999", "", 10 * 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		h := http.Header{}
		if tt.cc != "" {
			h.Set("Cache-Control", tt.cc)
		}
		if tt.age != "" {
			h.Set("Age", tt.age)
		}
		assert.Equal(t, tt.want, maxAge(h), "Cache-Control %q, Age %q", tt.cc, tt.age)
	}
}

func FuzzMaxAge(f *testing.F) {
	f.Add("max-age=60", "10")
	f.Add("public, max-age=\"3600\"", "-5")
	f.Fuzz(func(t *testing.T, cc, age string) {
		d := maxAge(http.Header{"Cache-Control": {cc}, "Age": {age}})
		if d < -1 || d > 10*365*24*time.Hour {
			t.Fatalf("maxAge(%q, %q) = %v", cc, age, d)
		}
	})
}
