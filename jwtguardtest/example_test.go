package jwtguardtest_test

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"math/big"
	"net/http"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// This example starts an issuer, mints an access token and verifies it the
// way a resource server does: it finds the JWK Set through the OIDC discovery
// document, fetches it, and checks the token with the key the token's "kid"
// names.
func Example() {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{}) // one RS256 key
	if err != nil {
		log.Fatal(err)
	}
	defer iss.Close()

	token := iss.Sign(map[string]any{"scope": "read:messages"})

	var discovery struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(iss.Client(), iss.URL()+".well-known/openid-configuration", &discovery)
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			N   string `json:"n"`
			E   string `json:"e"`
		} `json:"keys"`
	}
	getJSON(iss.Client(), discovery.JWKSURI, &set)

	keyfunc := func(t *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k.Kid == t.Header["kid"] {
				n, err := base64.RawURLEncoding.DecodeString(k.N)
				if err != nil {
					return nil, err
				}
				e, err := base64.RawURLEncoding.DecodeString(k.E)
				if err != nil {
					return nil, err
				}
				return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}, nil
			}
		}
		return nil, errors.New("unknown kid")
	}
	parsed, err := jwt.Parse(token, keyfunc,
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(discovery.Issuer),
		jwt.WithAudience(iss.Audience()),
	)
	if err != nil {
		log.Fatal(err)
	}
	claims := parsed.Claims.(jwt.MapClaims)
	fmt.Println("kid:", parsed.Header["kid"])
	fmt.Println("aud:", claims["aud"])
	fmt.Println("sub:", claims["sub"])
	fmt.Println("scope:", claims["scope"])
	fmt.Println("issuer ends with /:", strings.HasSuffix(discovery.Issuer, "/"))
	// Output:
	// kid: rs256-1
	// aud: https://api.example.com
	// sub: auth0|jwtguardtest
	// scope: read:messages
	// issuer ends with /: true
}

// getJSON fetches url and decodes its JSON body into v.
func getJSON(client *http.Client, url string, v any) {
	resp, err := client.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		log.Fatal(err)
	}
}

// SignWith edits the header and claims, for example to mint the tokens a
// verifier must reject.
func ExampleIssuer_SignWith() {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{Algorithms: []string{"EdDSA"}})
	if err != nil {
		log.Fatal(err)
	}
	defer iss.Close()

	token := iss.SignWith("EdDSA",
		map[string]any{"typ": "at+jwt", "kid": nil},  // RFC 9068 type, no key ID
		map[string]any{"exp": nil, "scope": "admin"}, // no expiry
	)
	for _, segment := range strings.Split(token, ".")[:2] {
		raw, err := base64.RawURLEncoding.DecodeString(segment)
		if err != nil {
			log.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			log.Fatal(err)
		}
		delete(m, "iss") // the issuer URL has a random port
		delete(m, "iat") // and the time varies
		out, _ := json.Marshal(m)
		fmt.Println(string(out))
	}
	// Output:
	// {"alg":"EdDSA","typ":"at+jwt"}
	// {"aud":"https://api.example.com","scope":"admin","sub":"auth0|jwtguardtest"}
}
