package jwtguardtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/golang-jwt/jwt/v5"
)

// rsaBits is the modulus size of every generated RSA key.
const rsaBits = 2048

// family groups algorithms by the kind of key they sign with.
type family int

const (
	familyRSA  family = iota // RS* and PS*: an RSA key pair.
	familyEC                 // ES*: an ECDSA key pair on the alg's curve.
	familyOKP                // EdDSA: an Ed25519 key pair.
	familyHMAC               // HS*: a random shared secret.
)

// algSpec describes one supported JWS algorithm.
type algSpec struct {
	method jwt.SigningMethod
	family family
	curve  elliptic.Curve // familyEC only
	crv    string         // the JWK "crv" for familyEC and familyOKP
	size   int            // HMAC secret length in bytes (the hash size)
}

// algs lists every algorithm an Issuer can sign with.
var algs = map[string]algSpec{
	"RS256": {method: jwt.SigningMethodRS256, family: familyRSA},
	"RS384": {method: jwt.SigningMethodRS384, family: familyRSA},
	"RS512": {method: jwt.SigningMethodRS512, family: familyRSA},
	"PS256": {method: jwt.SigningMethodPS256, family: familyRSA},
	"PS384": {method: jwt.SigningMethodPS384, family: familyRSA},
	"PS512": {method: jwt.SigningMethodPS512, family: familyRSA},
	"ES256": {method: jwt.SigningMethodES256, family: familyEC, curve: elliptic.P256(), crv: "P-256"},
	"ES384": {method: jwt.SigningMethodES384, family: familyEC, curve: elliptic.P384(), crv: "P-384"},
	"ES512": {method: jwt.SigningMethodES512, family: familyEC, curve: elliptic.P521(), crv: "P-521"},
	"EdDSA": {method: jwt.SigningMethodEdDSA, family: familyOKP, crv: "Ed25519"},
	"HS256": {method: jwt.SigningMethodHS256, family: familyHMAC, size: 32},
	"HS384": {method: jwt.SigningMethodHS384, family: familyHMAC, size: 48},
	"HS512": {method: jwt.SigningMethodHS512, family: familyHMAC, size: 64},
}

// key is one signing key of an Issuer.
type key struct {
	kid  string
	alg  string
	seq  int // 1 for an alg's first key, 2 after the first Rotate, and so on
	spec algSpec

	signer any              // what jwt.SigningMethod.Sign takes
	public crypto.PublicKey // for HMAC: the secret as []byte
	jwk    []byte           // the JSON of the public JWK; nil for HMAC keys
}

// jwk is the public JSON Web Key of an asymmetric key. The field order is
// the order in which members are written.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n,omitempty"`
	E   string `json:"e,omitempty"`
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// kidFor returns the key ID of the seq-th key of alg, for example "rs256-2".
func kidFor(alg string, seq int) string {
	return fmt.Sprintf("%s-%d", strings.ToLower(alg), seq)
}

// newKey generates a fresh key for alg. alg must be a key of algs.
func newKey(alg string, seq int) (*key, error) {
	spec := algs[alg]
	k := &key{kid: kidFor(alg, seq), alg: alg, seq: seq, spec: spec}
	pub := jwk{Kid: k.kid, Use: "sig", Alg: alg}
	b64 := base64.RawURLEncoding.EncodeToString

	switch spec.family {
	case familyRSA:
		priv, err := rsa.GenerateKey(rand.Reader, rsaBits)
		if err != nil {
			return nil, fmt.Errorf("jwtguardtest: generating %s key: %w", alg, err)
		}
		k.signer, k.public = priv, &priv.PublicKey
		pub.Kty = "RSA"
		pub.N = b64(priv.N.Bytes())
		pub.E = b64(big.NewInt(int64(priv.E)).Bytes())
	case familyEC:
		priv, err := ecdsa.GenerateKey(spec.curve, rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("jwtguardtest: generating %s key: %w", alg, err)
		}
		point, err := priv.PublicKey.Bytes() // 0x04 || X || Y, each padded to the field size
		if err != nil {
			return nil, fmt.Errorf("jwtguardtest: encoding %s key: %w", alg, err)
		}
		size := (len(point) - 1) / 2
		k.signer, k.public = priv, &priv.PublicKey
		pub.Kty, pub.Crv = "EC", spec.crv
		pub.X = b64(point[1 : 1+size])
		pub.Y = b64(point[1+size:])
	case familyOKP:
		edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("jwtguardtest: generating %s key: %w", alg, err)
		}
		k.signer, k.public = edPriv, edPub
		pub.Kty, pub.Crv = "OKP", spec.crv
		pub.X = b64(edPub)
	case familyHMAC:
		secret := make([]byte, spec.size)
		if _, err := rand.Read(secret); err != nil {
			return nil, fmt.Errorf("jwtguardtest: generating %s secret: %w", alg, err)
		}
		k.signer, k.public = secret, secret
		return k, nil // shared secrets are never published
	}

	raw, err := json.Marshal(pub)
	if err != nil {
		return nil, fmt.Errorf("jwtguardtest: encoding %s JWK: %w", alg, err)
	}
	k.jwk = raw
	return k, nil
}
