package echoauth_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/labstack/echo/v4"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
	"github.com/jwtguard/jwtguard/middleware/echoauth"
	"github.com/jwtguard/jwtguard/scopes"
)

// This example protects Echo routes against a local issuer and calls them: a public route,
// a route for any valid token, and a route that needs the read:contacts scope.
func ExampleMiddleware_Middleware() {
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

	auth := echoauth.New(guard, echoauth.Options{})
	hello := func(c echo.Context) error {
		if cl, ok := echoauth.Claims(c); ok {
			return c.String(http.StatusOK, "hello "+cl.Subject)
		}
		return c.String(http.StatusOK, "hello stranger")
	}
	e := echo.New()
	e.GET("/api/public", hello)
	e.GET("/api/private", hello, auth.Middleware)
	e.GET("/api/private-scoped", hello, auth.Middleware, auth.RequireScopes(scopes.All("read:contacts")))
	srv := httptest.NewServer(e)
	defer srv.Close()

	plain := iss.Sign(map[string]any{"sub": "alice"})
	scoped := iss.Sign(map[string]any{"sub": "alice", "scope": "read:contacts"})
	for _, call := range []struct{ path, token string }{
		{"/api/public", ""},
		{"/api/private", ""},
		{"/api/private", plain},
		{"/api/private-scoped", plain},
		{"/api/private-scoped", scoped},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+call.path, nil)
		if call.token != "" {
			req.Header.Set("Authorization", "Bearer "+call.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Printf("%-20s %d %s", call.path, resp.StatusCode, body)
		if resp.StatusCode == http.StatusOK {
			fmt.Println()
		}
	}
	// Output:
	// /api/public          200 hello stranger
	// /api/private         401 {"error":"unauthorized","error_description":"an access token is required"}
	// /api/private         200 hello alice
	// /api/private-scoped  403 {"error":"insufficient_scope","error_description":"the access token lacks a required scope","scope":"read:contacts"}
	// /api/private-scoped  200 hello alice
}
