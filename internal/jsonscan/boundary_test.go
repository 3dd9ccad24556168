package jsonscan

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The string scanner looks at eight bytes at a time while at least eight
// bytes of input are left, and byte by byte after that; numbers are checked
// and converted eight digits at a time. These tests put every interesting
// byte at every position of a word, both with more input after the string
// and with the string at the very end of the input.

// stringCase is the content of a string after a run of plain ASCII.
type stringCase struct {
	name string
	tail string // content after the ASCII prefix, without the closing quote
	want string // decoded tail, if valid
	// For invalid strings, the message and the offset of the error
	// relative to the end of the ASCII prefix. eof means the string is
	// unterminated and the error is at the end of the input.
	msg string
	off int
	eof bool
}

var stringCases = []stringCase{
	{name: "plain", tail: "", want: ""},
	{name: "space", tail: " ", want: " "},
	{name: "DEL", tail: "\x7f", want: "\x7f"},
	{name: "tilde", tail: "~", want: "~"},
	{name: "escaped backslash before quote", tail: `\\`, want: `\`},
	{name: "two escaped backslashes", tail: `\\\\`, want: `\\`},
	{name: "escaped quote", tail: `\"`, want: `"`},
	{name: "escaped quote then text", tail: `\"abcdefghij`, want: `"abcdefghij`},
	{name: "unicode escape", tail: `\u00e9`, want: "é"},
	{name: "surrogate pair", tail: `\ud83d\ude00`, want: "😀"},
	{name: "two-byte UTF-8", tail: "é", want: "é"},
	{name: "three-byte UTF-8", tail: "€", want: "€"},
	{name: "four-byte UTF-8", tail: "😀", want: "😀"},
	{name: "UTF-8 then ASCII", tail: "éabcdefghijklmnop", want: "éabcdefghijklmnop"},
	{name: "max code point", tail: "\xf4\x8f\xbf\xbf", want: "\U0010FFFF"},

	{name: "NUL", tail: "\x00", msg: "control character in string", off: 0},
	{name: "unit separator", tail: "\x1f", msg: "control character in string", off: 0},
	{name: "newline after text", tail: "abc\n", msg: "control character in string", off: 3},
	{name: "tab", tail: "\t", msg: "control character in string", off: 0},
	{name: "invalid escape", tail: `\x41`, msg: "invalid escape in string", off: 0},
	{name: "short unicode escape", tail: `\u12`, msg: "invalid escape in string", off: 0},
	{name: "lone surrogate", tail: `\ud800x`, msg: "invalid escape in string", off: 0},
	{name: "escaped backslash then control", tail: "\\\\\x01", msg: "control character in string", off: 2},
	{name: "lone continuation byte", tail: "\x80", msg: "invalid UTF-8 in string", off: 0},
	{name: "invalid byte", tail: "\xff", msg: "invalid UTF-8 in string", off: 0},
	{name: "truncated three-byte sequence", tail: "\xe2\x82", msg: "invalid UTF-8 in string", off: 0},
	{name: "truncated sequence then ASCII", tail: "\xe2\x82abcdefgh", msg: "invalid UTF-8 in string", off: 0},
	{name: "truncated four-byte sequence", tail: "\xf0\x9f\x98", msg: "invalid UTF-8 in string", off: 0},
	{name: "valid then invalid UTF-8", tail: "é\xc3", msg: "invalid UTF-8 in string", off: 2},
	{name: "UTF-8 surrogate", tail: "\xed\xa0\x80", msg: "invalid UTF-8 in string", off: 0},
	{name: "overlong", tail: "\xc0\xaf", msg: "invalid UTF-8 in string", off: 0},
	{name: "unterminated", tail: "abc", eof: true},
	{name: "unterminated after escaped quote", tail: `\"`, eof: true},
	{name: "unterminated after UTF-8", tail: "é", eof: true},
}

// scanErrorOf returns the message and offset of an error from this package.
func scanErrorOf(t *testing.T, err error) (string, int) {
	t.Helper()
	var se *scanError
	require.True(t, errors.As(err, &se), "error %v", err)
	return se.msg, se.off
}

func TestStringBoundaries(t *testing.T) {
	for _, tc := range stringCases {
		for p := 0; p <= 25; p++ {
			prefix := "abcdefghijklmnopqrstuvwxyz"[:p]
			str := `"` + prefix + tc.tail
			if !tc.eof {
				str += `"`
			}
			valid := tc.msg == "" && !tc.eof
			// The string alone, as the last member of an object (little
			// input after it), and followed by a lot more input.
			docs := []struct {
				doc   string
				start int // offset of the opening quote
			}{
				{str, 0},
				{`{"k":` + str + `}`, 5},
				{`[` + str + `,"` + strings.Repeat("z", 20) + `"]`, 1},
				{`{` + str + `:1,"pad":"` + strings.Repeat("z", 20) + `"}`, 1},
			}
			for _, d := range docs {
				err := Validate([]byte(d.doc))
				if valid {
					require.NoError(t, err, "%s/%d: %q", tc.name, p, d.doc)
					continue
				}
				require.Error(t, err, "%s/%d: %q", tc.name, p, d.doc)
				if tc.eof {
					continue // the error depends on what follows
				}
				msg, off := scanErrorOf(t, err)
				assert.Equal(t, tc.msg, msg, "%s/%d: %q", tc.name, p, d.doc)
				assert.Equal(t, d.start+1+p+tc.off, off, "%s/%d: %q", tc.name, p, d.doc)
			}

			got, err := Unquote([]byte(str), nil)
			if !valid {
				require.Error(t, err, "%s/%d", tc.name, p)
				msg, off := scanErrorOf(t, err)
				if tc.eof {
					assert.Equal(t, "unexpected end of input in string", msg)
					assert.Equal(t, len(str), off)
				} else {
					assert.Equal(t, tc.msg, msg, "%s/%d", tc.name, p)
					assert.Equal(t, 1+p+tc.off, off, "%s/%d", tc.name, p)
				}
				assert.False(t, Equal([]byte(str), prefix+tc.tail))
				continue
			}
			require.NoError(t, err, "%s/%d", tc.name, p)
			assert.Equal(t, prefix+tc.want, string(got), "%s/%d", tc.name, p)
			assert.True(t, Equal([]byte(str), prefix+tc.want), "%s/%d", tc.name, p)

			// As a member name, where escapes are reported.
			o := NewObject([]byte(`{` + str + `:1}`))
			require.True(t, o.Next(), "%s/%d: %v", tc.name, p, o.Err())
			assert.Equal(t, prefix+tc.tail, string(o.Name()))
			assert.True(t, o.NameIs(prefix+tc.want), "%s/%d", tc.name, p)
			assert.Equal(t, o.c.nameEscaped, strings.Contains(tc.tail, `\`))
			assert.False(t, o.Next())
			assert.NoError(t, o.Err())
		}
	}
}

// TestStringLengths checks plain strings of every length around the word
// size, ending exactly at the end of the input or followed by more.
func TestStringLengths(t *testing.T) {
	for n := 0; n <= 40; n++ {
		content := strings.Repeat("x", n)
		for _, after := range []string{"", "}", `,"a":1}`, `,"a":"` + strings.Repeat("y", 16) + `"}`} {
			doc := `{"` + content + `":"` + content + `"` + after
			o := NewObject([]byte(doc))
			if after == "" {
				// The member is returned before the end is found.
				require.True(t, o.Next(), "%q: %v", doc, o.Err())
				assert.False(t, o.Next(), "%q", doc)
				msg, off := scanErrorOf(t, o.Err())
				assert.Equal(t, "unexpected end of input, expected ',' or '}'", msg)
				assert.Equal(t, len(doc), off)
				continue
			}
			require.True(t, o.Next(), "%q: %v", doc, o.Err())
			assert.Equal(t, content, string(o.Name()))
			assert.Equal(t, `"`+content+`"`, string(o.Value()))
			for o.Next() {
			}
			require.NoError(t, o.Err(), "%q", doc)
		}
	}
}

func TestNumberBoundaries(t *testing.T) {
	// Integers of every length, which take the direct conversion up to 15
	// digits, and strconv beyond.
	for n := 1; n <= 20; n++ {
		for _, first := range []string{"1", "9"} {
			digits := first + strings.Repeat("0123456789", 2)[:n-1]
			for _, raw := range []string{digits, "-" + digits} {
				want, err := strconv.ParseFloat(raw, 64)
				require.NoError(t, err)
				got, err := Number([]byte(raw))
				require.NoError(t, err, raw)
				assert.Equal(t, math.Float64bits(want), math.Float64bits(got), raw)
				require.NoError(t, Validate([]byte(`[`+raw+`,`+raw+`]`)), raw)
			}
		}
	}

	// A byte that is not a digit at every position of integers of up to 20
	// digits: bytes just below and above the digits, bytes with the top bit
	// set, and those that may continue a number.
	for n := 1; n <= 20; n++ {
		for k := 0; k < n; k++ {
			for _, c := range []byte{'/', ':', 'x', 0x80, 0xb0, 0xff, 0x00, '.', 'e', 'E', '+', '-', ' '} {
				b := []byte(strings.Repeat("7", n))
				b[k] = c
				raw := string(b)
				got, err := Number(b)
				want, stdErr := strconv.ParseFloat(raw, 64)
				switch {
				case numberGrammar.MatchString(raw) && stdErr != nil:
					assert.ErrorIs(t, stdErr, strconv.ErrRange)
					assert.ErrorIs(t, err, strconv.ErrRange, "%q", raw)
					assert.Zero(t, got)
				case numberGrammar.MatchString(raw):
					require.NoError(t, err, "%q", raw)
					assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "%q", raw)
				default:
					assert.ErrorIs(t, err, ErrSyntax, "%q", raw)
					assert.Zero(t, got)
				}

				// Inside an array, the number ends at the first byte that
				// cannot continue it and what follows must be ',' or ']'.
				err = Validate([]byte("[" + raw + "]"))
				if trimmed := strings.Trim(raw, " "); trimmed == "" || numberGrammar.MatchString(trimmed) {
					assert.NoError(t, err, "%q", raw)
				} else {
					assert.ErrorIs(t, err, ErrSyntax, "%q", raw)
				}
			}
		}
	}

	// Leading zeros are refused whatever the length.
	for n := 2; n <= 17; n++ {
		raw := "0" + strings.Repeat("1", n-1)
		_, err := Number([]byte(raw))
		assert.ErrorIs(t, err, ErrSyntax, raw)
		_, err = Number([]byte("-" + raw))
		assert.ErrorIs(t, err, ErrSyntax, raw)
	}
}

func TestParseEight(t *testing.T) {
	for _, s := range []string{"00000000", "12345678", "99999999", "10000000", "00000001", "17954432"} {
		want, err := strconv.ParseUint(s, 10, 64)
		require.NoError(t, err)
		assert.Equal(t, want, parseEight(uint64(s[0])|uint64(s[1])<<8|uint64(s[2])<<16|uint64(s[3])<<24|
			uint64(s[4])<<32|uint64(s[5])<<40|uint64(s[6])<<48|uint64(s[7])<<56), s)
	}
}

// TestWordFunctions checks specialByte and nonDigit against byte-by-byte
// definitions, for every byte value at every position of a word whose other
// bytes are plain (or digits), and for the first flagged byte of words with
// two flagged bytes.
func TestWordFunctions(t *testing.T) {
	special := func(b byte) bool { return b < 0x20 || b == '"' || b == '\\' || b >= 0x80 }
	nondigit := func(b byte) bool { return b < '0' || b > '9' }
	first := func(m uint64) int {
		if m == 0 {
			return -1
		}
		for k := 0; k < 8; k++ {
			if m>>(8*k)&0x80 != 0 {
				return k
			}
		}
		return -2
	}
	want := func(w [8]byte, f func(byte) bool) int {
		for k, b := range w {
			if f(b) {
				return k
			}
		}
		return -1
	}
	word := func(w [8]byte) uint64 {
		var v uint64
		for k := 7; k >= 0; k-- {
			v = v<<8 | uint64(w[k])
		}
		return v
	}
	for _, fill := range []byte{'a', '5', '~', ' ', '0', '9'} {
		for pos := 0; pos < 8; pos++ {
			for b := 0; b < 256; b++ {
				for _, second := range []int{-1, 0x00, 0x22, 0x5c, 0x80, 0xff, '/', ':'} {
					var w [8]byte
					for k := range w {
						w[k] = fill
					}
					w[pos] = byte(b)
					if second >= 0 && pos < 7 {
						w[7] = byte(second)
					}
					assert.Equal(t, want(w, special), first(specialByte(word(w))), "specialByte %q", w)
					assert.Equal(t, want(w, nondigit), first(nonDigit(word(w))), "nonDigit %q", w)
				}
			}
		}
	}
}
