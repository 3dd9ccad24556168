package jsonscan

import (
	"testing"
)

// walkClaimsJSON is the claims set of a typical HS256 test token.
const walkClaimsJSON = `{"aud":"https://api.example.com","exp":1795443200,"https://example.com/roles":["admin"],"iat":1795439600,"iss":"http://127.0.0.1:41234/","permissions":["read:contacts"],"scope":"openid read:contacts","sub":"auth0|jwtguardtest"}`

var walkClaimsDoc = []byte(walkClaimsJSON)

// walkHeaderDoc is a typical JOSE header.
var walkHeaderDoc = []byte(`{"alg":"HS256","kid":"jwtguardtest-hs256","typ":"JWT"}`)

// walk iterates the members of data the way the verifier does: every
// member, the elements of array values, and Number on number values.
func walk(data []byte) (members int, sum float64, err error) {
	o := NewObject(data)
	for o.Next() {
		members++
		switch o.Kind() {
		case KindNumber:
			f, err := Number(o.Value())
			if err != nil {
				return 0, 0, err
			}
			sum += f
		case KindArray:
			a := NewArray(o.Value())
			for a.Next() {
				members++
			}
			if err := a.Err(); err != nil {
				return 0, 0, err
			}
		}
	}
	return members, sum, o.Err()
}

func TestWalk(t *testing.T) {
	n, sum, err := walk(walkClaimsDoc)
	if err != nil || n != 10 || sum != 1795443200+1795439600 {
		t.Fatalf("walk(claims) = %d, %v, %v", n, sum, err)
	}
	n, _, err = walk(walkHeaderDoc)
	if err != nil || n != 3 {
		t.Fatalf("walk(header) = %d, %v", n, err)
	}
}

func benchmarkWalk(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := walk(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWalkClaims(b *testing.B) { benchmarkWalk(b, walkClaimsDoc) }
func BenchmarkWalkHeader(b *testing.B) { benchmarkWalk(b, walkHeaderDoc) }
