package rsakey

import (
	"bytes"
	"crypto"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejects(t *testing.T) {
	base := loadKey(t, key2048).priv.PublicKey
	one := big.NewInt(1)
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(one, n) }
	odd := func(x *big.Int) *big.Int { return new(big.Int).SetBit(x, 0, 1) }

	tests := []struct {
		name string
		pub  *rsa.PublicKey
	}{
		{"nil key", nil},
		{"nil modulus", &rsa.PublicKey{E: 65537}},
		{"zero modulus", &rsa.PublicKey{N: new(big.Int), E: 65537}},
		{"negative modulus", &rsa.PublicKey{N: new(big.Int).Neg(base.N), E: 65537}},
		{"1024-bit modulus", &rsa.PublicKey{N: odd(new(big.Int).Rsh(base.N, 1024)), E: 65537}},
		{"2047-bit modulus", &rsa.PublicKey{N: odd(pow2(2046)), E: 65537}},
		{"8193-bit modulus", &rsa.PublicKey{N: odd(pow2(8192)), E: 65537}},
		{"16384-bit modulus", &rsa.PublicKey{N: odd(pow2(16383)), E: 65537}},
		{"even modulus", &rsa.PublicKey{N: new(big.Int).Add(base.N, one), E: 65537}},
		{"e=-3", &rsa.PublicKey{N: base.N, E: -3}},
		{"e=0", &rsa.PublicKey{N: base.N, E: 0}},
		{"e=1", &rsa.PublicKey{N: base.N, E: 1}},
		{"e=2", &rsa.PublicKey{N: base.N, E: 2}},
		{"e=4", &rsa.PublicKey{N: base.N, E: 4}},
		{"e=65536", &rsa.PublicKey{N: base.N, E: 65536}},
		{"e=2^31", &rsa.PublicKey{N: base.N, E: 1 << 31}},
		{"e=2^31+1", &rsa.PublicKey{N: base.N, E: 1<<31 + 1}},
		{"e=2^32+1", &rsa.PublicKey{N: base.N, E: 1<<32 + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := New(tt.pub)
			require.ErrorIs(t, err, ErrKey)
			assert.Nil(t, k)
		})
	}
}

func TestNewAccepts(t *testing.T) {
	base := loadKey(t, key2048).priv.PublicKey
	one := big.NewInt(1)
	pow2 := func(n uint) *big.Int { return new(big.Int).Lsh(one, n) }

	tests := []struct {
		name string
		pub  *rsa.PublicKey
		size int
	}{
		{"2048-bit e=3", &rsa.PublicKey{N: base.N, E: 3}, 256},
		{"2048-bit e=2^31-1", &rsa.PublicKey{N: base.N, E: 1<<31 - 1}, 256},
		{"smallest 2048-bit", &rsa.PublicKey{N: new(big.Int).Add(pow2(2047), one), E: 65537}, 256},
		{"largest 8192-bit", &rsa.PublicKey{N: new(big.Int).Sub(pow2(8192), one), E: 65537}, 1024},
		{"2049-bit", &rsa.PublicKey{N: new(big.Int).Add(pow2(2048), one), E: 65537}, 257},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := New(tt.pub)
			require.NoError(t, err)
			require.Equal(t, tt.size, k.Size())

			// Whatever the signature, these keys must not panic.
			rng := rand.New(rand.NewPCG(1, 2))
			for _, sig := range [][]byte{
				nil,
				make([]byte, tt.size),
				bytes.Repeat([]byte{0xff}, tt.size),
				randBytes(rng, tt.size),
				tt.pub.N.Bytes(),
				new(big.Int).Sub(tt.pub.N, one).FillBytes(make([]byte, tt.size)),
			} {
				hashed := make([]byte, 32)
				assert.Same(t, ErrVerification, k.VerifyPKCS1v15(crypto.SHA256, hashed, sig), "sig %x", sig)
				assert.Same(t, ErrVerification, k.VerifyPSS(crypto.SHA256, hashed, sig), "sig %x", sig)
			}
		})
	}
}

