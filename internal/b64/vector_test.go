package b64

import (
	"encoding/base64"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// decodeBoth decodes src with the vector loop (where the CPU has one) and with the scalar
// loop alone, and fails the test unless the two agree with each other and with
// encoding/base64 (strict, unpadded, URL alphabet).
func decodeBoth(t *testing.T, src string) {
	t.Helper()
	n, ok := DecodedLen(len(src))
	if !ok {
		n = 0
	}
	// Bytes past dst's length, within its capacity, must stay untouched.
	vec := make([]byte, n, n+32)
	guard := vec[n : n+32]
	for i := range guard {
		guard[i] = 0xA5
	}
	vn, verr := Decode(vec, src)
	for i := range guard {
		require.Equal(t, byte(0xA5), guard[i], "Decode wrote past the length of dst, decoding %q", src)
	}

	saved := useAVX2
	useAVX2 = false
	scalar := make([]byte, n)
	sn, serr := Decode(scalar, src)
	useAVX2 = saved

	want, werr := base64.RawURLEncoding.Strict().DecodeString(src)
	if werr == nil && len(src) != len(base64.RawURLEncoding.EncodeToString(want)) {
		werr = base64.CorruptInputError(0) // encoding/base64 skips CR and LF; we do not
	}
	require.Equal(t, werr == nil, verr == nil, "vector loop on %q: %v, encoding/base64: %v", src, verr, werr)
	require.Equal(t, werr == nil, serr == nil, "scalar loop on %q: %v, encoding/base64: %v", src, serr, werr)
	if werr == nil {
		require.Equal(t, want, vec[:vn], "vector loop on %q", src)
		require.Equal(t, want, scalar[:sn], "scalar loop on %q", src)
	}
}

// TestVectorEveryByteEverywhere replaces each character of a valid three-block input by each
// of the 256 byte values: the vector loop must accept exactly the alphabet, at every lane
// position, and decode it as the scalar loop and encoding/base64 do.
func TestVectorEveryByteEverywhere(t *testing.T) {
	t.Logf("vector loop in use: %v", useAVX2)
	raw := make([]byte, 72)
	for i := range raw {
		raw[i] = byte(i*37 + 5)
	}
	valid := []byte(base64.RawURLEncoding.EncodeToString(raw)) // 96 characters
	for pos := range valid {
		for b := range 256 {
			src := append([]byte(nil), valid...)
			src[pos] = byte(b)
			decodeBoth(t, string(src))
		}
	}
}

// TestVectorLengths decodes random valid and corrupted inputs of every length up to four
// blocks and some, so that every split between vector and scalar loops is met.
func TestVectorLengths(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 200 {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = byte(rng.Uint32())
		}
		src := base64.RawURLEncoding.EncodeToString(raw)
		decodeBoth(t, src)
		if len(src) > 0 {
			bad := []byte(src)
			bad[rng.IntN(len(bad))] = "=+/.\n\x00\xff"[rng.IntN(7)]
			decodeBoth(t, string(bad))
		}
	}
}
