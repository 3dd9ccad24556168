package jwtguard

import (
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/jwks"
)

// TestNewEntrySizes checks that newEntry returns a payload buffer of the length asked for, and
// that the size it reports is what the runtime really allocates: one object filling a size
// class for small and medium payloads, two objects beyond.
func TestNewEntrySizes(t *testing.T) {
	for _, n := range []int{0, 1, 240, 640 - mallocHeader - entryBytes, 641 - mallocHeader - entryBytes, 1000, 3000, 4096 - mallocHeader - entryBytes, 4096, 10000} {
		const runs = 1000
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		var size int
		var payload []byte
		for range runs {
			entrySink, payload, size = newEntry(n)
		}
		runtime.ReadMemStats(&after)
		require.Len(t, payload, n)
		require.Equal(t, n, cap(payload), "appending to the payload must not write past it")
		require.GreaterOrEqual(t, size, entryBytes+n)
		perRun := float64(after.TotalAlloc-before.TotalAlloc) / runs
		if n <= 4096-mallocHeader-entryBytes {
			// Exact but for a little slack for the odd allocation elsewhere in the
			// process; size classes differ by far more.
			require.InDelta(t, size, perRun, 16, "payload %d: reported size vs bytes allocated", n)
			require.InDelta(t, 1, float64(after.Mallocs-before.Mallocs)/runs, 0.05, "payload %d: one allocation", n)
		} else {
			// Two objects, each rounded up to its size class.
			require.InEpsilon(t, size, perRun, 0.05, "payload %d: reported size vs bytes allocated", n)
		}
	}
}

// entrySink keeps the entries of TestNewEntrySizes on the heap.
var entrySink *entry

// TestTokenCacheSlots checks, on a cache of one set, that an insert takes an expired slot
// before evicting a live entry, and that tokens whose hashed ends are equal are still told
// apart by their whole text.
func TestTokenCacheSlots(t *testing.T) {
	key, err := jwks.NewSecretKey("k", "HS256", make([]byte, 32))
	require.NoError(t, err)
	c := newTokenCache(ways, 1<<20)
	require.Len(t, c.slots, ways, "one set")
	now := int64(1_000_000) * 1e9
	put := func(tok string, ttl time.Duration) {
		c.put(&entry{token: tok, key: key, deadline: now + int64(ttl), size: 100}, c.hash(tok), now)
	}
	found := func(tok string) bool {
		got, _ := c.get(tok, now)
		return got != nil
	}

	for i := range ways {
		ttl := time.Hour
		if i == 2 {
			ttl = time.Second
		}
		put("t"+strconv.Itoa(i), ttl)
	}
	for i := range ways {
		require.True(t, found("t"+strconv.Itoa(i)), "t%d: the set had room", i)
	}
	now += int64(2 * time.Second) // t2 expires
	put("t4", time.Hour)
	for _, tok := range []string{"t0", "t1", "t3", "t4"} {
		require.True(t, found(tok), "%s: the insert should have taken t2's expired slot", tok)
	}
	require.False(t, found("t2"))
	require.Equal(t, int64(ways*100), c.bytes.Load(), "bytes charged for four entries of 100")

	// Two tokens equal in their last hashedBytes share set and tag.
	tail := strings.Repeat("x", hashedBytes)
	a, b := "a"+tail, "b"+tail
	require.Equal(t, c.hash(a), c.hash(b))
	require.False(t, found(a))
	put(a, time.Hour)
	require.True(t, found(a))
	require.False(t, found(b), "a token is found only by its whole text")

	// An expired entry found by get is removed, and its bytes released.
	before := c.bytes.Load()
	now += int64(2 * time.Hour)
	require.False(t, found(a))
	require.Equal(t, before-100, c.bytes.Load())
}
