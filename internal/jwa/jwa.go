// Package jwa names the JWS algorithms jwtguard supports (RFC 7518, RFC 8037) and what each
// needs: its hash and the kind of key that may verify it.
package jwa

import "crypto"

// Alg is a supported JWS "alg" value. The zero Alg is not an algorithm: "none", unknown and
// unsupported names all map to it.
type Alg uint8

// The supported algorithms.
const (
	Invalid Alg = iota
	RS256
	RS384
	RS512
	PS256
	PS384
	PS512
	ES256
	ES384
	ES512
	EdDSA
	HS256
	HS384
	HS512
	count
)

// Family is the kind of key an algorithm needs.
type Family uint8

// The key families.
const (
	FamilyNone  Family = iota
	FamilyRSA          // RSASSA-PKCS1-v1_5
	FamilyPSS          // RSASSA-PSS
	FamilyECDSA        // ECDSA on the curve the algorithm names
	FamilyEdDSA        // Ed25519
	FamilyHMAC         // a shared secret
)

type info struct {
	name   string
	family Family
	hash   crypto.Hash
}

var table = [count]info{
	RS256: {"RS256", FamilyRSA, crypto.SHA256},
	RS384: {"RS384", FamilyRSA, crypto.SHA384},
	RS512: {"RS512", FamilyRSA, crypto.SHA512},
	PS256: {"PS256", FamilyPSS, crypto.SHA256},
	PS384: {"PS384", FamilyPSS, crypto.SHA384},
	PS512: {"PS512", FamilyPSS, crypto.SHA512},
	ES256: {"ES256", FamilyECDSA, crypto.SHA256},
	ES384: {"ES384", FamilyECDSA, crypto.SHA384},
	ES512: {"ES512", FamilyECDSA, crypto.SHA512},
	EdDSA: {"EdDSA", FamilyEdDSA, 0},
	HS256: {"HS256", FamilyHMAC, crypto.SHA256},
	HS384: {"HS384", FamilyHMAC, crypto.SHA384},
	HS512: {"HS512", FamilyHMAC, crypto.SHA512},
}

// Parse returns the Alg named s, or Invalid. The comparison is exact and case-sensitive, as
// RFC 7515 §4.1.1 requires.
func Parse(s string) Alg {
	switch s { // a switch compiles to a search on length and value, not 13 comparisons
	case "RS256":
		return RS256
	case "RS384":
		return RS384
	case "RS512":
		return RS512
	case "PS256":
		return PS256
	case "PS384":
		return PS384
	case "PS512":
		return PS512
	case "ES256":
		return ES256
	case "ES384":
		return ES384
	case "ES512":
		return ES512
	case "EdDSA":
		return EdDSA
	case "HS256":
		return HS256
	case "HS384":
		return HS384
	case "HS512":
		return HS512
	}
	return Invalid
}

// ParseBytes is Parse for a byte slice; it does not allocate.
func ParseBytes(b []byte) Alg { return Parse(string(b)) }

// String returns the algorithm's JWS name, or "" for Invalid.
func (a Alg) String() string {
	if a >= count {
		return ""
	}
	return table[a].name
}

// Family returns the kind of key the algorithm needs.
func (a Alg) Family() Family {
	if a >= count {
		return FamilyNone
	}
	return table[a].family
}

// Hash returns the hash the algorithm signs with; EdDSA and Invalid have none.
func (a Alg) Hash() crypto.Hash {
	if a >= count {
		return 0
	}
	return table[a].hash
}

// All returns every supported algorithm in a fixed order.
func All() []Alg {
	all := make([]Alg, 0, count-1)
	for a := RS256; a < count; a++ {
		all = append(all, a)
	}
	return all
}
