package jsonscan

import "testing"

// walkStackBuffer iterates an object held in a stack buffer. It exists so
// that escape analysis can be checked with
//
//	go test -gcflags=-m -run TestStackBuffer ./internal/jsonscan
//
// which must not report buf as moved to the heap.
func walkStackBuffer(doc string) (int, error) {
	var buf [256]byte
	n := copy(buf[:], doc)
	o := NewObject(buf[:n])
	members := 0
	for o.Next() {
		members++
		if o.Kind() == KindArray {
			a := NewArray(o.Value())
			for a.Next() {
			}
			if err := a.Err(); err != nil {
				return 0, err
			}
		}
	}
	return members, o.Err()
}

func TestStackBuffer(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		if n, err := walkStackBuffer(walkClaimsJSON); err != nil || n != 8 {
			panic(err)
		}
	})
	if allocs != 0 {
		t.Errorf("walking a stack buffer allocates %v times", allocs)
	}
}
