package jwks

import (
	"context"
	"fmt"
	"hash/maphash"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/MicahParks/jwkset"
	"github.com/jwtguard/jwtguard/internal/jwa"
)

// A Cache holds an issuer's JWK Set, fetched over HTTPS and kept fresh in the background. Its
// Key method has the signature a jwtguard.KeySource needs. It is safe for concurrent use. Make
// one with [New]; a zero Cache holds no keys.
//
// Readers look keys up in an immutable [Set] behind an atomic pointer: a hit takes no lock and
// does not allocate. One goroutine, started by [New] after the first fetch, does every fetch:
// the scheduled refreshes and those that requests ask for. No lock is held during network I/O.
// [Cache.Close] stops it and waits for it.
//
// Why not jwkset's HTTP storage or keyfunc's default client: jwkset starts its refresh
// goroutine before the first fetch and keeps it running when that fetch fails, reads bodies
// without a size cap, and has no conditional requests, max-age, backoff or bounded staleness;
// keyfunc's unknown-kid path makes each request wait on a rate limiter (for up to a minute when
// RateLimitWaitMax is zero). So the Cache fetches and schedules by itself, and [ParseSet], not
// jwkset, decides which keys are usable. It takes from jwkset its JWK marshalling and its
// Storage interface, and from keyfunc its golang-jwt adapter, to serve [Cache.Keyfunc].
type Cache struct {
	cur     atomic.Pointer[snapshot] // nil until the first successful fetch
	staleAt atomic.Int64             // monotonic ns since epoch after which cur is too old
	epoch   time.Time

	cfg    config
	client *http.Client
	seed   maphash.Seed
	// Errors Key returns while no usable set is loaded, built once so that returning them does
	// not allocate.
	errNotLoaded, errStale error

	kick      chan struct{} // asks the goroutine to run the pending fetch
	stop      context.CancelFunc
	done      chan struct{} // closed when the goroutine has returned
	closeOnce sync.Once

	mu sync.Mutex // guards st; never held during network I/O
	st state
}

type state struct {
	url      string // the JWK Set URL; empty until discovered
	etag     string
	interval time.Duration // the refresh interval last granted
	inflight *flight       // the fetch pending or running, if any
	closed   bool
	running  bool // the goroutine runs; before, New reports failures itself
	health   health
	failures int // consecutive

	next, lastStart, lastEnd time.Time
	checkedAt, loadedAt      time.Time // last 200 or 304; last 200
	lastErr                  error

	fetches, failed, notModified, onDemand uint64
	recent                                 recentKIDs
}

type health uint8

const (
	healthStarting health = iota
	healthOK
	healthFailing // refreshes fail; the last good set is served
	healthDown    // Key fails: no set loaded, or the set is stale
)

// A flight is one fetch; requests that wait for it share it.
type flight struct {
	done     chan struct{} // closed when the fetch has ended and its result is stored
	onDemand bool          // started by Key rather than the schedule
	err      error         // set before done is closed
}

// snapshot is what readers load: a set and, made on first use, its jwkset form for Keyfunc.
type snapshot struct {
	set     *Set
	jwkOnce sync.Once
	jwk     *jwkset.MemoryJWKSet
}

// unavailableError is an error text matching ErrUnavailable.
type unavailableError string

func (e unavailableError) Error() string { return string(e) }
func (e unavailableError) Unwrap() error { return ErrUnavailable }

