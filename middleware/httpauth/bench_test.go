package httpauth_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/middleware/httpauth"
)

// maxAdapterAllocs is what the middleware may allocate on top of Verify for a valid token:
// the context value and the request copy that carries it.
const maxAdapterAllocs = 2

var noop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// cachedRequest returns a request with a valid token that v has already verified.
func cachedRequest(tb testing.TB, auth *httpauth.Middleware) *http.Request {
	r := httptest.NewRequest(http.MethodGet, "/api/contacts", nil)
	r.Header.Set("Authorization", "Bearer "+iss.Sign(map[string]any{"scope": "read:contacts"}))
	_, err := auth.Check(r)
	require.NoError(tb, err)
	return r
}

func TestHandlerAllocations(t *testing.T) {
	v := newVerifier(t)
	auth := httpauth.New(v, httpauth.Options{})
	r := cachedRequest(t, auth)
	tok := r.Header.Get("Authorization")[len("Bearer "):]
	h := auth.Handler(noop)
	w := httptest.NewRecorder()

	verify := testing.AllocsPerRun(100, func() { _, _ = v.Verify(context.Background(), tok) })
	check := testing.AllocsPerRun(100, func() { _, _ = auth.Check(r) })
	full := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, r) })
	assert.Zero(t, verify, "Verify on a cached token")
	assert.Zero(t, check, "Check on a cached token")
	assert.LessOrEqual(t, full-verify, float64(maxAdapterAllocs), "allocations of Handler beyond Verify")
	assert.Equal(t, http.StatusOK, w.Code)
}

func BenchmarkMiddleware(b *testing.B) {
	v := newVerifier(b)
	auth := httpauth.New(v, httpauth.Options{})
	r := cachedRequest(b, auth)
	tok := r.Header.Get("Authorization")[len("Bearer "):]

	b.Run("impl=verify", func(b *testing.B) {
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(ctx, tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=httpauth", func(b *testing.B) {
		h := auth.Handler(noop)
		w := httptest.NewRecorder()
		b.ReportAllocs()
		for b.Loop() {
			h.ServeHTTP(w, r)
		}
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	})
}
