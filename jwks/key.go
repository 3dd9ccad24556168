package jwks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"errors"
	"fmt"
	"hash"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/jwtguard/jwtguard/internal/jwa"
	"github.com/jwtguard/jwtguard/internal/rsakey"
)

// Errors returned by key construction, lookup and verification. They are compared with
// errors.Is; the text is not part of the API.
var (
	// ErrUnknownKey means no key in the set has the token's "kid" (or, for a token without a
	// "kid", that the set has no single key that fits its algorithm).
	ErrUnknownKey = errors.New("jwks: unknown key")
	// ErrKeyMismatch means the key named by "kid" cannot verify the token's algorithm: its
	// type, curve, size, "alg" or "use" does not fit.
	ErrKeyMismatch = errors.New("jwks: key does not fit the algorithm")
	// ErrSignature means the signature does not verify.
	ErrSignature = errors.New("jwks: invalid signature")
	// ErrUnsupportedAlgorithm means the algorithm is not one jwtguard verifies.
	ErrUnsupportedAlgorithm = errors.New("jwks: unsupported algorithm")
	// ErrUnsupportedKey means a key is malformed, too weak, or of a kind jwtguard does not use.
	ErrUnsupportedKey = errors.New("jwks: unsupported key")
	// ErrUnavailable means no usable key set could be had: it was never fetched, or it is
	// older than the cache allows.
	ErrUnavailable = errors.New("jwks: keys unavailable")
)

// RSA modulus sizes accepted, in bits. Smaller keys are rejected (RFC 7518 §3.3 requires
// 2048); larger ones are refused to bound the work an attacker-supplied set can cause.
const (
	MinRSABits = rsakey.MinBits
	MaxRSABits = rsakey.MaxBits
)

// A Key is one verification key: an RSA, ECDSA (P-256, P-384, P-521) or Ed25519 public key,
// or an HMAC secret. It is immutable and safe for concurrent use.
//
// A key may be bound to one algorithm (the JWK "alg"); a bound key verifies only that
// algorithm. Secrets are always bound, and are never read from a JWK Set: a published key can
// never serve as an HMAC secret.
type Key struct {
	id      string
	alg     jwa.Alg // jwa.Invalid when the key is not bound to one algorithm
	pub     crypto.PublicKey
	rsaKey  *rsa.PublicKey
	rsaPrep *rsakey.PublicKey // rsaKey prepared once (Montgomery form) for fast verification
	ecKey   *ecdsa.PublicKey
	edKey   ed25519.PublicKey
	secret  []byte
	macs    *sync.Pool // of *macState, for secrets
	revoked atomic.Bool
}

type macState struct {
	h   hash.Hash
	sum [sha512.Size]byte
}

// NewKey returns a key for the public key pub, which must be an *rsa.PublicKey (2048 to 8192
// bits, odd exponent ≥ 3), an *ecdsa.PublicKey on P-256, P-384 or P-521 (its point is checked
// to be on the curve), or an ed25519.PublicKey. kid may be empty; alg, if not empty, binds the
// key to that algorithm and must fit the key.
func NewKey(kid, alg string, pub crypto.PublicKey) (*Key, error) {
	k := &Key{id: kid}
	switch p := pub.(type) {
	case *rsa.PublicKey:
		prep, err := rsakey.New(p)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrUnsupportedKey, err)
		}
		k.rsaKey, k.rsaPrep, k.pub = p, prep, p
	case *ecdsa.PublicKey:
		if p == nil || curveAlg(p.Curve) == jwa.Invalid {
			return nil, fmt.Errorf("%w: ECDSA key is not on P-256, P-384 or P-521", ErrUnsupportedKey)
		}
		if _, err := p.ECDH(); err != nil { // rejects points not on the curve
			return nil, fmt.Errorf("%w: invalid ECDSA public key: %v", ErrUnsupportedKey, err)
		}
		k.ecKey, k.pub = p, p
	case ed25519.PublicKey:
		if len(p) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: Ed25519 key is %d bytes", ErrUnsupportedKey, len(p))
		}
		k.edKey = append(ed25519.PublicKey(nil), p...)
		k.pub = k.edKey
	default:
		return nil, fmt.Errorf("%w: %T", ErrUnsupportedKey, pub)
	}
	if alg != "" {
		a := jwa.Parse(alg)
		if a == jwa.Invalid {
			return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, alg)
		}
		if err := k.fits(a); err != nil {
			return nil, err
		}
		k.alg = a
	}
	return k, nil
}