// New returns a Cache for the JWK Set of o.Issuer (found by OpenID Connect discovery) or at
// o.URL. Unless o.LazyStart is set, it fetches the keys before returning, and fails with an
// error naming the URL and the cause, wrapping ErrUnavailable, if there are none to be had. ctx
// bounds that first discovery and fetch only; it is not kept. The background refresh starts
// after that fetch (at once with LazyStart). Call Close to stop it.
func New(ctx context.Context, o Options) (*Cache, error) {
	cfg, err := o.resolve()
	if err != nil {
		return nil, err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	src := cfg.url
	if src == "" {
		src = "issuer " + cfg.issuer
	}
	c := &Cache{
		epoch:        time.Now(),
		cfg:          cfg,
		client:       newClient(o.HTTPClient, cfg.insecureHTTP),
		seed:         maphash.MakeSeed(),
		errNotLoaded: unavailableError("jwks: keys unavailable: none loaded yet from " + src),
		errStale:     unavailableError(fmt.Sprintf("jwks: keys unavailable: last fetched from %s more than %v ago", src, cfg.maxStale)),
		kick:         make(chan struct{}, 1),
		done:         make(chan struct{}),
	}
	c.st.url = cfg.url
	c.st.interval = min(cfg.refresh, cfg.maxStale/2)
	if cfg.lazy { // the goroutine runs this first fetch at once; requests join it
		c.st.next = c.epoch
		c.beginLocked(c.epoch, false)
	} else {
		c.mu.Lock()
		f := c.beginLocked(time.Now(), false)
		c.mu.Unlock()
		c.runFlight(ctx, f)
		if f.err != nil {
			return nil, f.err
		}
	}
	c.mu.Lock()
	c.st.running = true
	c.mu.Unlock()
	loop, stop := context.WithCancel(context.Background())
	c.stop = stop
	go c.run(loop)
	return c, nil
}

// Key returns the key with the given "kid" that fits alg, as [Set.Key] does, from the current
// set. It is safe for concurrent use; when the key is in the set it takes no lock and does not
// allocate.
//
// When kid is not in the set, Key may refresh it first: it waits, bounded by ctx, for a fetch
// already running, or starts one if UnknownKeyCooldown has passed since the last fetch began;
// otherwise it fails at once with ErrUnknownKey, never waiting on a rate limiter. Such a fetch
// is shared and detached: it runs with its own FetchTimeout and is not cancelled with ctx. A
// kid still unknown after a successful fetch is ErrUnknownKey, and is remembered for up to one
// cooldown so that it fails fast. If the fetch fails, or ctx ends before it does, the kid might
// be a new key that cannot be checked now: the error wraps ErrUnavailable, not ErrUnknownKey.
//
// When no set has been loaded yet (LazyStart) or the set is older than MaxStaleness, Key waits
// for a running fetch, or starts one under the same cooldown, as above; if that brings no usable
// set, it returns an error wrapping ErrUnavailable. After Close, Key still serves the last set,
// until it is older than MaxStaleness, but never fetches.
func (c *Cache) Key(ctx context.Context, kid, alg string) (*Key, error) {
	if s := c.cur.Load(); s != nil && c.fresh() {
		if k, err := s.set.Key(ctx, kid, alg); err != ErrUnknownKey {
			return k, err
		}
	}
	return c.slowKey(ctx, kid, alg)
}

// fresh reports whether the current set may be used: younger than MaxStaleness.
func (c *Cache) fresh() bool { return int64(time.Since(c.epoch)) <= c.staleAt.Load() }

func (c *Cache) slowKey(ctx context.Context, kid, alg string) (*Key, error) {
	a := jwa.Parse(alg)
	if a == jwa.Invalid {
		return nil, ErrUnsupportedAlgorithm
	}
	if c.done == nil { // a zero Cache, not made by New
		return nil, ErrUnavailable
	}
	if ctx == nil {
		ctx = context.Background()
	}
	s := c.cur.Load()
	usable := s != nil && c.fresh()
	if usable { // a fetch may have stored a new set since the caller looked
		if k, err := s.set.lookup(kid, a); err != ErrUnknownKey {
			return k, err
		}
	}
	h := maphash.String(c.seed, kid)
	f := c.flightFor(usable, h)
	if f == nil {
		if usable {
			return nil, ErrUnknownKey
		}
		return nil, c.unavailable()
	}
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: stopped waiting for a fetch: %w", ErrUnavailable, context.Cause(ctx))
	}
	if s = c.cur.Load(); s == nil || !c.fresh() {
		return nil, c.unavailable()
	}
	k, err := s.set.lookup(kid, a)
	if err == ErrUnknownKey {
		if f.err != nil { // the kid may be new: it cannot be checked now
			return nil, fmt.Errorf("jwks: key not in the set, whose refresh failed: %w", f.err)
		}
		c.remember(h)
	}
	return k, err
}