// TestNewCopies checks that New keeps its own copy of the modulus.
func TestNewCopies(t *testing.T) {
	k := loadKey(t, key2048)
	pub := rsa.PublicKey{N: new(big.Int).Set(k.priv.N), E: k.priv.E}
	prepared, err := New(&pub)
	require.NoError(t, err)
	pub.N.SetInt64(3)
	pub.E = 4

	hashed := bytes.Repeat([]byte{7}, 32)
	sig, err := rsa.SignPKCS1v15(nil, k.priv, crypto.SHA256, hashed)
	require.NoError(t, err)
	require.NoError(t, prepared.VerifyPKCS1v15(crypto.SHA256, hashed, sig))
}

func TestUnsupportedHashAndZeroKey(t *testing.T) {
	k := loadKey(t, key2048).pub
	sig := make([]byte, k.Size())
	for _, h := range []crypto.Hash{0, crypto.MD5, crypto.SHA1, crypto.SHA224, crypto.SHA512_256, crypto.SHA3_256, crypto.BLAKE2b_512, 200} {
		hashed := make([]byte, 32)
		for name, err := range map[string]error{
			"PKCS1v15": k.VerifyPKCS1v15(h, hashed, sig),
			"PSS":      k.VerifyPSS(h, hashed, sig),
		} {
			require.Error(t, err, "%s %v", name, h)
			assert.NotErrorIs(t, err, ErrVerification, "%s %v", name, h)
		}
	}

	for _, z := range []*PublicKey{nil, {}} {
		assert.Zero(t, z.Size())
		assert.ErrorIs(t, z.VerifyPKCS1v15(crypto.SHA256, make([]byte, 32), sig), ErrKey)
		assert.ErrorIs(t, z.VerifyPSS(crypto.SHA256, make([]byte, 32), sig), ErrKey)
	}
}

func randBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func digest(h crypto.Hash, msg []byte) []byte {
	d := h.New()
	d.Write(msg)
	return d.Sum(nil)
}

// sigMutations returns invalid variants of the valid signature sig for key k.
func sigMutations(k *testKey, sig []byte, rng *rand.Rand) map[string][]byte {
	size := len(sig)
	n := k.priv.N
	one := big.NewInt(1)
	fixed := func(x *big.Int) []byte {
		if x.BitLen() > 8*size {
			return x.Bytes()
		}
		return x.FillBytes(make([]byte, size))
	}
	muts := map[string][]byte{
		"nil":                  nil,
		"empty":                {},
		"truncated end":        sig[:size-1],
		"truncated start":      sig[1:],
		"extended":             append(bytes.Clone(sig), 0),
		"leading zero":         append([]byte{0}, sig...),
		"zero":                 make([]byte, size),
		"one":                  fixed(one),
		"all ff":               bytes.Repeat([]byte{0xff}, size),
		"n":                    fixed(n),
		"n+1":                  fixed(new(big.Int).Add(n, one)),
		"n-1":                  fixed(new(big.Int).Sub(n, one)),
		"sig+n":                fixed(new(big.Int).Add(new(big.Int).SetBytes(sig), n)),
		"random":               randBytes(rng, size),
		"random top bit clear": append([]byte{0}, randBytes(rng, size-1)...),
	}
	// Bit flips: every bit of the first two and last two bytes, and a random
	// bit of a few bytes in between.
	for _, pos := range []int{0, 1, size - 2, size - 1} {
		for bit := range 8 {
			m := bytes.Clone(sig)
			m[pos] ^= 1 << bit
			muts[fmt.Sprintf("flip byte %d bit %d", pos, bit)] = m
		}
	}
	for range 6 {
		pos, bit := 2+rng.IntN(size-4), rng.IntN(8)
		m := bytes.Clone(sig)
		m[pos] ^= 1 << bit
		muts[fmt.Sprintf("flip byte %d bit %d", pos, bit)] = m
	}
	return muts
}

