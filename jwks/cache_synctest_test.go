package jwks

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Time-dependent behaviour, on synctest's fake clock. The caches reach the issuer through
// handlerTransport: the real handler, in memory, as real sockets do not block durably.

// gaps returns the time between consecutive JWK Set requests.
func gaps(reqs []request) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(reqs); i++ {
		out = append(out, reqs[i].at.Sub(reqs[i-1].at))
	}
	return out
}

// waitFetches sleeps (on the fake clock) until p has served n JWK Set requests.
func waitFetches(t *testing.T, p *idp, n int, step time.Duration) []request {
	t.Helper()
	for i := 0; len(p.fetches()) < n; i++ {
		require.Less(t, i, 1_000_000, "only %d fetches", len(p.fetches()))
		time.Sleep(step)
	}
	return p.fetches()
}

// assertWithin checks that d is want ± 10%.
func assertWithin(t *testing.T, want, d time.Duration, msgAndArgs ...any) {
	t.Helper()
	assert.True(t, d >= want-want/10 && d <= want+want/10, "%v is not %v ± 10%%: %s", d, want, fmt.Sprint(msgAndArgs...))
}

// hold returns a hook that stalls each JWK Set request until release yields or the request ends.
func hold(release <-chan struct{}) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		select {
		case <-release:
			return false // then answer normally
		case <-r.Context().Done():
			return true
		}
	}
}

func TestRefreshSchedule(t *testing.T) {
	tests := []struct {
		name    string
		cc, age string
		o       Options
		want    time.Duration
	}{
		{name: "default interval", want: 15 * time.Minute},
		{name: "RefreshInterval", o: Options{RefreshInterval: time.Hour}, want: time.Hour},
		{name: "max-age", cc: "public, max-age=3600, must-revalidate", want: time.Hour},
		{name: "max-age less Age", cc: "max-age=3600", age: "1800", want: 30 * time.Minute},
		{name: "max-age below the minimum", cc: "max-age=5", want: time.Minute},
		{name: "max-age=0", cc: "no-cache, max-age=0", want: time.Minute},
		{name: "max-age above the maximum", cc: "max-age=864000", o: Options{MaxStaleness: 100 * time.Hour}, want: 24 * time.Hour},
		{name: "max-age within MaxStaleness/2", cc: "max-age=864000", want: 12 * time.Hour},
		{name: "huge max-age", cc: "max-age=99999999999999999", want: 12 * time.Hour},
		{name: "custom bounds", cc: "max-age=5", o: Options{MinRefreshInterval: 10 * time.Second}, want: 10 * time.Second},
		{name: "malformed max-age", cc: "max-age=soon", want: 15 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				p := &idp{keys: []any{newEd25519Key(t, "a")}, cacheControl: tt.cc, age: tt.age}
				c := bubbleCache(t, p, tt.o)
				const n = 30
				g := gaps(waitFetches(t, p, n+1, tt.want/50))
				var below, above bool
				for i, d := range g {
					assertWithin(t, tt.want, d, "refresh ", i+1)
					below, above = below || d < tt.want, above || d > tt.want
				}
				assert.True(t, below && above, "no jitter in %v", g)
				s := c.Stats()
				assertWithin(t, tt.want, s.NextRefresh.Sub(s.LastFetch), "Stats().NextRefresh")
			})
		})
	}
}

func TestBackoff(t *testing.T) {
	s := time.Second
	tests := []struct {
		name string
		o    Options
		want []time.Duration // between retries
	}{
		{"doubling to 5m", Options{MaxStaleness: 1000 * time.Hour},
			[]time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 16 * s, 32 * s, 64 * s, 128 * s, 256 * s, 300 * s, 300 * s, 300 * s}},
		{"capped by the refresh interval", Options{RefreshInterval: 10 * s, MinRefreshInterval: s},
			[]time.Duration{1 * s, 2 * s, 4 * s, 8 * s, 10 * s, 10 * s}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				a := newEd25519Key(t, "a")
				p := &idp{keys: []any{a}}
				c := bubbleCache(t, p, tt.o)
				p.setHook(failWith(http.StatusInternalServerError))
				reqs := waitFetches(t, p, 2+len(tt.want), s/4) // New's, the first failure, the retries
				for i, d := range gaps(reqs)[1:] {
					assertWithin(t, tt.want[i], d, "retry ", i+1)
				}
				st := c.Stats()
				assert.Equal(t, 1+len(tt.want), st.ConsecutiveFailures)
				assert.Error(t, st.LastError)
				assert.False(t, st.Stale)
				mustKey(t, c, a) // stale-if-error

				p.setHook(nil)
				waitFetches(t, p, 3+len(tt.want), s/4)
				st = c.Stats()
				assert.Zero(t, st.ConsecutiveFailures, "after recovery")
				assert.NoError(t, st.LastError, "after recovery")
			})
		})
	}
}

