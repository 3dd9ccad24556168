package jwtguard

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
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
