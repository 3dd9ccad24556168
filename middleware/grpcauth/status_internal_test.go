package grpcauth

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/internal/bearer"
	"github.com/jwtguard/jwtguard/scopes"
)

// TestStatusFor maps each kind of reason to its code, including the ones a real Verifier
// cannot be made to return (the Internal row).
func TestStatusFor(t *testing.T) {
	tests := []struct {
		reason error
		want   codes.Code
	}{
		{jwtguard.ErrNoToken, codes.Unauthenticated},
		{bearer.ErrMissing, codes.Unauthenticated},
		{bearer.ErrMalformed, codes.Unauthenticated},
		{errSeveral, codes.Unauthenticated},
		{&jwtguard.ClaimError{Claim: "exp", Err: jwtguard.ErrExpired}, codes.Unauthenticated},
		{&jwtguard.TokenError{Err: jwtguard.ErrSignature}, codes.Unauthenticated},
		{&scopes.Error{Required: []string{"a"}, Missing: []string{"a"}}, codes.PermissionDenied},
		{errUnlisted, codes.PermissionDenied},
		{jwtguard.ErrKeysUnavailable, codes.Unavailable},
		{fmt.Errorf("jwks: fetch: %w", jwtguard.ErrKeysUnavailable), codes.Unavailable},
		{errors.Join(jwtguard.ErrKeysUnavailable, context.DeadlineExceeded), codes.Unavailable},
		{errNoMethod, codes.Internal},
		{scopes.ErrInvalidRequirement, codes.Internal},
		{errors.New("something else"), codes.Internal},
	}
	for _, tt := range tests {
		st := status.Convert(statusFor(tt.reason))
		assert.Equal(t, tt.want, st.Code(), "%v", tt.reason)
		assert.NotContains(t, st.Message(), tt.reason.Error())
	}
}