// flightFor returns the fetch a request missing a key should wait for, starting one if the
// cooldown allows, or nil if it should fail at once.
func (c *Cache) flightFor(usable bool, h uint64) *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	c.st.recent.expire(now, c.cfg.cooldown)
	if usable && c.st.recent.has(h) {
		return nil
	}
	if f := c.st.inflight; f != nil {
		return f
	}
	if c.st.closed || !c.st.running || now.Sub(c.st.lastStart) < c.cfg.cooldown {
		return nil
	}
	f := c.beginLocked(now, true)
	select {
	case c.kick <- struct{}{}:
	default: // a kick is pending already
	}
	return f
}

func (c *Cache) remember(h uint64) {
	c.mu.Lock()
	now := time.Now()
	c.st.recent.expire(now, c.cfg.cooldown)
	c.st.recent.add(now, h)
	c.mu.Unlock()
}

// unavailable returns the error for "no usable set", noting (and logging, once) that the set
// has gone stale.
func (c *Cache) unavailable() error {
	if c.cur.Load() != nil {
		c.mu.Lock()
		rec := c.downLocked(c.st.lastErr)
		c.mu.Unlock()
		c.emit(rec...)
		return c.errStale
	}
	return c.errNotLoaded
}

// Close stops the background refresh and waits for its goroutine, cancelling a fetch in
// progress; requests waiting for that fetch return ErrUnavailable. It is safe to call more than
// once and always returns nil. After Close, Key serves the last set until it is older than
// MaxStaleness, and never fetches.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.st.closed = true
		c.mu.Unlock()
		if c.stop != nil { // nil only for a zero Cache, not made by New
			c.stop()
			<-c.done
		}
	})
	return nil
}

// run is the goroutine that fetches: on schedule, and when a request asks.
func (c *Cache) run(ctx context.Context) {
	defer close(c.done)
	t := time.NewTimer(c.untilNext())
	defer t.Stop()
	for {
		var f *flight
		select {
		case <-ctx.Done():
			c.abandon()
			return
		case <-t.C:
			f = c.scheduled()
		case <-c.kick:
			f = c.pending()
		}
		if f != nil {
			c.runFlight(ctx, f)
		}
		t.Reset(c.untilNext())
	}
}

func (c *Cache) untilNext() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return max(time.Until(c.st.next), 0)
}

// scheduled returns the fetch to run when the timer fires: a pending one, or a new one.
func (c *Cache) scheduled() *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.st.inflight; f != nil || c.st.closed {
		return f
	}
	return c.beginLocked(time.Now(), false)
}

func (c *Cache) pending() *flight {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.st.inflight
}

// abandon ends a fetch that was asked for but will not run, because the cache is closing.
func (c *Cache) abandon() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.st.inflight; f != nil {
		c.st.inflight = nil
		f.err = errClosed
		close(f.done)
	}
}

func (c *Cache) beginLocked(now time.Time, onDemand bool) *flight {
	f := &flight{done: make(chan struct{}), onDemand: onDemand}
	c.st.inflight = f
	c.st.lastStart = now
	return f
}

// runFlight runs fetch f: discovery if the URL is not known yet, then a conditional GET.
func (c *Cache) runFlight(ctx context.Context, f *flight) {
	c.mu.Lock()
	u, etag := c.st.url, c.st.etag
	c.mu.Unlock()
	var r response
	var set *Set
	var err error
	if u == "" {
		u, err = c.discover(ctx)
	}
	if err == nil {
		if r, err = c.get(ctx, u, etag); err == nil && !r.notModified {
			set, err = ParseSet(r.body)
		}
		if err != nil {
			err = &fetchError{op: "fetch", url: u, err: err}
		}
	}
	c.finish(f, u, r, set, err)
}

