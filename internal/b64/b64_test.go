package b64

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type decodeCase struct {
	name string
	in   string
	want string // decoded bytes; ignored when ok is false
	ok   bool
}

var decodeCases = []decodeCase{
	{"empty", "", "", true},
	{"one byte", "AA", "\x00", true},
	{"two bytes", "AAA", "\x00\x00", true},
	{"three bytes", "AAAA", "\x00\x00\x00", true},
	{"f", "Zg", "f", true},
	{"fo", "Zm8", "fo", true},
	{"foo", "Zm9v", "foo", true},
	{"foob", "Zm9vYg", "foob", true},
	{"fooba", "Zm9vYmE", "fooba", true},
	{"foobar", "Zm9vYmFy", "foobar", true},
	{"url alphabet", "-_-_", "\xfb\xff\xbf", true},
	{"all ones", "____", "\xff\xff\xff", true},
	{"jose header", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", `{"alg":"RS256","typ":"JWT"}`, true},
	{"eleven chars", "Zm9vYmFyYmE", "foobarba", true},
	{"eleven chars non-canonical", "Zm9vYmFyYmF", "", false},
	{"nine chars", "Zm9vYmFyY", "", false},

	// Length.
	{"length 1", "A", "", false},
	{"length 5", "AAAAA", "", false},

	// Padding is not allowed in JWS.
	{"padding 1", "Zm8=", "", false},
	{"padding 2", "Zg==", "", false},
	{"padding only", "====", "", false},
	{"padding middle", "Zg==Zg", "", false},

	// The standard alphabet's extra characters.
	{"plus", "+/+/", "", false},
	{"slash", "AA/A", "", false},

	// Whitespace and line breaks, which encoding/base64 skips.
	{"LF", "Zm9v\nYmFy", "", false},
	{"CR", "Zm9v\rYmFy", "", false},
	{"CRLF", "Zm9v\r\nYmFy", "", false},
	{"trailing LF", "Zm9v\n", "", false},
	{"leading LF", "\nZm9v", "", false},
	{"space", "Zm9v YmFy", "", false},
	{"tab", "Zm9v\tYmFy", "", false},

	// Other bytes.
	{"NUL", "Zm9\x00", "", false},
	{"dot", "Zm9.", "", false},
	{"high byte", "Zm9\xff", "", false},
	{"utf8", "Zm9é", "", false},
	{"invalid in long block", "Zm9vYmFyZm9vYmFy*m9vYmFy", "", false},

	// Non-canonical trailing bits.
	{"2 chars low bits", "Zh", "", false},
	{"2 chars lowest bit", "AB", "", false},
	{"2 chars bit 3", "AI", "", false},
	{"3 chars low bits", "Zm9", "", false},
	{"3 chars lowest bit", "AAB", "", false},
	{"3 chars bit 1", "AAC", "", false},
	{"3 chars canonical", "AAE", "\x00\x01", true},
	{"2 chars canonical", "AQ", "\x01", true},
}

func TestDecodeTable(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			n, ok := DecodedLen(len(tc.in))
			if !ok {
				n = 0
			}
			dst := make([]byte, n)
			got, err := Decode(dst, tc.in)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, len(tc.want), got)
				assert.Equal(t, tc.want, string(dst[:got]))
			} else {
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrInvalid)
				assert.Zero(t, got)
			}

			// The reference decoder, with line breaks rejected, agrees.
			ref, refErr := referenceDecode(tc.in)
			assert.Equal(t, tc.ok, refErr == nil, "reference decoder disagrees: %v", refErr)
			if tc.ok {
				assert.Equal(t, tc.want, string(ref))
			}
		})
	}
}

func TestDecodedLen(t *testing.T) {
	tests := []struct {
		n, want int
		ok      bool
	}{
		{-1, 0, false},
		{0, 0, true},
		{1, 0, false},
		{2, 1, true},
		{3, 2, true},
		{4, 3, true},
		{5, 0, false},
		{6, 4, true},
		{7, 5, true},
		{8, 6, true},
		{1366, 1024, true},
	}
	for _, tc := range tests {
		got, ok := DecodedLen(tc.n)
		assert.Equal(t, tc.ok, ok, "DecodedLen(%d)", tc.n)
		assert.Equal(t, tc.want, got, "DecodedLen(%d)", tc.n)
		if tc.ok {
			assert.Equal(t, base64.RawURLEncoding.DecodedLen(tc.n), got, "DecodedLen(%d) vs encoding/base64", tc.n)
		}
	}
}

