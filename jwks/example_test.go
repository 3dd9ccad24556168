package jwks_test

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/jwtguard/jwtguard/jwks"
)

// issuer serves a JWK Set holding pub under kid "k1", standing in for an issuer's jwks_uri.
func issuer(pub ed25519.PublicKey) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		fmt.Fprintf(w, `{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1","use":"sig","x":%q}]}`,
			base64.RawURLEncoding.EncodeToString(pub))
	}))
}

func ExampleNew() {
	pub, _, _ := ed25519.GenerateKey(nil)
	srv := issuer(pub)
	defer srv.Close()

	// With an OpenID Connect issuer, set Issuer instead: jwks.Options{Issuer: "https://tenant.auth0.com/"}.
	keys, err := jwks.New(context.Background(), jwks.Options{
		URL:    srv.URL + "/.well-known/jwks.json", // plain http is allowed on loopback hosts only
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		fmt.Println(err) // names the URL and the cause; errors.Is(err, jwks.ErrUnavailable)
		return
	}
	defer keys.Close()

	fmt.Println("keys:", keys.Stats().Keys)
	k, err := keys.Key(context.Background(), "k1", "EdDSA")
	fmt.Println(k.ID(), err)
	_, err = keys.Key(context.Background(), "k2", "EdDSA")
	fmt.Println(err)
	// Output:
	// keys: 1
	// k1 <nil>
	// jwks: unknown key
}

func ExampleCache_Keyfunc() {
	pub, priv, _ := ed25519.GenerateKey(nil)
	srv := issuer(pub)
	defer srv.Close()
	keys, err := jwks.New(context.Background(), jwks.Options{URL: srv.URL, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer keys.Close()

	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, jwt.MapClaims{"sub": "user", "exp": time.Now().Add(time.Hour).Unix()})
	tok.Header["kid"] = "k1"
	signed, _ := tok.SignedString(priv)

	parsed, err := jwt.Parse(signed, keys.Keyfunc(), jwt.WithValidMethods([]string{"EdDSA"}))
	fmt.Println(parsed.Valid, err)
	// Output: true <nil>
}
