package jwtguard

import (
	"strings"
	"testing"

	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/internal/b64"
	"github.com/jwtguard/jwtguard/internal/jwa"
)

const phaseTok = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImhzMjU2LTEiLCJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSIsImV4cCI6MTc5NTQ0MzIwMCwiaHR0cHM6Ly9leGFtcGxlLmNvbS9yb2xlcyI6WyJhZG1pbiJdLCJpYXQiOjE3OTU0Mzk2MDAsImlzcyI6Imh0dHA6Ly8xMjcuMC4wLjE6NDEyMzQvIiwicGVybWlzc2lvbnMiOlsicmVhZDpjb250YWN0cyJdLCJzY29wZSI6Im9wZW5pZCByZWFkOmNvbnRhY3RzIiwic3ViIjoiYXV0aDB8and0Z3VhcmR0ZXN0In0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// BenchmarkPhases measures the parsing steps of Verify one by one on a typical Auth0-style
// token, to see where first-sight time goes besides the signature.
func BenchmarkPhases(b *testing.B) {
	parts := strings.Split(phaseTok, ".")
	var hbuf [1536]byte
	n, _ := b64.Decode(hbuf[:], parts[0])
	payload := make([]byte, 1024)
	pn, _ := b64.Decode(payload, parts[1])
	payload = payload[:pn]
	var names memberNames
	b.Run("b64 payload", func(b *testing.B) {
		for b.Loop() {
			b64.Decode(payload[:cap(payload)], parts[1])
		}
	})
	b.Run("header", func(b *testing.B) {
		for b.Loop() {
			var h header
			h.parse(hbuf[:n], &names)
		}
	})
	b.Run("claims", func(b *testing.B) {
		var c claims.Claims
		var strs [8]string
		for b.Loop() {
			parseClaims(&c, payload, strs[:], nil, &names)
		}
	})
	b.Run("jwa.Parse", func(b *testing.B) {
		for b.Loop() {
			jwa.Parse("HS256")
		}
	})
}
