// Package rsakey verifies RSA signatures (RSASSA-PKCS1-v1_5 and RSASSA-PSS,
// RFC 8017) with a public key that is prepared once and reused.
//
// crypto/rsa converts the public modulus into Montgomery form on every
// verification. New does that conversion a single time, so that verifying
// many signatures with the same key is faster and, for 2048-bit keys, does not
// allocate. The modular arithmetic is done by filippo.io/bigmod, the module
// version of the standard library's own constant-time implementation.
//
// Only SHA-256, SHA-384 and SHA-512 are supported, matching the RS256/RS384/
// RS512 and PS256/PS384/PS512 algorithms of RFC 7518.
package rsakey

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/bits"

	"filippo.io/bigmod"
)

const (
	// MinBits is the smallest modulus size, in bits, that New accepts.
	MinBits = 2048
	// MaxBits is the largest modulus size, in bits, that New accepts.
	MaxBits = 8192
)

// maxHashSize is the largest digest size of a supported hash (SHA-512).
const maxHashSize = sha512.Size

// ErrVerification is returned, unwrapped, by VerifyPKCS1v15 and VerifyPSS for
// every signature that does not verify, whatever the reason: a wrong
// signature, a signature of the wrong length or out of range, or a digest
// whose length does not match the hash.
var ErrVerification = errors.New("rsakey: verification error")

// ErrKey is the error that New wraps, with detail, when it rejects a public
// key. Test for it with errors.Is.
var ErrKey = errors.New("rsakey: unsupported public key")

// errNoKey is returned when a method is called on a nil or zero PublicKey.
var errNoKey = fmt.Errorf("%w: key was not created by New", ErrKey)

// PublicKey is an RSA public key prepared for repeated signature
// verification. Create one with New; the zero value is not usable. A
// PublicKey is immutable and safe for concurrent use.
type PublicKey struct {
	n      *bigmod.Modulus // modulus with its Montgomery constants
	nBytes []byte          // big-endian modulus, exactly size bytes long
	e      uint            // public exponent, odd, 3 <= e < 2^31
	size   int             // modulus size in bytes
	bits   int             // modulus size in bits
}

// New prepares pub for verification. It copies what it needs, so later
// changes to pub do not affect the returned key.
//
// New rejects, with an error wrapping ErrKey, a nil key or modulus, a modulus
// that is not positive or is even, a modulus shorter than MinBits or longer
// than MaxBits bits, and a public exponent that is smaller than 3, even, or
// larger than 2^31-1.
func New(pub *rsa.PublicKey) (*PublicKey, error) {
	if pub == nil {
		return nil, fmt.Errorf("%w: nil key", ErrKey)
	}
	if pub.N == nil {
		return nil, fmt.Errorf("%w: missing modulus", ErrKey)
	}
	if pub.N.Sign() <= 0 {
		return nil, fmt.Errorf("%w: modulus is not positive", ErrKey)
	}
	nBits := pub.N.BitLen()
	if nBits < MinBits || nBits > MaxBits {
		return nil, fmt.Errorf("%w: %d-bit modulus, want %d to %d bits", ErrKey, nBits, MinBits, MaxBits)
	}
	if pub.N.Bit(0) == 0 {
		return nil, fmt.Errorf("%w: modulus is even", ErrKey)
	}
	if pub.E < 3 {
		return nil, fmt.Errorf("%w: public exponent %d is smaller than 3", ErrKey, pub.E)
	}
	if pub.E&1 == 0 {
		return nil, fmt.Errorf("%w: public exponent %d is even", ErrKey, pub.E)
	}
	if pub.E > 1<<31-1 {
		return nil, fmt.Errorf("%w: public exponent %d is larger than 2^31-1", ErrKey, pub.E)
	}

	nBytes := pub.N.Bytes()
	m, err := bigmod.NewModulus(nBytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrKey, err)
	}
	if m.BitLen() != nBits || m.Size() != len(nBytes) {
		return nil, fmt.Errorf("%w: inconsistent modulus size", ErrKey)
	}
	return &PublicKey{
		n:      m,
		nBytes: nBytes,
		e:      uint(pub.E),
		size:   len(nBytes),
		bits:   nBits,
	}, nil
}

// Size returns the size of the modulus in bytes, which is also the length of
// every valid signature.
func (k *PublicKey) Size() int {
	if k == nil {
		return 0
	}
	return k.size
}

