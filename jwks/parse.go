package jwks

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// jwk holds the members of RFC 7517 §4 and RFC 7518 §6 that matter for verification.
type jwk struct {
	Kty    string   `json:"kty"`
	Kid    string   `json:"kid"`
	Use    string   `json:"use"`
	KeyOps []string `json:"key_ops"`
	Alg    string   `json:"alg"`
	N      string   `json:"n"`
	E      string   `json:"e"`
	Crv    string   `json:"crv"`
	X      string   `json:"x"`
	Y      string   `json:"y"`
	D      string   `json:"d"`
	K      string   `json:"k"`
}

// ParseKey parses one JWK (RFC 7517) holding an RSA, EC (P-256, P-384, P-521) or OKP (Ed25519)
// public key. It rejects private keys, symmetric ("oct") keys, keys whose "use" is not "sig",
// keys whose "key_ops" lack "verify", and anything NewKey rejects.
func ParseKey(data []byte) (*Key, error) {
	var j jwk
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	return j.key()
}

// ParseSet parses a JWK Set ({"keys": [...]}). Keys that cannot be used are skipped, as RFC
// 7517 §5 asks, and reported by the set's Skipped method; a set with no usable key is an
// error wrapping ErrUnsupportedKey.
func ParseSet(data []byte) (*Set, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: JWK Set: %v", ErrUnsupportedKey, err)
	}
	if doc.Keys == nil {
		return nil, fmt.Errorf("%w: JWK Set has no \"keys\" member", ErrUnsupportedKey)
	}
	var keys []*Key
	var skipped []error
	for i, raw := range doc.Keys {
		k, err := ParseKey(raw)
		if err != nil {
			skipped = append(skipped, fmt.Errorf("key %d: %w", i, err))
			continue
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: JWK Set has no usable key (%d skipped): %w", ErrUnsupportedKey, len(skipped), errors.Join(skipped...))
	}
	s, err := NewSet(keys...)
	if err != nil {
		return nil, err
	}
	s.skipped = skipped
	return s, nil
}

func (j *jwk) key() (*Key, error) {
	if j.D != "" {
		return nil, fmt.Errorf("%w: kid %q is a private key", ErrUnsupportedKey, j.Kid)
	}
	if j.Use != "" && j.Use != "sig" {
		return nil, fmt.Errorf("%w: kid %q has use %q", ErrUnsupportedKey, j.Kid, j.Use)
	}
	if j.KeyOps != nil && !slices.Contains(j.KeyOps, "verify") {
		return nil, fmt.Errorf("%w: kid %q key_ops lack \"verify\"", ErrUnsupportedKey, j.Kid)
	}
	var pub any
	switch j.Kty {
	case "RSA":
		n, err := field(j.N, "n")
		if err != nil {
			return nil, err
		}
		e, err := field(j.E, "e")
		if err != nil {
			return nil, err
		}
		if len(e) > 4 || len(e) == 0 || e[0] == 0 {
			return nil, fmt.Errorf("%w: kid %q has RSA exponent of %d bytes", ErrUnsupportedKey, j.Kid, len(e))
		}
		ev := 0
		for _, b := range e {
			ev = ev<<8 | int(b)
		}
		pub = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: ev}
	case "EC":
		var curve elliptic.Curve
		switch j.Crv {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, fmt.Errorf("%w: kid %q has curve %q", ErrUnsupportedKey, j.Kid, j.Crv)
		}
		size := (curve.Params().BitSize + 7) / 8
		x, err := field(j.X, "x")
		if err != nil {
			return nil, err
		}
		y, err := field(j.Y, "y")
		if err != nil {
			return nil, err
		}
		if len(x) != size || len(y) != size { // RFC 7518 §6.2.1.2: the full coordinate
			return nil, fmt.Errorf("%w: kid %q coordinates are not %d bytes", ErrUnsupportedKey, j.Kid, size)
		}
		point := append(append([]byte{4}, x...), y...) // SEC 1 uncompressed form
		p, err := ecdsa.ParseUncompressedPublicKey(curve, point)
		if err != nil { // not on the curve
			return nil, fmt.Errorf("%w: kid %q: %v", ErrUnsupportedKey, j.Kid, err)
		}
		pub = p
	case "OKP":
		if j.Crv != "Ed25519" {
			return nil, fmt.Errorf("%w: kid %q has OKP curve %q", ErrUnsupportedKey, j.Kid, j.Crv)
		}
		x, err := field(j.X, "x")
		if err != nil {
			return nil, err
		}
		pub = ed25519.PublicKey(x)
	case "oct":
		return nil, fmt.Errorf("%w: kid %q is a symmetric key; secrets are never taken from a JWK Set", ErrUnsupportedKey, j.Kid)
	default:
		return nil, fmt.Errorf("%w: kid %q has kty %q", ErrUnsupportedKey, j.Kid, j.Kty)
	}
	k, err := NewKey(j.Kid, j.Alg, pub)
	if err != nil {
		return nil, fmt.Errorf("kid %q: %w", j.Kid, err)
	}
	return k, nil
}

// field decodes a base64url member strictly: no padding, no line breaks, canonical bits.
func field(s, name string) ([]byte, error) {
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("%w: missing or malformed %q", ErrUnsupportedKey, name)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%w: malformed %q", ErrUnsupportedKey, name)
	}
	return b, nil
}

// ParsePublicKeyPEM parses the first PEM block of data, a "PUBLIC KEY" (PKIX), "RSA PUBLIC
// KEY" (PKCS #1) or "CERTIFICATE" (its subject key; the certificate is not otherwise
// checked), and returns it as a key with the given kid and algorithm binding (either may be
// empty).
func ParsePublicKeyPEM(data []byte, kid, alg string) (*Key, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("%w: no PEM block", ErrUnsupportedKey)
	}
	var pub any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			pub = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("%w: PEM block %q", ErrUnsupportedKey, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedKey, err)
	}
	return NewKey(kid, alg, pub)
}