// finish stores the result of fetch f. A new set replaces the old one whole: keys equal to old
// ones keep their old *Key, and old keys left out are revoked after the swap.
func (c *Cache) finish(f *flight, u string, r response, fresh *Set, err error) {
	now := time.Now()
	var logs []logRecord
	if fresh != nil {
		var old *Set
		if s := c.cur.Load(); s != nil {
			old = s.set
		}
		set, removed, changed := merge(old, fresh)
		c.cur.Store(&snapshot{set: set})
		c.staleAt.Store(addSat(now.Sub(c.epoch), c.cfg.maxStale))
		for _, k := range removed {
			k.revoke()
		}
		if changed {
			for _, e := range set.skipped {
				logs = append(logs, logRecord{slog.LevelWarn, "jwks: skipped an unusable key", []any{"url", u, "reason", e.Error()}})
			}
		}
	} else if err == nil { // 304 Not Modified
		c.staleAt.Store(addSat(now.Sub(c.epoch), c.cfg.maxStale))
	}

	c.mu.Lock()
	st := &c.st
	if u != "" {
		st.url = u
	}
	if !st.closed || err == nil { // a fetch cut short by Close is not a failure
		st.lastEnd = now
		st.fetches++
		if f.onDemand {
			st.onDemand++
		}
		if err == nil {
			logs = append(logs, c.succeededLocked(now, r)...)
		} else {
			st.lastErr = err
			st.failures++
			st.failed++
			st.next = now.Add(jitter(backoff(st.failures, st.interval)))
			if st.running {
				logs = append(logs, c.failedLocked(err)...)
			}
		}
	}
	st.inflight = nil
	f.err = err
	close(f.done)
	c.mu.Unlock()
	c.emit(logs...)
}

func (c *Cache) succeededLocked(now time.Time, r response) []logRecord {
	st := &c.st
	st.lastErr = nil
	st.failures = 0
	st.checkedAt = now
	first := st.loadedAt.IsZero()
	if r.notModified {
		st.notModified++
	} else {
		st.loadedAt = now
		st.etag = r.etag
	}
	st.interval = c.interval(r.maxAge)
	st.next = now.Add(jitter(st.interval))
	prev := st.health
	st.health = healthOK
	keys := c.cur.Load().set.Len()
	switch {
	case first:
		return []logRecord{{slog.LevelInfo, "jwks: keys loaded", []any{"url", st.url, "keys", keys}}}
	case prev == healthFailing || prev == healthDown:
		return []logRecord{{slog.LevelInfo, "jwks: keys refreshed; healthy again", []any{"url", st.url, "keys", keys}}}
	}
	return nil
}

func (c *Cache) failedLocked(err error) []logRecord {
	st := &c.st
	switch {
	case c.cur.Load() == nil:
		if st.health != healthDown {
			st.health = healthDown
			return []logRecord{{slog.LevelError, "jwks: cannot load keys; tokens are refused until a fetch succeeds", []any{"url", c.source(), "error", err.Error()}}}
		}
	case !c.fresh():
		return c.downLocked(err)
	case st.health != healthFailing:
		st.health = healthFailing
		return []logRecord{{slog.LevelWarn, "jwks: refresh failed; serving the last good keys", []any{"url", c.source(), "error", err.Error()}}}
	}
	return nil
}

// downLocked moves a loaded cache whose set has gone stale to healthDown, logging it once.
func (c *Cache) downLocked(err error) []logRecord {
	if c.st.health == healthDown {
		return nil
	}
	c.st.health = healthDown
	args := []any{"url", c.source(), "last_success", c.st.checkedAt, "max_staleness", c.cfg.maxStale}
	if err != nil {
		args = append(args, "error", err.Error())
	}
	return []logRecord{{slog.LevelError, "jwks: keys are stale; tokens are refused until a fetch succeeds", args}}
}

func (c *Cache) source() string {
	if c.st.url != "" {
		return c.st.url
	}
	return c.cfg.issuer
}

type logRecord struct {
	level slog.Level
	msg   string
	args  []any
}

// emit logs outside any lock.
func (c *Cache) emit(recs ...logRecord) {
	for _, r := range recs {
		c.cfg.log.Log(context.Background(), r.level, r.msg, r.args...)
	}
}

// interval is the refresh interval granted by a response with the given max-age (-1: none).
func (c *Cache) interval(maxAge time.Duration) time.Duration {
	d := c.cfg.refresh
	if maxAge >= 0 {
		d = min(max(maxAge, c.cfg.minRefresh), c.cfg.maxRefresh)
	}
	return min(d, c.cfg.maxStale/2)
}

// backoff is the delay before retry number failures: 1s doubling to 5m, never longer than the
// refresh interval.
func backoff(failures int, interval time.Duration) time.Duration {
	d := maxBackoff
	if failures <= 10 {
		d = min(minBackoff<<max(failures-1, 0), maxBackoff)
	}
	return min(d, interval)
}