// hashMutations returns wrong digests to pair with a valid signature of
// hashed under h.
func hashMutations(h crypto.Hash, hashed []byte) map[string][]byte {
	muts := map[string][]byte{
		"nil":       nil,
		"truncated": hashed[:len(hashed)-1],
		"extended":  append(bytes.Clone(hashed), 0),
		"zero":      make([]byte, len(hashed)),
	}
	for _, pos := range []int{0, len(hashed) / 2, len(hashed) - 1} {
		m := bytes.Clone(hashed)
		m[pos] ^= 0x01
		muts[fmt.Sprintf("flip byte %d", pos)] = m
	}
	return muts
}

// iterations returns how many random messages to sign per key and hash,
// keeping `go test` fast on slow machines.
func iterations(k *testKey) int {
	switch {
	case testing.Short():
		return 1
	case k.pub.Size() > 256:
		return 3
	}
	return 10
}

type scheme struct {
	name     string
	sign     func(k *testKey, h crypto.Hash, hashed []byte) ([]byte, error)
	verdicts func(k *testKey, h crypto.Hash, hashed, sig []byte) (ours, std error)
}

var schemes = []scheme{
	{
		name: "PKCS1v15",
		sign: func(k *testKey, h crypto.Hash, hashed []byte) ([]byte, error) {
			return rsa.SignPKCS1v15(nil, k.priv, h, hashed)
		},
		verdicts: pkcs1Verdicts,
	},
	{
		name: "PSS",
		sign: func(k *testKey, h crypto.Hash, hashed []byte) ([]byte, error) {
			return rsa.SignPSS(cryptorand.Reader, k.priv, h, hashed, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		},
		verdicts: pssVerdicts,
	},
}

// TestDifferential signs random messages with crypto/rsa and checks that
// rsakey and crypto/rsa accept them and reject every mutation alike.
func TestDifferential(t *testing.T) {
	for _, s := range schemes {
		for _, name := range allKeys {
			k := loadKey(t, name)
			for _, h := range supportedHashes {
				t.Run(fmt.Sprintf("%s/%s/%v", s.name, name, h), func(t *testing.T) {
					t.Parallel()
					rng := rand.New(rand.NewPCG(uint64(h), uint64(k.pub.Size())))
					for i := range iterations(k) {
						msg := randBytes(rng, rng.IntN(100))
						hashed := digest(h, msg)
						sig, err := s.sign(k, h, hashed)
						require.NoError(t, err)

						ours, std := s.verdicts(k, h, hashed, sig)
						checkVerdicts(t, ours, std, valid, "iteration", i)

						for mname, m := range sigMutations(k, sig, rng) {
							ours, std := s.verdicts(k, h, hashed, m)
							checkVerdicts(t, ours, std, invalid, "signature mutation", mname)
						}
						for mname, m := range hashMutations(h, hashed) {
							ours, std := s.verdicts(k, h, m, sig)
							checkVerdicts(t, ours, std, invalid, "digest mutation", mname)
						}
						// The signature of the same message under another hash.
						for _, h2 := range supportedHashes {
							if h2 == h {
								continue
							}
							ours, std := s.verdicts(k, h2, digest(h2, msg), sig)
							checkVerdicts(t, ours, std, invalid, "verified with", h2)
						}
					}
				})
			}
		}
	}
}

// TestPKCS1v15Encodings signs malformed PKCS #1 v1.5 encodings with the raw
// private key and checks both implementations reject them, and that the
// well-formed encoding built by the test is accepted.
func TestPKCS1v15Encodings(t *testing.T) {
	for _, name := range []string{key2048, key2048e3, key2049, key4096} {
		k := loadKey(t, name)
		size := k.pub.Size()
		for _, h := range supportedHashes {
			hashed := digest(h, []byte("jwtguard "+name))
			di := digestInfo(t, h, hashed)
			other := crypto.SHA256
			if h == crypto.SHA256 {
				other = crypto.SHA512
			}
			// DigestInfo naming another hash but holding this digest.
			wrongOID := digestInfo(t, other, hashed)
			// DigestInfo without the NULL parameters, as some encoders emit.
			noNull := append([]byte{0x30, byte(len(di) - 4), 0x30, 0x0b}, di[4:15]...)
			noNull = append(noNull, di[17:]...)
			// Non-DER long-form length for the digest OCTET STRING.
			longLen := append(append(bytes.Clone(di[:len(di)-len(hashed)-1]), 0x81, byte(len(hashed))), hashed...)
			longLen[1]++
			em := func(edit func(e []byte)) []byte {
				e := pkcs1EM(size, di)
				edit(e)
				return e
			}

			cases := map[string]struct {
				em   []byte
				want *bool
			}{
				"valid":             {pkcs1EM(size, di), valid},
				"leading 01":        {em(func(e []byte) { e[0] = 1 }), invalid},
				"block type 2":      {em(func(e []byte) { e[1] = 2 }), invalid},
				"block type 0":      {em(func(e []byte) { e[1] = 0 }), invalid},
				"padding fe":        {em(func(e []byte) { e[size/2] = 0xfe }), invalid},
				"no separator":      {em(func(e []byte) { e[size-len(di)-1] = 0xff }), invalid},
				"digest flipped":    {em(func(e []byte) { e[size-1] ^= 1 }), invalid},
				"trailing garbage":  {pkcs1EM(size, append(bytes.Clone(di), 0xde, 0xad, 0xbe, 0xef)), invalid},
				"trailing zeros":    {pkcs1EM(size, append(bytes.Clone(di), 0, 0, 0, 0)), invalid},
				"wrong oid":         {pkcs1EM(size, wrongOID), invalid},
				"absent parameters": {pkcs1EM(size, noNull), invalid},
				"long-form length":  {pkcs1EM(size, longLen), invalid},
				"bare digest":       {pkcs1EM(size, hashed), invalid},
				"short padding":     {append(append([]byte{0, 1, 0xff, 0}, di...), make([]byte, size-4-len(di))...), invalid},
				"zero":              {make([]byte, size), invalid},
				"one":               {append(make([]byte, size-1), 1), invalid},
			}
			for cname, c := range cases {
				sig := k.rawSign(c.em)
				ours, std := pkcs1Verdicts(k, h, hashed, sig)
				checkVerdicts(t, ours, std, c.want, name, h, cname)
			}
		}
	}
}

// TestPSSEncodings signs malformed EMSA-PSS encodings with the raw private key
// and checks both implementations reject them, and that the well-formed
// encoding built by the test is accepted.
func TestPSSEncodings(t *testing.T) {
	for _, name := range []string{key2048, key2048e3, key2049, key4096} {
		k := loadKey(t, name)
		size, modBits := k.pub.Size(), k.priv.N.BitLen()
		for _, h := range supportedHashes {
			hashed := digest(h, []byte("jwtguard "+name))
			hLen := h.Size()
			salt := bytes.Repeat([]byte{0x5a}, hLen)
			maxSalt := (modBits-1+7)/8 - hLen - 2
			cases := map[string]struct {
				p    pssParams
				salt []byte
				want *bool
			}{
				"valid":           {pssParams{h: h}, salt, valid},
				"salt 0":          {pssParams{h: h}, nil, invalid},
				"salt hLen-1":     {pssParams{h: h}, salt[1:], invalid},
				"salt hLen+1":     {pssParams{h: h}, append(bytes.Clone(salt), 1), invalid},
				"salt 20":         {pssParams{h: h}, salt[:20], invalid},
				"salt max":        {pssParams{h: h}, bytes.Repeat([]byte{1}, maxSalt), invalid},
				"trailer bb":      {pssParams{h: h, trailer: 0xbb}, salt, invalid},
				"trailer 01":      {pssParams{h: h, trailer: 0x01}, salt, invalid},
				"top bits set":    {pssParams{h: h, topBits: true}, salt, invalid},
				"nonzero padding": {pssParams{h: h, psXor: 0x01}, salt, invalid},
				"separator 02":    {pssParams{h: h, separator: 0x02}, salt, invalid},
				"separator ff":    {pssParams{h: h, separator: 0xff}, salt, invalid},
				"mgf1 sha1":       {pssParams{h: h, mgfHash: crypto.SHA1}, salt, invalid},
			}
			for cname, c := range cases {
				em := pssEncode(c.p, hashed, c.salt, modBits, size)
				sig := k.rawSign(em)
				ours, std := pssVerdicts(k, h, hashed, sig)
				checkVerdicts(t, ours, std, c.want, name, h, cname)

				if c.want == valid {
					// Corrupt H and the salt inside a valid encoding.
					for _, pos := range []int{size - 2, size - hLen - 1, size - hLen - 2, size - 2*hLen - 2} {
						bad := bytes.Clone(em)
						bad[pos] ^= 0x10
						ours, std := pssVerdicts(k, h, hashed, k.rawSign(bad))
						checkVerdicts(t, ours, std, invalid, name, h, cname, "flipped em byte", pos)
					}
				}
			}
		}
	}
}

// TestPSSExtraLeadingByte checks, for a 2049-bit key whose PSS encoding is a
// byte shorter than the modulus, that a nonzero byte above a valid encoding is
// rejected rather than ignored.
func TestPSSExtraLeadingByte(t *testing.T) {
	k := loadKey(t, key2049)
	size, modBits := k.pub.Size(), k.priv.N.BitLen()
	for _, h := range supportedHashes {
		hashed := digest(h, []byte("extra byte"))
		found := 0
		for i := 0; i < 64 && found < 4; i++ {
			salt := bytes.Repeat([]byte{byte(i)}, h.Size())
			em := pssEncode(pssParams{h: h}, hashed, salt, modBits, size)
			require.Zero(t, em[0], "leading byte of the encoding for a %d-bit key", modBits)
			ours, std := pssVerdicts(k, h, hashed, k.rawSign(em))
			checkVerdicts(t, ours, std, valid, h, "salt", i)

			em[0] = 0x01
			if new(big.Int).SetBytes(em).Cmp(k.priv.N) >= 0 {
				continue // the raw signature would not recover em
			}
			found++
			ours, std = pssVerdicts(k, h, hashed, k.rawSign(em))
			checkVerdicts(t, ours, std, invalid, h, "salt", i)
		}
		require.NotZero(t, found, "%v: no salt gave an encoding below n - 2^2048", h)
	}
}

// TestPSSOtherSaltLengths checks that signatures made by crypto/rsa with a
// salt length other than the digest size are rejected, as RFC 7518 requires.
func TestPSSOtherSaltLengths(t *testing.T) {
	for _, name := range []string{key2048, key2049} {
		k := loadKey(t, name)
		for _, h := range supportedHashes {
			hashed := digest(h, []byte("salt lengths"))
			for _, saltLen := range []int{0, 20, 32, h.Size() - 1, h.Size() + 1, rsa.PSSSaltLengthAuto} {
				if saltLen == h.Size() {
					continue
				}
				sig, err := rsa.SignPSS(cryptorand.Reader, k.priv, h, hashed, &rsa.PSSOptions{SaltLength: saltLen})
				require.NoError(t, err)
				// Sanity check: crypto/rsa accepts it when auto-detecting.
				require.NoError(t, rsa.VerifyPSS(&k.priv.PublicKey, h, hashed, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}))
				ours, std := pssVerdicts(k, h, hashed, sig)
				checkVerdicts(t, ours, std, invalid, name, h, "salt length", saltLen)
			}
		}
	}
}

