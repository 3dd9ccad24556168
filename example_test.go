package jwtguard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// A verifier for an issuer found by OpenID Connect discovery: only the issuer and the API's
// audience are configured.
func ExampleNew() {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{}) // stands in for https://YOUR_DOMAIN/
	if err != nil {
		panic(err)
	}
	defer iss.Close()

	guard, err := jwtguard.New(context.Background(), jwtguard.Config{
		Issuer:   iss.URL(),
		Audience: []string{iss.Audience()},
	})
	if err != nil {
		panic(err)
	}
	defer guard.Close()

	c, err := guard.Verify(context.Background(), iss.Sign(map[string]any{
		"scope":                     "read:contacts",
		"https://example.com/roles": []string{"admin"},
	}))
	if err != nil {
		panic(err)
	}
	roles, _ := claims.Get[[]string](c, "https://example.com/roles")
	fmt.Println(c.Subject, c.Scope, roles)
	// Output: auth0|jwtguardtest read:contacts [admin]
}

// Errors tell invalid tokens (answer 401) from keys that cannot be had (answer 503), and name
// what failed.
func ExampleVerifier_Verify_errors() {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{})
	if err != nil {
		panic(err)
	}
	defer iss.Close()
	guard, err := jwtguard.New(context.Background(), jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}})
	if err != nil {
		panic(err)
	}
	defer guard.Close()

	_, err = guard.Verify(context.Background(), iss.Sign(map[string]any{"aud": "https://other.example.com"}))
	fmt.Println(errors.Is(err, jwtguard.ErrInvalidToken), errors.Is(err, jwtguard.ErrAudience), errors.Is(err, jwtguard.ErrKeysUnavailable))
	var ce *jwtguard.ClaimError
	if errors.As(err, &ce) {
		fmt.Println("claim:", ce.Claim)
	}
	fmt.Println(err)
	// Output:
	// true true false
	// claim: aud
	// jwtguard: invalid aud claim: jwtguard: audience not accepted
}