func TestStaleness(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := newEd25519Key(t, "a")
		p := &idp{keys: []any{a}}
		var logs logSink
		c := bubbleCache(t, p, Options{MaxStaleness: time.Hour, Logger: slog.New(&logs)})
		p.setHook(failWith(http.StatusBadGateway))

		time.Sleep(time.Hour - time.Second)
		mustKey(t, c, a) // failing, but within MaxStaleness
		s := c.Stats()
		assert.False(t, s.Stale)
		assert.NotZero(t, s.Failures)

		time.Sleep(2 * time.Second)
		for range 100 {
			_, err := c.Key(t.Context(), "a", "EdDSA")
			require.ErrorIs(t, err, ErrUnavailable, "after MaxStaleness")
			require.NotErrorIs(t, err, ErrUnknownKey)
		}
		assert.True(t, c.Stats().Stale)

		p.setHook(nil)
		time.Sleep(maxBackoff * 11 / 10) // the next retry succeeds
		mustKey(t, c, a)
		assert.False(t, c.Stats().Stale, "after a successful fetch")

		// One record per change of state, not per retry or request.
		for msg, want := range map[string]int{
			"jwks: keys loaded":                   1,
			"jwks: refresh failed":                1,
			"jwks: keys are stale":                1,
			"jwks: keys refreshed; healthy again": 1,
		} {
			assert.Equal(t, want, logs.count(msg), "%q records in\n%s", msg, logs.text())
		}
		assert.NotContains(t, logs.text(), a.jwk["x"], "the log shows key material")

		p.setHook(failWith(http.StatusInternalServerError)) // failing again is a new change
		time.Sleep(31 * time.Minute)
		assert.Equal(t, 2, logs.count("jwks: refresh failed"))
	})
}

func TestNotModifiedCountsAsSuccess(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := newEd25519Key(t, "a")
		p := &idp{keys: []any{a}, etag: true}
		c := bubbleCache(t, p, Options{MaxStaleness: time.Hour})
		ka := mustKey(t, c, a)
		time.Sleep(5 * time.Hour) // a refresh every ~30m (MaxStaleness/2), each a 304
		assert.Same(t, ka, mustKey(t, c, a), "a 304 keeps the keys")
		reqs := p.fetches()
		for _, r := range reqs[1:] {
			assert.NotEmpty(t, r.ifNoneMatch, "a refresh without If-None-Match")
		}
		s := c.Stats()
		assert.False(t, s.Stale, "304s count as successful fetches")
		assert.Equal(t, uint64(len(reqs)-1), s.NotModified)
		assert.GreaterOrEqual(t, s.NotModified, uint64(9))
		assert.True(t, s.LoadedAt.Before(s.FetchedAt))
	})
}

func TestUnknownKeyCooldown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := newEd25519Key(t, "a")
		p := &idp{keys: []any{a}}
		c := bubbleCache(t, p, Options{})
		lookup := func(kid string, fetches int) {
			t.Helper()
			start := time.Now()
			_, err := c.Key(t.Context(), kid, "EdDSA")
			assert.ErrorIs(t, err, ErrUnknownKey, "Key(%q)", kid)
			assert.Zero(t, time.Since(start), "Key(%q) blocked", kid)
			assert.Len(t, p.fetches(), fetches, "after Key(%q)", kid)
		}
		lookup("x", 1) // within the cooldown of New's fetch: no fetch
		time.Sleep(time.Minute)
		lookup("x", 2) // one fetch
		lookup("x", 2) // remembered
		lookup("y", 2) // cooldown
		time.Sleep(time.Minute)

		b := newEd25519Key(t, "b")
		p.set(a, b)
		mustKey(t, c, b) // a key published since: found with one fetch
		assert.Len(t, p.fetches(), 3)
		assert.Equal(t, uint64(2), c.Stats().OnDemandFetches)
	})
}

