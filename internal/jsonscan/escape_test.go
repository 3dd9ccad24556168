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

// TestEscapedFlags checks NameEscaped and StringEscaped on each member and element kind.
func TestEscapedFlags(t *testing.T) {
	o := NewObject([]byte(`{"a":"x","b\u0062":"y\n","c":1,"d":["p","q\"",{"r":"\t"}],"e":{"f":"\\"}}`))
	type flags struct{ name, value bool }
	want := []flags{{false, false}, {true, true}, {false, false}, {false, false}, {false, false}}
	var got []flags
	for o.Next() {
		got = append(got, flags{o.NameEscaped(), o.StringEscaped()})
		if o.Kind() == KindArray {
			a := NewArray(o.Value())
			var elems []bool
			for a.Next() {
				elems = append(elems, a.StringEscaped())
			}
			if a.Err() != nil || len(elems) != 3 || elems[0] || !elems[1] || elems[2] {
				t.Errorf("array elements: StringEscaped %v, err %v; want [false true false]", elems, a.Err())
			}
		}
	}
	if o.Err() != nil {
		t.Fatal(o.Err())
	}
	if len(got) != len(want) {
		t.Fatalf("got %d members, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("member %d: NameEscaped, StringEscaped = %v, want %v", i, got[i], want[i])
		}
	}
	if o.NameEscaped() || o.StringEscaped() {
		t.Error("flags set after the last member")
	}
}
