package bearer_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/jwtguard/jwtguard/internal/bearer"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, value, want string
		err               error
	}{
		{"jwt", "Bearer eyJ.eyJ.sig", "eyJ.eyJ.sig", nil},
		{"lowercase scheme", "bearer abc", "abc", nil},
		{"uppercase scheme", "BEARER abc", "abc", nil},
		{"padding", "Bearer abc==", "abc==", nil},
		{"all b64token chars", "Bearer aZ09-._~+/=", "aZ09-._~+/=", nil},
		{"empty", "", "", bearer.ErrMissing},
		{"scheme alone", "Bearer", "", bearer.ErrMalformed},
		{"scheme and space", "Bearer ", "", bearer.ErrMalformed},
		{"two spaces", "Bearer  abc", "", bearer.ErrMalformed},
		{"tab", "Bearer\tabc", "", bearer.ErrMalformed},
		{"trailing space", "Bearer abc ", "", bearer.ErrMalformed},
		{"leading space", " Bearer abc", "", bearer.ErrMalformed},
		{"two tokens", "Bearer abc def", "", bearer.ErrMalformed},
		{"basic", "Basic dXNlcjpwYXNz", "", bearer.ErrMalformed},
		{"bearer-like scheme", "Bearerx abc", "", bearer.ErrMalformed},
		{"padding in the middle", "Bearer ab=c", "", bearer.ErrMalformed},
		{"only padding", "Bearer ==", "", bearer.ErrMalformed},
		{"comma", "Bearer abc,Bearer def", "", bearer.ErrMalformed},
		{"non-ASCII", "Bearer abcé", "", bearer.ErrMalformed},
		{"NUL", "Bearer abc\x00", "", bearer.ErrMalformed},
		{"100 KB", "Bearer " + strings.Repeat("a", 100<<10), "", bearer.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := bearer.Parse(tt.value)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseAllocations(t *testing.T) {
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = bearer.Parse("Bearer eyJ.eyJ.sig") }))
}

// FuzzBearerToken checks Parse against the RFC 6750 grammar written another way.
func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer a=", "Bearer  a", "Basic x", "", "Bearer", "Bearer a b", "BEARER ~+/="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, value string) {
		tok, err := bearer.Parse(value)
		scheme, rest, found := strings.Cut(value, " ")
		body := strings.TrimRight(rest, "=")
		valid := found && strings.EqualFold(scheme, "Bearer") && body != "" && len(value) <= bearer.MaxLen &&
			strings.Trim(body, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/") == ""
		if valid != (err == nil) {
			t.Fatalf("Parse(%q) error %v, grammar says valid=%v", value, err, valid)
		}
		if err == nil && tok != rest {
			t.Fatalf("Parse(%q) = %q, want %q", value, tok, rest)
		}
	})
}