// jitter returns d ± 10%, at random.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d - d/10 + rand.N(d/5+1)
}

func addSat(a, b time.Duration) int64 {
	if b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return int64(a + b)
}

// merge returns fresh with each key that equals one of old replaced by that old *Key, the old
// keys left out, and whether the keys differ from old's.
func merge(old, fresh *Set) (set *Set, removed []*Key, changed bool) {
	if old == nil {
		return fresh, nil, true
	}
	kept := make(map[*Key]bool, len(old.keys))
	keys := make([]*Key, len(fresh.keys))
	for i, k := range fresh.keys {
		keys[i] = k
		for _, o := range old.byID[k.id] {
			if !kept[o] && o.Equal(k) {
				keys[i] = o
				kept[o] = true
				break
			}
		}
		changed = changed || keys[i] == k
	}
	for _, o := range old.keys {
		if !kept[o] {
			removed = append(removed, o)
		}
	}
	set, err := NewSet(keys...)
	if err != nil { // cannot happen: fresh has at least one key
		return fresh, removed, true
	}
	set.skipped = fresh.skipped
	return set, removed, changed || len(removed) > 0 || len(fresh.skipped) != len(old.skipped)
}

// recentKIDs remembers, for one cooldown, the hashes of up to 64 kids found unknown just after
// a successful fetch.
type recentKIDs struct {
	since time.Time
	n     int
	h     [64]uint64
}

func (r *recentKIDs) expire(now time.Time, ttl time.Duration) {
	if r.n > 0 && now.Sub(r.since) >= ttl {
		r.n = 0
	}
}

func (r *recentKIDs) has(h uint64) bool {
	for _, x := range r.h[:min(r.n, len(r.h))] {
		if x == h {
			return true
		}
	}
	return false
}

func (r *recentKIDs) add(now time.Time, h uint64) {
	if r.n == 0 {
		r.since = now
	}
	r.h[r.n%len(r.h)] = h
	r.n++
}

// Stats describes a Cache's state, for health checks and metrics.
type Stats struct {
	// URL is the JWK Set URL; empty while discovery has not succeeded.
	URL string
	// Keys is the number of usable keys in the current set, and Skipped the number of keys its
	// document held that are not usable. Both are 0 before the first successful fetch.
	Keys, Skipped int
	// FetchedAt is when the current set was last confirmed: a fetch that returned it or a
	// "304 Not Modified". Staleness counts from it. LoadedAt is when its content was received.
	FetchedAt, LoadedAt time.Time
	// LastFetch is when the last fetch ended, and LastError its error (nil if it succeeded).
	LastFetch time.Time
	LastError error
	// NextRefresh is when the next scheduled fetch is due; zero after Close.
	NextRefresh time.Time
	// Fetches counts fetches (discovery included), Failures the failed ones, NotModified the
	// "304 Not Modified" answers, and OnDemandFetches those started by Key for an unknown kid
	// or for want of a usable set.
	Fetches, Failures, NotModified, OnDemandFetches uint64
	// ConsecutiveFailures counts the failed fetches since the last successful one.
	ConsecutiveFailures int
	// Stale reports that Key returns ErrUnavailable: no set is loaded, or it is older than
	// MaxStaleness.
	Stale bool
	// Closed reports that Close has been called.
	Closed bool
}

// Stats returns a consistent copy of the cache's counters and state. It takes a lock briefly
// and is meant for health checks and metrics, not for every request.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	snap := c.cur.Load()
	s := Stats{
		URL:                 c.st.url,
		FetchedAt:           c.st.checkedAt,
		LoadedAt:            c.st.loadedAt,
		LastFetch:           c.st.lastEnd,
		LastError:           c.st.lastErr,
		Fetches:             c.st.fetches,
		Failures:            c.st.failed,
		NotModified:         c.st.notModified,
		OnDemandFetches:     c.st.onDemand,
		ConsecutiveFailures: c.st.failures,
		Stale:               snap == nil || !c.fresh(),
		Closed:              c.st.closed,
	}
	if !c.st.closed {
		s.NextRefresh = c.st.next
	}
	if snap != nil {
		s.Keys, s.Skipped = snap.set.Len(), len(snap.set.skipped)
	}
	return s
}