// VerifyPKCS1v15 verifies an RSASSA-PKCS1-v1_5 signature (RFC 8017, Section
// 8.2.2). hashed is the digest of the message computed with h, which must be
// crypto.SHA256, crypto.SHA384 or crypto.SHA512; other hashes return an error
// that is not ErrVerification.
//
// The signature must be exactly Size bytes long. A nil error means the
// signature is valid; any mismatch returns ErrVerification.
//
// Rather than parsing the padding, VerifyPKCS1v15 builds the one encoded
// message a valid signature can have and compares it whole with s^e mod n.
func (k *PublicKey) VerifyPKCS1v15(h crypto.Hash, hashed, sig []byte) error {
	if k == nil || k.n == nil {
		return errNoKey
	}
	prefix := digestInfoPrefix(h)
	if prefix == nil {
		return unsupportedHash(h)
	}
	hLen := hashSize(h)
	if len(hashed) != hLen || len(sig) != k.size {
		return ErrVerification
	}

	// EM = 0x00 || 0x01 || PS || 0x00 || DigestInfo prefix || hashed, where
	// PS is 0xff bytes. With MinBits, PS is always far longer than the 8 bytes
	// RFC 8017 requires. EM starts with a zero byte, so it is below n.
	var buf [MaxBits / 8]byte
	em := buf[:k.size]
	tStart := k.size - len(prefix) - hLen
	em[1] = 0x01
	for i := 2; i < tStart-1; i++ {
		em[i] = 0xff
	}
	copy(em[tStart:], prefix)
	copy(em[tStart+len(prefix):], hashed)

	got := bigmod.NewNat()
	if !k.publicOp(got, sig) {
		return ErrVerification
	}
	want := bigmod.NewNat()
	if _, err := want.SetBytes(em, k.n); err != nil {
		return ErrVerification // unreachable: EM < 2^(8(k-1)) <= n
	}
	if got.Equal(want) != 1 {
		return ErrVerification
	}
	return nil
}

// VerifyPSS verifies an RSASSA-PSS signature (RFC 8017, Section 8.1.2) that
// uses MGF1 with the same hash h and a salt exactly as long as the digest, as
// RFC 7518, Section 3.5 requires for PS256, PS384 and PS512. hashed is the
// digest of the message computed with h, which must be crypto.SHA256,
// crypto.SHA384 or crypto.SHA512; other hashes return an error that is not
// ErrVerification.
//
// The signature must be exactly Size bytes long. A nil error means the
// signature is valid; any mismatch, including a signature made with another
// salt length, returns ErrVerification.
func (k *PublicKey) VerifyPSS(h crypto.Hash, hashed, sig []byte) error {
	if k == nil || k.n == nil {
		return errNoKey
	}
	hLen := hashSize(h)
	if hLen == 0 {
		return unsupportedHash(h)
	}
	if len(hashed) != hLen || len(sig) != k.size {
		return ErrVerification
	}

	m := bigmod.NewNat()
	if !k.publicOp(m, sig) {
		return ErrVerification
	}
	var buf [MaxBits / 8]byte
	em := buf[:k.size]
	natToBytes(em, m.Bits())

	// RFC 8017, Section 8.1.2, step 2c: EM is the emLen-byte encoding of m,
	// with emBits = modBits - 1. When modBits ≡ 1 (mod 8), emLen is one byte
	// shorter than the modulus and the extra leading byte must be zero.
	emBits := k.bits - 1
	emLen := (emBits + 7) / 8
	if emLen < len(em) {
		if em[0] != 0 {
			return ErrVerification
		}
		em = em[len(em)-emLen:]
	}
	if !emsaPSSVerify(h, hLen, hashed, em, emBits) {
		return ErrVerification
	}
	return nil
}

