package httpauth_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/middleware/httpauth"
	"github.com/jwtguard/jwtguard/scopes"
)

func TestChallenge(t *testing.T) {
	insufficient := scopes.AnyOf(scopes.All("read:contacts"), scopes.Any("admin", "read:contacts")).Check(scopes.Parse("write:contacts"))
	tests := []struct {
		name  string
		err   error
		realm string
		want  httpauth.Rejection
	}{
		{"no token", jwtguard.ErrNoToken, "api", httpauth.Rejection{
			Status: 401, WWWAuthenticate: `Bearer realm="api"`,
			Body: httpauth.ErrorBody{Error: "unauthorized", ErrorDescription: "an access token is required"},
		}},
		{"invalid request, wrapped", fmt.Errorf("x: %w", httpauth.ErrInvalidRequest), "api", httpauth.Rejection{
			Status: 400, WWWAuthenticate: wwwBadRequest,
			Body: httpauth.ErrorBody{Error: "invalid_request", ErrorDescription: "the request must carry exactly one well-formed bearer token"},
		}},
		{"claim error", &jwtguard.ClaimError{Claim: "aud", Err: jwtguard.ErrAudience}, "api", httpauth.Rejection{
			Status: 401, WWWAuthenticate: wwwInvalidToken,
			Body: httpauth.ErrorBody{Error: "invalid_token", ErrorDescription: "the access token is invalid"},
		}},
		{"expired", &jwtguard.ClaimError{Claim: "exp", Err: jwtguard.ErrExpired}, "api", httpauth.Rejection{
			Status: 401, WWWAuthenticate: wwwExpired,
			Body: httpauth.ErrorBody{Error: "invalid_token", ErrorDescription: "the access token expired"},
		}},
		{"insufficient scope", insufficient, "api", httpauth.Rejection{
			Status: 403, WWWAuthenticate: wwwScope + `"read:contacts admin"`,
			Body: httpauth.ErrorBody{Error: "insufficient_scope", ErrorDescription: "the access token lacks a required scope", Scope: "read:contacts admin"},
		}},
		{"bare insufficient scope", scopes.ErrInsufficientScope, "api", httpauth.Rejection{
			Status: 403, WWWAuthenticate: `Bearer realm="api", error="insufficient_scope", error_description="the access token lacks a required scope"`,
			Body: httpauth.ErrorBody{Error: "insufficient_scope", ErrorDescription: "the access token lacks a required scope"},
		}},
		{"keys unavailable", fmt.Errorf("jwks: %w", jwtguard.ErrKeysUnavailable), "api", httpauth.Rejection{
			Status: 503, RetryAfter: "30",
			Body: httpauth.ErrorBody{Error: "temporarily_unavailable", ErrorDescription: "the access token cannot be verified now"},
		}},
		{"invalid requirement", scopes.All().Err(), "api", httpauth.Rejection{
			Status: 500, Body: httpauth.ErrorBody{Error: "server_error", ErrorDescription: "internal error"},
		}},
		{"other", errors.New("boom"), "api", httpauth.Rejection{
			Status: 500, Body: httpauth.ErrorBody{Error: "server_error", ErrorDescription: "internal error"},
		}},
		{"realm escaped", jwtguard.ErrNoToken, `my "big" \ api`, httpauth.Rejection{
			Status: 401, WWWAuthenticate: `Bearer realm="my \"big\" \\ api"`,
			Body: httpauth.ErrorBody{Error: "unauthorized", ErrorDescription: "an access token is required"},
		}},
		{"realm control characters dropped", jwtguard.ErrNoToken, "a\r\nb\x00\x7f\tc", httpauth.Rejection{
			Status: 401, WWWAuthenticate: "Bearer realm=\"ab\tc\"",
			Body: httpauth.ErrorBody{Error: "unauthorized", ErrorDescription: "an access token is required"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, httpauth.Challenge(tt.err, tt.realm))
		})
	}
}

func TestRejectionWrite(t *testing.T) {
	tests := []struct {
		name string
		err  error
		body string
	}{
		{"invalid token", &jwtguard.TokenError{Err: jwtguard.ErrSignature}, `{"error":"invalid_token","error_description":"the access token is invalid"}` + "\n"},
		{"insufficient scope", scopes.All("a", "b").Check(scopes.Parse("a")),
			`{"error":"insufficient_scope","error_description":"the access token lacks a required scope","scope":"a b"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rj := httpauth.Challenge(tt.err, "api")
			rj.Write(rec)
			assert.Equal(t, rj.Status, rec.Code)
			assert.Equal(t, http.Header{
				"Content-Type":     {"application/json"},
				"Www-Authenticate": {rj.WWWAuthenticate},
			}, rec.Header())
			assert.Equal(t, tt.body, rec.Body.String())
		})
	}
}
