package bearer

import (
	"strings"
	"testing"
)

// BenchmarkParse measures Parse on an Authorization header with a ~650-byte token.
func BenchmarkParse(b *testing.B) {
	v := "Bearer " + strings.Repeat("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", 17) + "." + strings.Repeat("a", 30)
	b.SetBytes(int64(len(v)))
	for b.Loop() {
		if _, err := Parse(v); err != nil {
			b.Fatal(err)
		}
	}
}
