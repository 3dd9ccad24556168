package echoauth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/middleware/echoauth"
)

// maxAdapterAllocs is what the middleware may allocate on top of Echo and Verify for a valid
// token: the context value and the request copy that carries it.
const maxAdapterAllocs = 2

func noop(echo.Context) error { return nil }

// passThrough is the cheapest route middleware. Echo v4 applies route middleware on every
// request, allocating each one's closure; an app with passThrough in the place of ours pays
// that too, so that the difference is the adapter's own cost.
func passThrough(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error { return next(c) }
}

// benchSetup returns Echo apps with the middleware on one route and with passThrough
// instead, and a request for it whose token v has already verified.
func benchSetup(tb testing.TB) (v *jwtguard.Verifier, tok string, guarded, bare *echo.Echo, r *http.Request) {
	v = newVerifier(tb, nil)
	tok = iss.Sign(map[string]any{"scope": "read:contacts"})
	_, err := v.Verify(context.Background(), tok)
	require.NoError(tb, err)
	guarded, bare = echo.New(), echo.New()
	guarded.GET("/api/contacts", noop, echoauth.New(v, echoauth.Options{}).Middleware)
	bare.GET("/api/contacts", noop, passThrough)
	r = httptest.NewRequest(http.MethodGet, "/api/contacts", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	return v, tok, guarded, bare, r
}

func TestMiddlewareAllocations(t *testing.T) {
	v, tok, guarded, bare, r := benchSetup(t)
	w := httptest.NewRecorder()
	verify := testing.AllocsPerRun(100, func() { _, _ = v.Verify(context.Background(), tok) })
	withAuth := testing.AllocsPerRun(100, func() { guarded.ServeHTTP(w, r) })
	without := testing.AllocsPerRun(100, func() { bare.ServeHTTP(w, r) })
	assert.Zero(t, verify, "Verify on a cached token")
	assert.LessOrEqual(t, withAuth-without-verify, float64(maxAdapterAllocs), "allocations of the middleware beyond Echo and Verify")
	assert.Equal(t, http.StatusOK, w.Code)
}

func BenchmarkMiddleware(b *testing.B) {
	v, tok, guarded, bare, r := benchSetup(b)
	b.Run("impl=verify", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, bc := range []struct {
		name string
		e    *echo.Echo
	}{{"impl=echo-passthrough", bare}, {"impl=echo", guarded}} {
		b.Run(bc.name, func(b *testing.B) {
			w := httptest.NewRecorder()
			b.ReportAllocs()
			for b.Loop() {
				bc.e.ServeHTTP(w, r)
			}
			if w.Code != http.StatusOK {
				b.Fatal(w.Code)
			}
		})
	}
}