func TestDecodeShortBuffer(t *testing.T) {
	for _, src := range []string{"AA", "AAA", "AAAA", "Zm9vYmFy", "Zm9vYmFyZm9vYmE"} {
		n, ok := DecodedLen(len(src))
		require.True(t, ok)
		for size := 0; size < n; size++ {
			dst := bytes.Repeat([]byte{0xAA}, size)
			got, err := Decode(dst, src)
			assert.ErrorIs(t, err, io.ErrShortBuffer, "src %q, dst size %d", src, size)
			assert.Zero(t, got)
			assert.Equal(t, bytes.Repeat([]byte{0xAA}, size), dst, "dst must be untouched")
		}
		// Extra room is fine and left alone.
		dst := bytes.Repeat([]byte{0xAA}, n+3)
		got, err := Decode(dst, src)
		require.NoError(t, err)
		assert.Equal(t, n, got)
		assert.Equal(t, []byte{0xAA, 0xAA, 0xAA}, dst[n:])
	}
	_, err := Decode(nil, "")
	assert.NoError(t, err)
}

// TestDecodeEveryLength round-trips random data of every length up to a few
// blocks, so every path through the main loop and the tail is exercised, and
// checks that flipping any single input character to an invalid byte is
// rejected.
func TestDecodeEveryLength(t *testing.T) {
	data := make([]byte, 64)
	for i := range data {
		data[i] = byte(i*151 + 7)
	}
	for l := 0; l <= len(data); l++ {
		src := base64.RawURLEncoding.EncodeToString(data[:l])
		dst := make([]byte, l)
		n, err := Decode(dst, src)
		require.NoError(t, err, "length %d", l)
		require.Equal(t, l, n)
		require.Equal(t, data[:l], dst)
		for i := 0; i < len(src); i++ {
			for _, bad := range []byte{'=', '\n', '+', '/', 0x80, 0} {
				mutated := src[:i] + string([]byte{bad}) + src[i+1:]
				_, err := Decode(dst, mutated)
				require.ErrorIs(t, err, ErrInvalid, "length %d, %q at %d", l, bad, i)
			}
		}
	}
}

func TestDecodeAllocs(t *testing.T) {
	src := strings.Repeat("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", 40)
	dst := make([]byte, len(src))
	bad := src + "\n"
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Decode(dst, src); err != nil {
			panic(err)
		}
		if _, err := Decode(dst, bad); err == nil {
			panic("accepted invalid input")
		}
		if _, err := Decode(dst[:1], src); err == nil {
			panic("accepted short buffer")
		}
	})
	assert.Zero(t, allocs)
}

// referenceDecode decodes with encoding/base64 in strict mode, additionally
// rejecting CR and LF, which encoding/base64 ignores.
func referenceDecode(src string) ([]byte, error) {
	if strings.ContainsAny(src, "\r\n") {
		return nil, errors.New("line break")
	}
	return base64.RawURLEncoding.Strict().DecodeString(src)
}

func FuzzDecode(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add(tc.in)
	}
	f.Add(strings.Repeat("Zm9v", 100) + "Zg")
	f.Fuzz(func(t *testing.T, src string) {
		want, refErr := referenceDecode(src)

		n, ok := DecodedLen(len(src))
		if !ok {
			n = 0
		}
		dst := make([]byte, n)
		got, err := Decode(dst, src)

		if refErr != nil {
			require.Error(t, err, "accepted %q, reference rejects: %v", src, refErr)
			require.ErrorIs(t, err, ErrInvalid)
			return
		}
		require.NoError(t, err, "rejected %q, reference accepts", src)
		require.True(t, ok)
		require.Equal(t, n, got)
		require.Equal(t, want, dst[:got])

		// A short buffer is an error, never a panic.
		if n > 0 {
			_, err := Decode(dst[:n-1], src)
			require.ErrorIs(t, err, io.ErrShortBuffer)
		}
	})
}

var benchSrc = func() string {
	data := make([]byte, 1024)
	for i := range data {
		data[i] = byte(i*31 + 11)
	}
	return base64.RawURLEncoding.EncodeToString(data)
}()

func BenchmarkDecode(b *testing.B) {
	dst := make([]byte, 1024)
	b.SetBytes(int64(len(benchSrc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(dst, benchSrc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStdlibDecode(b *testing.B) {
	dst := make([]byte, 1024)
	src := []byte(benchSrc)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := base64.RawURLEncoding.Decode(dst, src); err != nil {
			b.Fatal(err)
		}
	}
}
