package rsakey

import (
	"crypto"
	"crypto/rsa"
	_ "crypto/sha1" // for the MGF1-SHA1 negative case
	_ "crypto/sha256"
	_ "crypto/sha512"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// Test keys in testdata, generated once with crypto/rand and committed so the
// tests are deterministic and do not spend seconds generating 4096-bit keys.
const (
	key2048   = "rsa2048.pem"    // e = 65537
	key3072   = "rsa3072.pem"    // e = 65537
	key4096   = "rsa4096.pem"    // e = 65537
	key2048e3 = "rsa2048_e3.pem" // e = 3
	key2049   = "rsa2049.pem"    // e = 65537; modBits ≡ 1 (mod 8), so PSS emLen = k-1
)

var allKeys = []string{key2048, key3072, key4096, key2048e3, key2049}

var supportedHashes = []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512}

// testKey is a private key from testdata with its prepared public key and the
// CRT values rawSign needs.
type testKey struct {
	name string
	priv *rsa.PrivateKey
	pub  *PublicKey
	p, q *big.Int
	dp   *big.Int // d mod p-1
	dq   *big.Int // d mod q-1
	qinv *big.Int // q^-1 mod p
}

var (
	keysMu sync.Mutex
	keys   = map[string]*testKey{}
)

// loadKey parses testdata/name once and caches it.
func loadKey(tb testing.TB, name string) *testKey {
	tb.Helper()
	keysMu.Lock()
	defer keysMu.Unlock()
	if k, ok := keys[name]; ok {
		return k
	}
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(tb, err)
	block, _ := pem.Decode(data)
	require.NotNil(tb, block, "no PEM block in %s", name)
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	require.NoError(tb, err)
	priv, ok := parsed.(*rsa.PrivateKey)
	require.True(tb, ok, "%s is not an RSA key", name)
	require.NoError(tb, priv.Validate())
	require.Len(tb, priv.Primes, 2, name)

	pub, err := New(&priv.PublicKey)
	require.NoError(tb, err)

	one := big.NewInt(1)
	p, q := priv.Primes[0], priv.Primes[1]
	k := &testKey{
		name: name,
		priv: priv,
		pub:  pub,
		p:    p,
		q:    q,
		dp:   new(big.Int).Mod(priv.D, new(big.Int).Sub(p, one)),
		dq:   new(big.Int).Mod(priv.D, new(big.Int).Sub(q, one)),
		qinv: new(big.Int).ModInverse(q, p),
	}
	keys[name] = k
	return k
}

// rawSign applies the raw RSA private-key operation to em (read as a
// big-endian integer and reduced mod n) and returns the result in exactly
// k.pub.Size() bytes. It lets tests sign arbitrary, even malformed, encoded
// messages.
func (k *testKey) rawSign(em []byte) []byte {
	n := k.priv.N
	c := new(big.Int).SetBytes(em)
	c.Mod(c, n)
	m1 := new(big.Int).Exp(c, k.dp, k.p)
	m2 := new(big.Int).Exp(c, k.dq, k.q)
	h := new(big.Int).Sub(m1, m2)
	h.Mul(h, k.qinv)
	h.Mod(h, k.p)
	h.Mul(h, k.q)
	h.Add(h, m2)
	return h.FillBytes(make([]byte, k.pub.Size()))
}

// digestInfo returns the DER DigestInfo for digest under h, built with
// encoding/asn1 independently of the package's precomputed prefixes.
func digestInfo(tb testing.TB, h crypto.Hash, digest []byte) []byte {
	tb.Helper()
	oids := map[crypto.Hash]asn1.ObjectIdentifier{
		crypto.SHA256: {2, 16, 840, 1, 101, 3, 4, 2, 1},
		crypto.SHA384: {2, 16, 840, 1, 101, 3, 4, 2, 2},
		crypto.SHA512: {2, 16, 840, 1, 101, 3, 4, 2, 3},
	}
	der, err := asn1.Marshal(struct {
		Algorithm pkix.AlgorithmIdentifier
		Digest    []byte
	}{
		Algorithm: pkix.AlgorithmIdentifier{Algorithm: oids[h], Parameters: asn1.NullRawValue},
		Digest:    digest,
	})
	require.NoError(tb, err)
	return der
}

