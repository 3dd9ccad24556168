package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// addSeeds adds every table input to the fuzz corpus.
func addSeeds(f *testing.F) {
	for _, tc := range validCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range invalidCases {
		f.Add([]byte(tc.in))
	}
	for _, tc := range unquoteCases {
		f.Add([]byte(tc.raw))
	}
	for _, tc := range numberCases {
		f.Add([]byte(tc.raw))
	}
	f.Add(claims)
	f.Add([]byte(`{"a":{"b":[1,2,{"c":"\ud83d\ude00"}]},"e\u0078p":1e3,"":null}`))
	f.Add([]byte(`[{"a":1},[],"x",-0.5e-3,true]`))
}

// maxDepth returns the deepest nesting of arrays and objects in data,
// which must be valid JSON according to encoding/json.
func maxDepth(data []byte) int {
	depth, deepest := 0, 0
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			deepest = max(deepest, depth)
		case c == ']' || c == '}':
			depth--
		}
	}
	return deepest
}

// hasBadSurrogate reports whether data, which must be valid JSON according
// to encoding/json, has a \u escape of a surrogate that is not part of a
// high-low pair.
func hasBadSurrogate(data []byte) bool {
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case !inString:
			inString = c == '"'
		case c == '"':
			inString = false
		case c == '\\' && i+1 < len(data) && data[i+1] == 'u':
			r := hex4(data[i+2:])
			switch {
			case r >= 0xDC00 && r <= 0xDFFF:
				return true
			case r >= 0xD800 && r <= 0xDBFF:
				if i+12 > len(data) || data[i+6] != '\\' || data[i+7] != 'u' {
					return true
				}
				lo := hex4(data[i+8:])
				if lo < 0xDC00 || lo > 0xDFFF {
					return true
				}
				i += 11
			default:
				i += 5
			}
		case c == '\\':
			i++
		}
	}
	return false
}

func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	v, err := strconv.ParseUint(string(b[:4]), 16, 32)
	if err != nil {
		return -1
	}
	return rune(v)
}

// unmarshalAny decodes data with encoding/json.
func unmarshalAny(data []byte) (any, error) {
	var v any
	err := json.Unmarshal(data, &v)
	return v, err
}

// FuzzValidate compares Validate, Object and Array with encoding/json.
func FuzzValidate(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Validate(data)
		stdValid := json.Valid(data)
		if err == nil {
			require.True(t, stdValid, "accepted %q, encoding/json rejects", data)
		} else {
			require.True(t, errors.Is(err, ErrSyntax) != errors.Is(err, ErrDepth), "error %v matches exactly one sentinel", err)
		}
		if stdValid && utf8.Valid(data) && !hasBadSurrogate(data) && maxDepth(data) <= MaxDepth {
			require.NoError(t, err, "rejected %q, which should be accepted", data)
		}
		if errors.Is(err, ErrDepth) && stdValid {
			require.Greater(t, maxDepth(data), MaxDepth, "depth error for %q", data)
		}

		trimmed := bytes.TrimLeft(data, jsonSpace)
		isObject := len(trimmed) > 0 && trimmed[0] == '{'
		isArray := len(trimmed) > 0 && trimmed[0] == '['
		checkObject(t, data, err == nil && isObject)
		checkArray(t, data, err == nil && isArray)
	})
}

