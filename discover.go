package jwtguard

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/jwtguard/jwtguard/jwks"
)

// discover builds the JWK Set cache of an issuer from its discovery document. It fetches the
// keys before returning and fails if it cannot.
func discover(ctx context.Context, iss string, client *http.Client, logger *slog.Logger) (*jwks.Cache, error) {
	cache, err := jwks.New(ctx, jwks.Options{Issuer: iss, HTTPClient: client, Logger: logger})
	if err != nil {
		return nil, fmt.Errorf("jwtguard: keys of issuer %q: %w", iss, err)
	}
	return cache, nil
}
