// Package testkit holds the test support the adapter packages share: a verifier for a
// jwtguardtest issuer, a key source that is always down, and a log sink safe for server
// goroutines. It is for tests only.
package testkit

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/jwtguard/jwtguard"
	"github.com/jwtguard/jwtguard/jwks"
	"github.com/jwtguard/jwtguard/jwtguardtest"
)

// Verifier returns a verifier that trusts iss's tokens for iss's audience, verified with keys,
// or with iss's current JWK Set if keys is nil. It is closed when the test ends.
func Verifier(t testing.TB, iss *jwtguardtest.Issuer, keys jwtguard.KeySource) *jwtguard.Verifier {
	t.Helper()
	if keys == nil {
		set, err := jwks.ParseSet(iss.JWKS())
		if err != nil {
			t.Fatal(err)
		}
		keys = set
	}
	v, err := jwtguard.New(context.Background(), jwtguard.Config{
		Issuer:   iss.URL(),
		Audience: []string{iss.Audience()},
		Keys:     keys,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = v.Close() })
	return v
}

// UnavailableKeys is a key source whose keys can never be had, like a JWK Set endpoint that
// has been down since start.
type UnavailableKeys struct{}

// Key returns an error matching jwtguard.ErrKeysUnavailable.
func (UnavailableKeys) Key(context.Context, string, string) (*jwks.Key, error) {
	return nil, jwtguard.ErrKeysUnavailable
}

// A LogBuffer collects log output written from any goroutine.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Lines returns what was written, one element per line.
func (b *LogBuffer) Lines() []string {
	return strings.Split(strings.TrimSpace(b.String()), "\n")
}