// checkObject iterates data with Object. If valid, data is a valid object
// and the members must match what json.Decoder reports; otherwise the
// iteration must fail.
func checkObject(t *testing.T, data []byte, valid bool) {
	o := NewObject(data)
	if !valid {
		for o.Next() {
			require.NotEqual(t, KindInvalid, o.Kind())
		}
		require.Error(t, o.Err(), "Object accepted %q", data)
		return
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	for o.Next() {
		require.True(t, dec.More(), "Object returned an extra member in %q", data)
		tok, err := dec.Token()
		require.NoError(t, err)
		wantName, ok := tok.(string)
		require.True(t, ok)
		var wantValue json.RawMessage
		require.NoError(t, dec.Decode(&wantValue))

		quoted := append(append([]byte{'"'}, o.Name()...), '"')
		name, err := Unquote(quoted, nil)
		require.NoError(t, err)
		require.Equal(t, wantName, string(name))
		require.True(t, o.NameIs(wantName))
		require.False(t, o.NameIs(wantName+"\x00"))
		require.True(t, Equal(quoted, wantName))
		require.Equal(t, bytes.IndexByte(o.Name(), '\\') >= 0, o.NameEscaped())
		if !o.NameEscaped() {
			require.Equal(t, wantName, string(o.Name()))
		}

		value := o.Value()
		require.NoError(t, Validate(value))
		require.Equal(t, kindOf(value), o.Kind())
		checkSameValue(t, wantValue, value)
		checkStringEscaped(t, value, o.StringEscaped())
	}
	require.NoError(t, o.Err(), "Object rejected %q, which Validate accepts", data)
	require.False(t, dec.More(), "Object missed members of %q", data)
	tok, err = dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('}'), tok)
	_, err = dec.Token()
	require.ErrorIs(t, err, io.EOF)
}

// checkArray is checkObject for Array.
func checkArray(t *testing.T, data []byte, valid bool) {
	a := NewArray(data)
	if !valid {
		for a.Next() {
			require.NotEqual(t, KindInvalid, a.Kind())
		}
		require.Error(t, a.Err(), "Array accepted %q", data)
		return
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('['), tok)
	for a.Next() {
		require.True(t, dec.More(), "Array returned an extra element in %q", data)
		var wantValue json.RawMessage
		require.NoError(t, dec.Decode(&wantValue))
		require.NoError(t, Validate(a.Value()))
		require.Equal(t, kindOf(a.Value()), a.Kind())
		checkSameValue(t, wantValue, a.Value())
		checkStringEscaped(t, a.Value(), a.StringEscaped())
	}
	require.NoError(t, a.Err(), "Array rejected %q, which Validate accepts", data)
	require.False(t, dec.More(), "Array missed elements of %q", data)
}

// checkStringEscaped checks the StringEscaped flag of a valid value: set exactly for strings
// with escapes, and when clear for a string, its content is the value without its quotes.
func checkStringEscaped(t *testing.T, value []byte, escaped bool) {
	isString := value[0] == '"'
	require.Equal(t, isString && bytes.IndexByte(value, '\\') >= 0, escaped, "StringEscaped of %q", value)
	if isString && !escaped {
		var want string
		require.NoError(t, json.Unmarshal(value, &want))
		require.Equal(t, want, string(value[1:len(value)-1]))
	}
}

// checkSameValue compares two raw values by decoding both with
// encoding/json.
func checkSameValue(t *testing.T, want, got []byte) {
	wantAny, wantErr := unmarshalAny(want)
	gotAny, gotErr := unmarshalAny(got)
	require.Equal(t, wantErr == nil, gotErr == nil, "decoding %q: %v; %q: %v", want, wantErr, got, gotErr)
	require.True(t, reflect.DeepEqual(wantAny, gotAny), "value %q decodes to %#v, encoding/json has %q: %#v", got, gotAny, want, wantAny)
}

// kindOf returns the kind of a valid raw value from its first byte.
func kindOf(raw []byte) Kind {
	switch raw[0] {
	case 'n':
		return KindNull
	case 'f':
		return KindFalse
	case 't':
		return KindTrue
	case '"':
		return KindString
	case '[':
		return KindArray
	case '{':
		return KindObject
	}
	return KindNumber
}