// TestRememberedKIDFailsFast: a kid found unknown just after a fetch does not wait for the next
// fetch in progress; another kid does, bounded by its context.
func TestRememberedKIDFailsFast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := newEd25519Key(t, "a")
		p := &idp{keys: []any{a}}
		// Scheduled refreshes (every ~20s) come more often than the cooldown allows on-demand ones.
		c := bubbleCache(t, p, Options{RefreshInterval: 20 * time.Second, MinRefreshInterval: time.Second})
		release := make(chan struct{})
		p.setHook(hold(release))
		waitFetches(t, p, 2, time.Second) // a scheduled refresh, held
		errc := make(chan error)
		go func() { _, err := c.Key(t.Context(), "x", "EdDSA"); errc <- err }() // joins it
		synctest.Wait()
		release <- struct{}{}
		require.ErrorIs(t, <-errc, ErrUnknownKey) // x is now remembered
		waitFetches(t, p, 3, time.Second)         // the next scheduled refresh, held

		start := time.Now()
		_, err := c.Key(t.Context(), "x", "EdDSA")
		assert.ErrorIs(t, err, ErrUnknownKey, "remembered kid")
		assert.Zero(t, time.Since(start), "a remembered kid waited")

		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		_, err = c.Key(ctx, "z", "EdDSA")
		assert.ErrorIs(t, err, ErrUnavailable, "a kid that could not be checked in time")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, time.Second, time.Since(start), "another kid waits, bounded by its context")
		assert.Zero(t, c.Stats().OnDemandFetches)
		close(release)
	})
}

// TestUnknownKeyStorm: 10,000 concurrent lookups of random unknown kids cause at most one fetch
// per cooldown.
func TestUnknownKeyStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &idp{keys: []any{newEd25519Key(t, "a")}}
		c := bubbleCache(t, p, Options{})
		storm := func() int {
			before := len(p.fetches())
			var wg sync.WaitGroup
			for range 100 {
				wg.Go(func() {
					for range 100 {
						kid := fmt.Sprintf("%016x", rand.Uint64())
						if _, err := c.Key(t.Context(), kid, "EdDSA"); !assert.ErrorIs(t, err, ErrUnknownKey) {
							return
						}
					}
				})
			}
			wg.Wait()
			return len(p.fetches()) - before
		}
		assert.Zero(t, storm(), "a storm within the cooldown of New's fetch")
		for round := 1; round <= 3; round++ {
			time.Sleep(time.Minute)
			n := storm()
			t.Logf("storm %d: 10000 lookups of random unknown kids caused %d fetch(es)", round, n)
			assert.Equal(t, 1, n, "storm %d", round)
		}
		s := c.Stats()
		assert.Equal(t, uint64(3), s.OnDemandFetches)
		assert.Equal(t, uint64(4), s.Fetches)
	})
}

// TestUnknownKeyFetchIsDetached: the fetch started for one request is shared, and cancelling that
// request does not cancel it; the fetch is bounded by FetchTimeout.
func TestUnknownKeyFetchIsDetached(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, b := newEd25519Key(t, "a"), newEd25519Key(t, "b")
		p := &idp{keys: []any{a}}
		c := bubbleCache(t, p, Options{})
		time.Sleep(time.Minute)
		release := make(chan struct{})
		p.setHook(hold(release))
		p.set(a, b)

		ctx1, cancel1 := context.WithCancel(t.Context())
		err1 := make(chan error)
		go func() { _, err := c.Key(ctx1, "b", "EdDSA"); err1 <- err }() // starts the fetch
		synctest.Wait()
		var kb *Key
		err2 := make(chan error)
		go func() { k, err := c.Key(t.Context(), "b", "EdDSA"); kb = k; err2 <- err }() // joins it
		synctest.Wait()
		cancel1()
		err := <-err1
		assert.ErrorIs(t, err, ErrUnavailable, "the cancelled request")
		assert.ErrorIs(t, err, context.Canceled)
		assert.NotErrorIs(t, err, ErrUnknownKey)
		close(release)
		require.NoError(t, <-err2, "the request that shares the fetch")
		assert.Equal(t, "b", kb.ID())
		assert.Len(t, p.fetches(), 2)

		// A stalled fetch ends at FetchTimeout; its waiters learn then that the kid cannot be
		// checked now.
		p.setHook(func(w http.ResponseWriter, r *http.Request) bool { <-r.Context().Done(); return true })
		time.Sleep(time.Minute)
		start := time.Now()
		_, err = c.Key(t.Context(), "c", "EdDSA")
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorContains(t, err, "jwks: fetch https://idp.test/jwks.json: ")
		assert.Equal(t, 10*time.Second, time.Since(start), "the default FetchTimeout")
		s := c.Stats()
		assert.Equal(t, uint64(1), s.Failures)
		assert.ErrorIs(t, s.LastError, context.DeadlineExceeded)
		mustKey(t, c, b)
	})
}