// NewSecretKey returns an HMAC key bound to alg (HS256, HS384 or HS512). The secret must be at
// least as long as the hash output (RFC 7518 §3.2); it is copied.
func NewSecretKey(kid, alg string, secret []byte) (*Key, error) {
	a := jwa.Parse(alg)
	if a.Family() != jwa.FamilyHMAC {
		return nil, fmt.Errorf("%w: secret keys need HS256, HS384 or HS512, not %q", ErrUnsupportedAlgorithm, alg)
	}
	if len(secret) < a.Hash().Size() {
		return nil, fmt.Errorf("%w: %s secret is %d bytes, at least %d required", ErrUnsupportedKey, alg, len(secret), a.Hash().Size())
	}
	s := append([]byte(nil), secret...)
	newHash := a.Hash().New
	return &Key{
		id:     kid,
		alg:    a,
		secret: s,
		macs:   &sync.Pool{New: func() any { return &macState{h: hmac.New(newHash, s)} }},
	}, nil
}

func curveAlg(c elliptic.Curve) jwa.Alg {
	switch c {
	case elliptic.P256():
		return jwa.ES256
	case elliptic.P384():
		return jwa.ES384
	case elliptic.P521():
		return jwa.ES512
	}
	return jwa.Invalid
}

// ID returns the key's "kid", which may be empty.
func (k *Key) ID() string { return k.id }

// Algorithm returns the algorithm the key is bound to, or "" if it may verify any algorithm
// that fits its type.
func (k *Key) Algorithm() string { return k.alg.String() }

// Public returns the public key: an *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey. It
// returns nil for a secret key. The caller must not modify it.
func (k *Key) Public() crypto.PublicKey { return k.pub }

// Revoked reports whether the key has left the set it came from: a refresh of a *Cache no
// longer published it. A revoked key still verifies signatures; callers that keep results
// derived from a key check Revoked to drop them.
func (k *Key) Revoked() bool { return k.revoked.Load() }

func (k *Key) revoke() { k.revoked.Store(true) }

// Fits reports whether the key may verify tokens signed with alg: the algorithm is supported,
// the key's type, curve and size fit it, and the key is not bound to another algorithm.
func (k *Key) Fits(alg string) bool { return k.fits(jwa.Parse(alg)) == nil }

func (k *Key) fits(a jwa.Alg) error {
	if a == jwa.Invalid {
		return ErrUnsupportedAlgorithm
	}
	if k.alg != jwa.Invalid && k.alg != a {
		return ErrKeyMismatch
	}
	var ok bool
	switch a.Family() {
	case jwa.FamilyRSA, jwa.FamilyPSS:
		ok = k.rsaKey != nil
	case jwa.FamilyECDSA:
		ok = k.ecKey != nil && curveAlg(k.ecKey.Curve) == a
	case jwa.FamilyEdDSA:
		ok = k.edKey != nil
	case jwa.FamilyHMAC:
		ok = k.secret != nil // secrets are always bound, so k.alg == a here
	}
	if !ok {
		return ErrKeyMismatch
	}
	return nil
}

// Equal reports whether k and o have the same ID, algorithm binding and key material.
func (k *Key) Equal(o *Key) bool {
	if k == o {
		return true
	}
	if k == nil || o == nil || k.id != o.id || k.alg != o.alg {
		return false
	}
	switch {
	case k.rsaKey != nil:
		return o.rsaKey != nil && k.rsaKey.Equal(o.rsaKey)
	case k.ecKey != nil:
		return o.ecKey != nil && k.ecKey.Equal(o.ecKey)
	case k.edKey != nil:
		return o.edKey != nil && k.edKey.Equal(o.edKey)
	default:
		return o.secret != nil && subtle.ConstantTimeCompare(k.secret, o.secret) == 1
	}
}

// Verify checks that sig is a valid signature of signingInput (the JWS "header.payload") made
// with alg and this key. For ECDSA the signature is the fixed-size R||S of RFC 7518 §3.4 (DER
// is rejected). It returns ErrUnsupportedAlgorithm, ErrKeyMismatch or ErrSignature. It is safe
// for concurrent use and does not allocate for EdDSA and HMAC.
func (k *Key) Verify(alg, signingInput string, sig []byte) error {
	return k.verify(jwa.Parse(alg), signingInput, sig)
}