// FuzzUnquote compares Unquote and Equal with encoding/json.
func FuzzUnquote(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := Unquote(raw, nil)

		var want string
		stdErr := json.Unmarshal(raw, &want)
		isString := len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"'
		if err == nil {
			require.NoError(t, stdErr, "accepted %q, encoding/json rejects", raw)
			require.Equal(t, want, string(got), "Unquote(%q)", raw)
			require.True(t, utf8.Valid(got))
			require.True(t, Equal(raw, want))
			require.False(t, Equal(raw, want+"a"))
			if len(want) > 0 {
				require.False(t, Equal(raw, want[:len(want)-1]))
				require.False(t, Equal(raw, string([]byte{want[0] ^ 1})+want[1:]))
			}
			require.NoError(t, Validate(raw))

			// A buffer of len(raw) is always big enough and is used.
			buf := make([]byte, 0, len(raw))
			got2, err := Unquote(raw, buf)
			require.NoError(t, err)
			require.Equal(t, want, string(got2))
			require.LessOrEqual(t, len(got2), len(raw)-2)
			allocs := testing.AllocsPerRun(1, func() { _, _ = Unquote(raw, buf) })
			require.Zero(t, allocs)
			return
		}

		require.ErrorIs(t, err, ErrSyntax)
		require.Nil(t, got)
		if stdErr == nil && isString && utf8.Valid(raw) && !hasBadSurrogate(raw) {
			t.Fatalf("rejected %q, which should be accepted: %v", raw, err)
		}
		if stdErr == nil {
			require.False(t, Equal(raw, want), "Equal accepted invalid %q", raw)
		}
		if isString {
			require.False(t, Equal(raw, string(raw[1:len(raw)-1])), "Equal accepted invalid %q", raw)
		}
	})
}

// numberGrammar is RFC 8259's number production.
var numberGrammar = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// smallIntGrammar is what SmallInt accepts: a JSON integer of at most 15 digits.
var smallIntGrammar = regexp.MustCompile(`^-?(0|[1-9][0-9]{0,14})$`)

// FuzzNumber compares Number with strconv.ParseFloat and encoding/json, and SmallInt with
// strconv.ParseInt.
func FuzzNumber(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		small, isSmall := SmallInt(raw)
		require.Equal(t, smallIntGrammar.Match(raw), isSmall, "SmallInt(%q)", raw)
		if isSmall {
			want, err := strconv.ParseInt(string(raw), 10, 64)
			require.NoError(t, err)
			require.Equal(t, want, small, "SmallInt(%q)", raw)
		}

		got, err := Number(raw)
		if !numberGrammar.Match(raw) {
			require.ErrorIs(t, err, ErrSyntax, "Number(%q)", raw)
			require.Zero(t, got)
			return
		}

		want, stdErr := strconv.ParseFloat(string(raw), 64)
		var viaJSON float64
		jsonErr := json.Unmarshal(raw, &viaJSON)
		if stdErr != nil {
			require.ErrorIs(t, stdErr, strconv.ErrRange)
			require.True(t, math.IsInf(want, 0))
			require.ErrorIs(t, err, strconv.ErrRange, "Number(%q)", raw)
			require.NotErrorIs(t, err, ErrSyntax)
			require.Zero(t, got)
			require.Error(t, jsonErr, "encoding/json also refuses %q", raw)
			return
		}
		require.NoError(t, err, "Number(%q)", raw)
		require.Equal(t, math.Float64bits(want), math.Float64bits(got), "Number(%q) = %v, strconv %v", raw, got, want)
		require.NoError(t, jsonErr)
		assert.Equal(t, math.Float64bits(viaJSON), math.Float64bits(got), "Number(%q) = %v, encoding/json %v", raw, got, viaJSON)
		if len(raw) <= 64 {
			allocs := testing.AllocsPerRun(1, func() { _, _ = Number(raw) })
			require.Zero(t, allocs)
		}
	})
}

// TestHelpers checks the fuzz oracles themselves.
func TestHelpers(t *testing.T) {
	assert.Equal(t, 0, maxDepth([]byte(`"[{"`)))
	assert.Equal(t, 2, maxDepth([]byte(`[{"a":"\"]"},[]]`)))
	assert.True(t, hasBadSurrogate([]byte(`"\ud800"`)))
	assert.True(t, hasBadSurrogate([]byte(`"\udc00\ud800"`)))
	assert.True(t, hasBadSurrogate([]byte(`["\u0041\ud800x"]`)))
	assert.False(t, hasBadSurrogate([]byte(`"\\ud800"`)))
	assert.False(t, hasBadSurrogate([]byte(`"\ud800\udc00\u0041"`)))
	assert.False(t, hasBadSurrogate([]byte(`{"ud800":"\\"}`)))
	assert.True(t, numberGrammar.MatchString("-0.5e+3"))
	assert.False(t, numberGrammar.MatchString("01"))
	assert.False(t, numberGrammar.MatchString(strings.Repeat("1", 3)+"\n"))
}