// TestConcurrent verifies with one key from many goroutines, for -race.
func TestConcurrent(t *testing.T) {
	k := loadKey(t, key2048)
	hashed := digest(crypto.SHA256, []byte("concurrent"))
	sig1, err := rsa.SignPKCS1v15(nil, k.priv, crypto.SHA256, hashed)
	require.NoError(t, err)
	sig2, err := rsa.SignPSS(cryptorand.Reader, k.priv, crypto.SHA256, hashed, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 8*4)
	for range 8 {
		wg.Go(func() {
			for range 4 {
				errs <- errors.Join(
					k.pub.VerifyPKCS1v15(crypto.SHA256, hashed, sig1),
					k.pub.VerifyPSS(crypto.SHA256, hashed, sig2),
				)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestAllocations checks that verifying with a key of at most 2048 bits does
// not allocate, whether the signature is valid or not, and logs the counts
// for larger keys, where filippo.io/bigmod's scratch space outgrows its stack
// buffers.
func TestAllocations(t *testing.T) {
	for _, name := range allKeys {
		k := loadKey(t, name)
		hashed := digest(crypto.SHA256, []byte("allocations"))
		sigPKCS, err := rsa.SignPKCS1v15(nil, k.priv, crypto.SHA256, hashed)
		require.NoError(t, err)
		sigPSS, err := rsa.SignPSS(cryptorand.Reader, k.priv, crypto.SHA256, hashed, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		require.NoError(t, err)
		badPKCS := bytes.Clone(sigPKCS)
		badPKCS[10] ^= 1
		badPSS := bytes.Clone(sigPSS)
		badPSS[10] ^= 1
		tooBig := bytes.Repeat([]byte{0xff}, k.pub.Size())

		runs := map[string]func() error{
			"PKCS1v15/valid":    func() error { return k.pub.VerifyPKCS1v15(crypto.SHA256, hashed, sigPKCS) },
			"PKCS1v15/invalid":  func() error { return k.pub.VerifyPKCS1v15(crypto.SHA256, hashed, badPKCS) },
			"PKCS1v15/too big":  func() error { return k.pub.VerifyPKCS1v15(crypto.SHA256, hashed, tooBig) },
			"PKCS1v15/SHA-512":  func() error { return k.pub.VerifyPKCS1v15(crypto.SHA512, make([]byte, 64), sigPKCS) },
			"PSS/valid":         func() error { return k.pub.VerifyPSS(crypto.SHA256, hashed, sigPSS) },
			"PSS/invalid":       func() error { return k.pub.VerifyPSS(crypto.SHA256, hashed, badPSS) },
			"PSS/too big":       func() error { return k.pub.VerifyPSS(crypto.SHA256, hashed, tooBig) },
			"PSS/SHA-512":       func() error { return k.pub.VerifyPSS(crypto.SHA512, make([]byte, 64), sigPSS) },
			"PSS/short digest":  func() error { return k.pub.VerifyPSS(crypto.SHA256, hashed[1:], sigPSS) },
			"PKCS1v15/no bytes": func() error { return k.pub.VerifyPKCS1v15(crypto.SHA256, hashed, nil) },
		}
		for rname, run := range runs {
			wantOK := rname == "PKCS1v15/valid" || rname == "PSS/valid"
			err := run()
			require.Equal(t, wantOK, err == nil, "%s %s: %v", name, rname, err)
			allocs := testing.AllocsPerRun(20, func() { _ = run() })
			if k.priv.N.BitLen() <= 2048 {
				assert.Zero(t, allocs, "%s %s", name, rname)
			} else {
				t.Logf("%s %s: %.0f allocs", name, rname, allocs)
			}
		}
	}
}