// pkcs1EM returns 0x00 || 0x01 || 0xff... || 0x00 || t in size bytes.
func pkcs1EM(size int, t []byte) []byte {
	em := make([]byte, size)
	em[1] = 0x01
	for i := 2; i < size-len(t)-1; i++ {
		em[i] = 0xff
	}
	copy(em[size-len(t):], t)
	return em
}

// pssParams controls pssEncode; the zero value (with h set) produces a valid
// encoding and each field breaks it in one way.
type pssParams struct {
	h         crypto.Hash
	mgfHash   crypto.Hash // 0 means h
	trailer   byte        // 0 means 0xbc
	separator byte        // 0 means 0x01
	psXor     byte        // XORed into the first byte of PS before masking
	topBits   bool        // set the bits that must be zero in EM
}

// mgf1 returns MGF1(seed, n) with hash h (RFC 8017, Appendix B.2.1), written
// with hash.Hash independently of the package's version.
func mgf1(h crypto.Hash, seed []byte, n int) []byte {
	var out []byte
	for c := uint32(0); len(out) < n; c++ {
		d := h.New()
		d.Write(seed)
		d.Write([]byte{byte(c >> 24), byte(c >> 16), byte(c >> 8), byte(c)})
		out = d.Sum(out)
	}
	return out[:n]
}

// pssEncode implements EMSA-PSS-ENCODE (RFC 8017, Section 9.1.1) for a
// modulus of modBits bits and returns EM left-padded to size bytes.
func pssEncode(p pssParams, mHash, salt []byte, modBits, size int) []byte {
	h := p.h
	mgfHash := p.mgfHash
	if mgfHash == 0 {
		mgfHash = h
	}
	hLen := h.Size()
	emBits := modBits - 1
	emLen := (emBits + 7) / 8

	d := h.New()
	d.Write(make([]byte, 8))
	d.Write(mHash)
	d.Write(salt)
	hh := d.Sum(nil)

	db := make([]byte, emLen-hLen-1)
	psLen := len(db) - len(salt) - 1
	db[0] ^= p.psXor
	db[psLen] = 0x01
	if p.separator != 0 {
		db[psLen] = p.separator
	}
	copy(db[psLen+1:], salt)
	mask := mgf1(mgfHash, hh, len(db))
	for i := range db {
		db[i] ^= mask[i]
	}
	topMask := byte(0xff) >> uint(8*emLen-emBits)
	db[0] &= topMask
	if p.topBits {
		db[0] |= ^topMask // no effect when emBits is a multiple of 8
	}

	em := make([]byte, size)
	off := size - emLen
	copy(em[off:], db)
	copy(em[off+len(db):], hh)
	em[size-1] = 0xbc
	if p.trailer != 0 {
		em[size-1] = p.trailer
	}
	if p.topBits && off > 0 {
		em[0] = 0x01 // the byte above EM must be zero
	}
	return em
}

// verdicts runs both implementations on the same input.
func pkcs1Verdicts(k *testKey, h crypto.Hash, hashed, sig []byte) (ours, std error) {
	return k.pub.VerifyPKCS1v15(h, hashed, sig), rsa.VerifyPKCS1v15(&k.priv.PublicKey, h, hashed, sig)
}

func pssVerdicts(k *testKey, h crypto.Hash, hashed, sig []byte) (ours, std error) {
	opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}
	return k.pub.VerifyPSS(h, hashed, sig), rsa.VerifyPSS(&k.priv.PublicKey, h, hashed, sig, opts)
}

// checkVerdicts asserts that both implementations agree, that ours returns
// exactly nil or ErrVerification, and (if want is not nil) the verdict.
func checkVerdicts(t testing.TB, ours, std error, want *bool, context ...any) {
	t.Helper()
	ctx := fmt.Sprint(context...)
	if ours != nil {
		require.Same(t, ErrVerification, ours, "rsakey must return exactly ErrVerification: %s", ctx)
	}
	require.Equal(t, std == nil, ours == nil, "verdicts differ: rsakey=%v stdlib=%v: %s", ours, std, ctx)
	if want != nil {
		require.Equal(t, *want, ours == nil, "valid: rsakey=%v stdlib=%v: %s", ours, std, ctx)
	}
}

var (
	valid   = func() *bool { b := true; return &b }()
	invalid = func() *bool { b := false; return &b }()
)