func TestLazyStart(t *testing.T) {
	t.Run("requests join the first fetch", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			release := make(chan struct{})
			p := &idp{keys: []any{newEd25519Key(t, "a")}, hook: hold(release)}
			c := bubbleCache(t, p, Options{LazyStart: true})
			errc := make(chan error)
			go func() { _, err := c.Key(t.Context(), "a", "EdDSA"); errc <- err }()
			synctest.Wait()
			s := c.Stats()
			assert.True(t, s.Stale, "before the first fetch")
			assert.Zero(t, s.Keys)
			close(release)
			assert.NoError(t, <-errc)
			s = c.Stats()
			assert.Equal(t, uint64(1), s.Fetches)
			assert.Zero(t, s.OnDemandFetches)
			assert.False(t, s.Stale)
		})
	})
	t.Run("unavailable until loaded", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			a := newEd25519Key(t, "a")
			p := &idp{keys: []any{a}, hook: failWith(http.StatusServiceUnavailable)}
			var logs logSink
			c := bubbleCache(t, p, Options{LazyStart: true, Logger: slog.New(&logs)})
			synctest.Wait() // the first fetch failed
			_, err := c.Key(t.Context(), "a", "EdDSA")
			assert.ErrorIs(t, err, ErrUnavailable)
			assert.ErrorContains(t, err, "none loaded yet from https://idp.test/jwks.json")
			p.setHook(nil)
			time.Sleep(1100 * time.Millisecond) // the first retry
			mustKey(t, c, a)
			assert.Equal(t, 1, logs.count("jwks: cannot load keys"), logs.text())
			assert.Equal(t, 1, logs.count("jwks: keys loaded"), logs.text())
		})
	})
	t.Run("discovery retried", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			a := newEd25519Key(t, "a")
			p := &idp{keys: []any{a}, issuer: "https://other.test/", jwksURI: "https://idp.test/jwks.json"}
			c := bubbleCache(t, p, Options{Issuer: "https://idp.test/", LazyStart: true})
			synctest.Wait()
			s := c.Stats()
			assert.Empty(t, s.URL)
			assert.Equal(t, uint64(1), s.Failures)
			assert.ErrorContains(t, s.LastError, "does not match")
			p.mu.Lock()
			p.issuer = "https://idp.test/"
			p.mu.Unlock()
			time.Sleep(1100 * time.Millisecond)
			mustKey(t, c, a)
			assert.Equal(t, "https://idp.test/jwks.json", c.Stats().URL)
		})
	})
}

func TestClose(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a := newEd25519Key(t, "a")
		p := &idp{keys: []any{a}}
		c := bubbleCache(t, p, Options{})
		ka := mustKey(t, c, a)
		time.Sleep(time.Minute)
		p.setHook(func(w http.ResponseWriter, r *http.Request) bool { <-r.Context().Done(); return true })
		errc := make(chan error)
		go func() { _, err := c.Key(t.Context(), "b", "EdDSA"); errc <- err }()
		synctest.Wait() // waiting for a stalled fetch

		start := time.Now()
		assert.NoError(t, c.Close())
		assert.ErrorIs(t, <-errc, ErrUnavailable, "a request waiting during Close")
		assert.Zero(t, time.Since(start), "Close waited")
		assert.NoError(t, c.Close(), "a second Close")
		s := c.Stats()
		assert.True(t, s.Closed)
		assert.True(t, s.NextRefresh.IsZero())
		assert.Zero(t, s.Failures, "a fetch cut short by Close is not a failure")

		// The last set is served, without fetching, until it is stale.
		n := len(p.fetches())
		assert.Same(t, ka, mustKey(t, c, a))
		time.Sleep(time.Hour)
		_, err := c.Key(t.Context(), "b", "EdDSA")
		assert.ErrorIs(t, err, ErrUnknownKey)
		time.Sleep(24 * time.Hour)
		_, err = c.Key(t.Context(), "a", "EdDSA")
		assert.ErrorIs(t, err, ErrUnavailable)
		assert.Len(t, p.fetches(), n, "fetches after Close")
		// synctest.Test fails if any goroutine is left.
	})
}
