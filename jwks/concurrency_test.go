package jwks

import (
	"context"
	"crypto/elliptic"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// published is a key of the rotating issuer, with the number of the first successful JWK Set
// response that included it, and of the first that left it out after its removal.
type published struct {
	k            *testKey
	inOK, goneOK atomic.Int64
}

// rotatingIssuer serves a JWK Set that a rotator changes, failing one request in three.
type rotatingIssuer struct {
	cur     atomic.Pointer[[]*published] // the published keys
	removed atomic.Pointer[[]*published]
	reqs    atomic.Int64
	served  chan struct{} // signalled after each request
}

func (ri *rotatingIssuer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := ri.reqs.Add(1)
	defer func() {
		select {
		case ri.served <- struct{}{}:
		default:
		}
	}()
	if n%3 == 1 && n > 1 { // the first request, New's, succeeds
		if n%2 == 0 {
			http.Error(w, "flaky", http.StatusInternalServerError)
		} else {
			w.Write([]byte(`{"keys": [garbage`))
		}
		return
	}
	keys := *ri.cur.Load()
	var doc []any
	for _, p := range keys {
		p.inOK.CompareAndSwap(0, n)
		doc = append(doc, p.k)
	}
	if rm := ri.removed.Load(); rm != nil {
		for _, p := range *rm {
			p.goneOK.CompareAndSwap(0, n)
		}
	}
	w.Write(jwksDoc(doc...))
}

// committed reports whether response number n has been taken in by the cache: the cache fetches
// one request at a time, so a later request means it has finished with n.
func (ri *rotatingIssuer) committed(n int64) bool { return n != 0 && ri.reqs.Load() > n }

// TestConcurrentRotation: readers look keys up and verify signatures while the issuer rotates
// keys and fails a third of the fetches. No forged or removed-key signature is ever accepted,
// and no signature by a key published before the last successful fetch, and still published,
// is ever rejected.
func TestConcurrentRotation(t *testing.T) {
	const rotations = 15
	first := &published{k: newEd25519Key(t, "k0")}
	ri := &rotatingIssuer{served: make(chan struct{}, 1)}
	ri.cur.Store(&[]*published{first})
	ri.removed.Store(&[]*published{})
	srv := serveHandler(t, ri)
	start := time.Now()
	c := newCache(t, Options{
		URL:                srv.URL + "/jwks.json",
		RefreshInterval:    2 * time.Millisecond,
		MinRefreshInterval: time.Millisecond,
		UnknownKeyCooldown: 5 * time.Millisecond,
	})

	var (
		rot                        sync.RWMutex // readers hold it to keep the published set still
		stop                       atomic.Bool
		checks, expected           atomic.Int64
		wrongAccepts, wrongRejects atomic.Int64
		firstWrongMu               sync.Mutex
		firstWrong                 string
		forger                     = newEd25519Key(t, "forger")
		forgerEC                   = newECKey(t, "forger-ec", elliptic.P256())
		ctx, cancel                = context.WithCancel(t.Context())
		wg                         sync.WaitGroup
		noteWrong                  = func(format string, args ...any) {
			firstWrongMu.Lock()
			if firstWrong == "" {
				firstWrong = fmt.Sprintf(format, args...)
			}
			firstWrongMu.Unlock()
		}
	)
	defer cancel()
	for g := range 4 {
		wg.Go(func() {
			for i := 0; !stop.Load(); i++ {
				input := "h." + strconv.Itoa(g) + "." + strconv.Itoa(i)
				rot.RLock()
				keys := *ri.cur.Load()
				p := keys[rand.IntN(len(keys))]
				must := ri.committed(p.inOK.Load())
				k, err := c.Key(ctx, p.k.kid, p.k.alg)
				if err == nil {
					err = k.Verify(p.k.alg, input, p.k.sign(t, input))
				}
				rot.RUnlock()
				checks.Add(1)
				if must {
					expected.Add(1)
					if err != nil {
						wrongRejects.Add(1)
						noteWrong("rejected %s: %v", p.k.kid, err)
					}
				}
				// Forgeries under a published kid.
				if k != nil {
					f := forger
					if p.k.alg == "ES256" {
						f = forgerEC
					}
					if k.Verify(p.k.alg, input, f.sign(t, input)) == nil {
						wrongAccepts.Add(1)
						noteWrong("accepted a forgery for %s", p.k.kid)
					}
				}
				// Keys whose removal the cache has taken in.
				for _, r := range *ri.removed.Load() {
					if !ri.committed(r.goneOK.Load()) {
						continue
					}
					if k, err := c.Key(ctx, r.k.kid, r.k.alg); err == nil && k.Verify(r.k.alg, input, r.k.sign(t, input)) == nil {
						wrongAccepts.Add(1)
						noteWrong("accepted removed key %s", r.k.kid)
					}
					break // one per round is enough
				}
			}
		})
	}

	// waitFor blocks until cond holds, woken by each request the issuer serves.
	waitFor := func(what string, cond func() bool) {
		timeout := time.After(20 * time.Second)
		for !cond() {
			select {
			case <-ri.served:
			case <-timeout:
				require.FailNow(t, "timed out waiting for "+what)
			}
		}
	}
	old := first
	for i := 1; i <= rotations; i++ {
		var k *testKey
		if i%2 == 0 {
			k = newECKey(t, "k"+strconv.Itoa(i), elliptic.P256())
		} else {
			k = newEd25519Key(t, "k"+strconv.Itoa(i))
		}
		next := &published{k: k}
		rot.Lock()
		ri.cur.Store(&[]*published{old, next}) // add a key
		rot.Unlock()
		waitFor("the new key", func() bool { return ri.committed(next.inOK.Load()) })

		rot.Lock()
		ri.cur.Store(&[]*published{next}) // then remove the old one
		rm := append(append([]*published{}, *ri.removed.Load()...), old)
		ri.removed.Store(&rm)
		rot.Unlock()
		waitFor("the removal", func() bool { return ri.committed(old.goneOK.Load()) })
		old = next
	}
	stop.Store(true)
	wg.Wait()
	elapsed := time.Since(start)

	s := c.Stats()
	fetches := ri.reqs.Load()
	// Scheduled fetches come at least 0.9 × 2ms apart (retries too: backoff is capped by the
	// interval), on-demand ones at least 5ms apart.
	bound := int64(elapsed/(1800*time.Microsecond)) + int64(elapsed/(5*time.Millisecond)) + 2
	t.Logf("rotation under load: %d rotations in %v, %d checks (%d required to pass), %d fetches (%d failed, %d on demand), bound %d",
		rotations, elapsed.Round(time.Millisecond), checks.Load(), expected.Load(), fetches, s.Failures, s.OnDemandFetches, bound)
	assert.Zero(t, wrongAccepts.Load(), "wrong accepts; first wrong: %s", firstWrong)
	assert.Zero(t, wrongRejects.Load(), "wrong rejects; first wrong: %s", firstWrong)
	assert.NotZero(t, expected.Load(), "no check covered a key the cache had taken in")
	assert.LessOrEqual(t, fetches, bound, "fetches")
	assert.NotZero(t, s.Failures, "no fetch failed")
	assert.False(t, s.Stale)
}
