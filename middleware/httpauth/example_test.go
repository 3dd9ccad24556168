package httpauth_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// This example protects a route of a Go 1.22 ServeMux with a token and a scope, against a
// local issuer, and calls it without a token, with a token that lacks the scope, and with
// one that has it.
func ExampleMiddleware_Handler() {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{}) // a local Auth0-style issuer
	if err != nil {
		log.Fatal(err)
	}
	defer iss.Close()
	keys, err := jwks.ParseSet(iss.JWKS()) // with a real tenant, leave Keys out: New discovers them
	if err != nil {
		log.Fatal(err)
	}
	guard, err := jwtguard.New(context.Background(), jwtguard.Config{
		Issuer:   iss.URL(),
		Audience: []string{iss.Audience()},
		Keys:     keys,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer guard.Close()

	auth := httpauth.New(guard, httpauth.Options{})
	contacts := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := claims.MustFromContext(r.Context())
		fmt.Fprintf(w, "the contacts of %s", c.Subject)
	})
	mux := http.NewServeMux()
	mux.Handle("GET /api/contacts", auth.Handler(auth.RequireScopes(scopes.All("read:contacts"))(contacts)))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, token := range []string{
		"",
		iss.Sign(map[string]any{"sub": "alice"}),
		iss.Sign(map[string]any{"sub": "alice", "scope": "read:contacts"}),
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/contacts", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			fmt.Printf("%d %s\n", resp.StatusCode, body)
		} else {
			fmt.Printf("%d %s\n", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	// Output:
	// 401 Bearer realm="api"
	// 403 Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope", scope="read:contacts"
	// 200 the contacts of alice
}

// Challenge gives the status, headers and body that Middleware answers for an error, for
// code that writes its own answers, for instance in an Options.ErrorHandler.
func ExampleChallenge() {
	err := scopes.All("read:contacts", "write:contacts").Check(scopes.Parse("read:contacts"))
	rj := httpauth.Challenge(err, "contacts")
	fmt.Println(rj.Status)
	fmt.Println(rj.WWWAuthenticate)
	fmt.Println(rj.Body.Error, rj.Body.Scope)

	rj = httpauth.Challenge(&jwtguard.ClaimError{Claim: "exp", Err: jwtguard.ErrExpired}, "contacts")
	fmt.Println(rj.Status, rj.Body.ErrorDescription)
	// Output:
	// 403
	// Bearer realm="contacts", error="insufficient_scope", error_description="the access token lacks a required scope", scope="read:contacts write:contacts"
	// insufficient_scope read:contacts write:contacts
	// 401 the access token expired
}

// Check decides without writing anything: here a handler serves a personal page to
// authenticated users and a public one to others, but refuses a bad token.
func ExampleMiddleware_Check() {
	iss, err := jwtguardtest.Start(jwtguardtest.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer iss.Close()
	keys, err := jwks.ParseSet(iss.JWKS())
	if err != nil {
		log.Fatal(err)
	}
	guard, err := jwtguard.New(context.Background(), jwtguard.Config{Issuer: iss.URL(), Audience: []string{iss.Audience()}, Keys: keys})
	if err != nil {
		log.Fatal(err)
	}
	defer guard.Close()
	auth := httpauth.New(guard, httpauth.Options{})

	home := func(w http.ResponseWriter, r *http.Request) {
		c, err := auth.Check(r)
		switch {
		case errors.Is(err, jwtguard.ErrNoToken):
			fmt.Fprintln(w, "welcome, visitor")
		case err != nil:
			httpauth.Challenge(err, "api").Write(w)
		default:
			fmt.Fprintln(w, "welcome back,", c.Subject)
		}
	}

	for _, authz := range []string{"", "Bearer " + iss.Sign(map[string]any{"sub": "alice"}), "Bearer not.a.token"} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		w := httptest.NewRecorder()
		home(w, r)
		fmt.Print(w.Code, " ", w.Body.String())
	}
	// Output:
	// 200 welcome, visitor
	// 200 welcome back, alice
	// 401 {"error":"invalid_token","error_description":"the access token is invalid"}
}