// emsaPSSVerify implements EMSA-PSS-VERIFY (RFC 8017, Section 9.1.2) with
// sLen = hLen. It reports whether em is a consistent encoding of mHash. It
// overwrites em.
func emsaPSSVerify(h crypto.Hash, hLen int, mHash, em []byte, emBits int) bool {
	sLen := hLen
	emLen := len(em)

	// Step 3.
	if emLen < hLen+sLen+2 {
		return false
	}
	// Step 4: the rightmost octet must be 0xbc.
	if em[emLen-1] != 0xbc {
		return false
	}
	// Step 5: maskedDB is the leftmost emLen-hLen-1 octets, H the next hLen.
	db := em[:emLen-hLen-1]
	hh := em[emLen-hLen-1 : emLen-1]
	// Step 6: the leftmost 8*emLen-emBits bits of EM must be zero.
	topMask := byte(0xff) >> uint(8*emLen-emBits)
	if em[0]&^topMask != 0 {
		return false
	}
	// Steps 7 and 8: DB = maskedDB XOR MGF1(H, emLen-hLen-1).
	mgf1XOR(h, hLen, db, hh)
	// Step 9: clear the leftmost 8*emLen-emBits bits of DB.
	db[0] &= topMask
	// Step 10: DB = PS || 0x01 || salt, where PS is all zero.
	psLen := emLen - hLen - sLen - 2
	var nonZero byte
	for _, b := range db[:psLen] {
		nonZero |= b
	}
	if nonZero != 0 || db[psLen] != 0x01 {
		return false
	}
	// Step 11.
	salt := db[len(db)-sLen:]
	// Steps 12 and 13: H' = Hash(0x00 * 8 || mHash || salt).
	var mPrime [8 + 2*maxHashSize]byte
	copy(mPrime[8:], mHash)
	copy(mPrime[8+hLen:], salt)
	var hPrime [maxHashSize]byte
	sum(h, &hPrime, mPrime[:8+hLen+sLen])
	// Step 14.
	return subtle.ConstantTimeCompare(hPrime[:hLen], hh) == 1
}

// publicOp sets out = sig^e mod n. It reports false if sig is not the
// big-endian encoding of an integer below n in exactly Size bytes.
func (k *PublicKey) publicOp(out *bigmod.Nat, sig []byte) bool {
	// RFC 8017, Section 5.2.2: the signature representative must be in
	// [0, n-1]. Checking it here, on public data, keeps rejections cheap.
	if len(sig) != k.size || bytes.Compare(sig, k.nBytes) >= 0 {
		return false
	}
	s := bigmod.NewNat()
	if _, err := s.SetBytes(sig, k.n); err != nil {
		return false
	}
	out.ExpShortVarTime(s, k.e, k.n)
	return true
}

// natToBytes writes the little-endian limbs as a big-endian number filling
// dst. The value must fit in len(dst) bytes; higher bytes are dropped.
func natToBytes(dst []byte, limbs []uint) {
	i := len(dst)
	for _, limb := range limbs {
		for j := 0; j < bits.UintSize/8 && i > 0; j++ {
			i--
			dst[i] = byte(limb)
			limb >>= 8
		}
	}
	clear(dst[:i])
}

// mgf1XOR XORs out with MGF1(seed, len(out)) (RFC 8017, Appendix B.2.1) built
// on h, whose digest size is hLen.
func mgf1XOR(h crypto.Hash, hLen int, out, seed []byte) {
	var in [maxHashSize + 4]byte
	n := copy(in[:], seed)
	var digest [maxHashSize]byte
	var counter uint32
	for done := 0; done < len(out); counter++ {
		in[n] = byte(counter >> 24)
		in[n+1] = byte(counter >> 16)
		in[n+2] = byte(counter >> 8)
		in[n+3] = byte(counter)
		sum(h, &digest, in[:n+4])
		done += subtle.XORBytes(out[done:], out[done:], digest[:hLen])
	}
}

// sum writes the digest of data under h, which must be supported, to the
// start of out.
func sum(h crypto.Hash, out *[maxHashSize]byte, data []byte) {
	switch h {
	case crypto.SHA256:
		d := sha256.Sum256(data)
		copy(out[:], d[:])
	case crypto.SHA384:
		d := sha512.Sum384(data)
		copy(out[:], d[:])
	case crypto.SHA512:
		*out = sha512.Sum512(data)
	}
}

// hashSize returns the digest size of h, or 0 if h is not supported.
func hashSize(h crypto.Hash) int {
	switch h {
	case crypto.SHA256:
		return sha256.Size
	case crypto.SHA384:
		return sha512.Size384
	case crypto.SHA512:
		return sha512.Size
	}
	return 0
}

// DER encodings of DigestInfo up to the digest (RFC 8017, Section 9.2, note
// 1): SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING of the digest length }.
var (
	prefixSHA256 = []byte{0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20}
	prefixSHA384 = []byte{0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30}
	prefixSHA512 = []byte{0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40}
)

// digestInfoPrefix returns the DigestInfo prefix for h, or nil if h is not
// supported.
func digestInfoPrefix(h crypto.Hash) []byte {
	switch h {
	case crypto.SHA256:
		return prefixSHA256
	case crypto.SHA384:
		return prefixSHA384
	case crypto.SHA512:
		return prefixSHA512
	}
	return nil
}

// unsupportedHash returns the error for a hash other than SHA-256, SHA-384 or
// SHA-512.
func unsupportedHash(h crypto.Hash) error {
	return fmt.Errorf("rsakey: unsupported hash function %v", h)
}