func (k *Key) verify(a jwa.Alg, signingInput string, sig []byte) error {
	if err := k.fits(a); err != nil {
		return err
	}
	msg := unsafe.Slice(unsafe.StringData(signingInput), len(signingInput)) // read only
	var ok bool
	switch a.Family() {
	case jwa.FamilyRSA:
		var d digest
		ok = k.rsaPrep.VerifyPKCS1v15(a.Hash(), d.sum(a.Hash(), msg), sig) == nil
	case jwa.FamilyPSS:
		var d digest
		ok = k.rsaPrep.VerifyPSS(a.Hash(), d.sum(a.Hash(), msg), sig) == nil
	case jwa.FamilyECDSA:
		ok = verifyECDSA(k.ecKey, a.Hash(), msg, sig)
	case jwa.FamilyEdDSA:
		ok = len(sig) == ed25519.SignatureSize && ed25519.Verify(k.edKey, msg, sig)
	case jwa.FamilyHMAC:
		ok = k.verifyHMAC(msg, sig)
	}
	if !ok {
		return ErrSignature
	}
	return nil
}

// digest holds a hash output without allocating.
type digest struct{ b [sha512.Size]byte }

func (d *digest) sum(h crypto.Hash, msg []byte) []byte {
	switch h {
	case crypto.SHA256:
		s := sha256.Sum256(msg)
		return append(d.b[:0], s[:]...)
	case crypto.SHA384:
		s := sha512.Sum384(msg)
		return append(d.b[:0], s[:]...)
	default:
		s := sha512.Sum512(msg)
		return append(d.b[:0], s[:]...)
	}
}

func (k *Key) verifyHMAC(msg, sig []byte) bool {
	st := k.macs.Get().(*macState)
	st.h.Reset()
	st.h.Write(msg)
	mac := st.h.Sum(st.sum[:0])
	ok := len(sig) == len(mac) && hmac.Equal(mac, sig)
	k.macs.Put(st)
	return ok
}

// verifyECDSA checks a raw R||S signature (RFC 7518 §3.4): exactly twice the curve's byte
// size, R and S non-zero (CVE-2022-21449), re-encoded as ASN.1 for crypto/ecdsa.
func verifyECDSA(pub *ecdsa.PublicKey, h crypto.Hash, msg, sig []byte) bool {
	size := (pub.Curve.Params().BitSize + 7) / 8
	if len(sig) != 2*size {
		return false
	}
	r, s := sig[:size], sig[size:]
	if isZero(r) || isZero(s) {
		return false
	}
	var d digest
	buf := derPool.Get().(*derBuf)
	defer derPool.Put(buf)
	der := appendSignatureASN1(buf[:0], r, s)
	return ecdsa.VerifyASN1(pub, d.sum(h, msg), der)
}

// derBuf holds an ASN.1 ECDSA signature for P-521 at most. Pooled: crypto/ecdsa keeps the
// signature's memory on the heap, so a stack buffer would be allocated on every call.
type derBuf [2*(66+3) + 3]byte

var derPool = sync.Pool{New: func() any { return new(derBuf) }}

func isZero(b []byte) bool {
	var acc byte
	for _, c := range b {
		acc |= c
	}
	return acc == 0
}

// appendSignatureASN1 appends SEQUENCE { INTEGER r, INTEGER s } in DER.
func appendSignatureASN1(dst, r, s []byte) []byte {
	r, s = trimZeros(r), trimZeros(s)
	rl, sl := intLen(r), intLen(s)
	body := 2 + rl + 2 + sl
	dst = append(dst, 0x30)
	if body >= 0x80 {
		dst = append(dst, 0x81)
	}
	dst = append(dst, byte(body))
	dst = appendInt(dst, r, rl)
	return appendInt(dst, s, sl)
}

func trimZeros(b []byte) []byte {
	for len(b) > 1 && b[0] == 0 {
		b = b[1:]
	}
	return b
}

func intLen(b []byte) int {
	if b[0]&0x80 != 0 {
		return len(b) + 1
	}
	return len(b)
}

func appendInt(dst, b []byte, n int) []byte {
	dst = append(dst, 0x02, byte(n))
	if n > len(b) {
		dst = append(dst, 0)
	}
	return append(dst, b...)
}
