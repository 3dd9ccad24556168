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

// validateCase is one input for Validate. err is nil for valid input and
// otherwise the sentinel the error must match.
type validateCase struct {
	name string
	in   string
	err  error
}

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// validCases are valid JSON documents. Each is also embedded as a member
// value of an object by TestObjectStrictness.
var validCases = []validateCase{
	{"null", `null`, nil},
	{"true", `true`, nil},
	{"false", `false`, nil},
	{"zero", `0`, nil},
	{"negative zero", `-0`, nil},
	{"integer", `1234567890`, nil},
	{"negative", `-12`, nil},
	{"fraction", `0.5`, nil},
	{"negative fraction", `-0.000`, nil},
	{"exponent", `1e10`, nil},
	{"upper exponent", `1E10`, nil},
	{"signed exponent", `1e+10`, nil},
	{"negative exponent", `1.5e-10`, nil},
	{"zero exponent", `0e0`, nil},
	{"leading zero exponent", `1e007`, nil},
	{"huge number", `1e999`, nil}, // grammatically fine; Number reports the range error
	{"long number", strings.Repeat("9", 400), nil},
	{"empty string", `""`, nil},
	{"string", `"hello"`, nil},
	{"all simple escapes", `"\" \\ \/ \b \f \n \r \t"`, nil},
	{"unicode escape", `"\u00e9\u00E9"`, nil},
	{"NUL escape", `"\u0000"`, nil},
	{"surrogate pair", `"\ud83d\ude00"`, nil},
	{"upper surrogate pair", `"\uD83D\uDE00"`, nil},
	{"max surrogate pair", `"\udbff\udfff"`, nil},
	{"escaped replacement char", `"\ufffd"`, nil},
	{"BMP edges", `"\ud7ff\ue000\uffff"`, nil},
	{"raw UTF-8", `"é€😀"`, nil},
	{"raw replacement char", "\"\xef\xbf\xbd\"", nil},
	{"raw max code point", "\"\xf4\x8f\xbf\xbf\"", nil},
	{"DEL", "\"\x7f\"", nil},
	{"long string", `"` + strings.Repeat("abcdefgh", 20) + `\n` + strings.Repeat("é", 20) + `"`, nil},
	{"empty array", `[]`, nil},
	{"empty object", `{}`, nil},
	{"array", `[1,"a",true,false,null,{},[]]`, nil},
	{"object", `{"a":1,"b":[{"c":null}],"":""}`, nil},
	{"duplicate names", `{"a":1,"a":2}`, nil},
	{"whitespace everywhere", " \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n, \"b\":{ } } \t\r\n", nil},
	{"empty containers with space", "[ ]", nil},
	{"escaped name", `{"e\u0078p":1}`, nil},
	{"max depth arrays", nested("[", "]", MaxDepth), nil},
	{"max depth objects", strings.Repeat(`{"a":`, MaxDepth-1) + "{}" + strings.Repeat("}", MaxDepth-1), nil},
}

// invalidCases violate one rule each.
var invalidCases = []validateCase{
	// Empty input.
	{"empty", ``, ErrSyntax},
	{"only whitespace", " \t\r\n", ErrSyntax},

	// Numbers.
	{"leading zero", `01`, ErrSyntax},
	{"negative leading zero", `-01`, ErrSyntax},
	{"double zero", `00`, ErrSyntax},
	{"plus sign", `+1`, ErrSyntax},
	{"leading dot", `.5`, ErrSyntax},
	{"negative leading dot", `-.5`, ErrSyntax},
	{"trailing dot", `1.`, ErrSyntax},
	{"dot before exponent", `1.e5`, ErrSyntax},
	{"bare exponent", `1e`, ErrSyntax},
	{"exponent sign only", `1e+`, ErrSyntax},
	{"upper exponent sign only", `1E-`, ErrSyntax},
	{"exponent without mantissa", `e5`, ErrSyntax},
	{"lone minus", `-`, ErrSyntax},
	{"double minus", `--1`, ErrSyntax},
	{"minus space", `- 1`, ErrSyntax},
	{"hex", `0x1F`, ErrSyntax},
	{"octal", `017`, ErrSyntax},
	{"underscore", `1_000`, ErrSyntax},
	{"comma decimal", `1,5`, ErrSyntax},
	{"two dots", `1.2.3`, ErrSyntax},
	{"NaN", `NaN`, ErrSyntax},
	{"Infinity", `Infinity`, ErrSyntax},
	{"negative Infinity", `-Infinity`, ErrSyntax},
	{"inf", `inf`, ErrSyntax},

	// Literals.
	{"True", `True`, ErrSyntax},
	{"FALSE", `FALSE`, ErrSyntax},
	{"Null", `Null`, ErrSyntax},
	{"truncated null", `nul`, ErrSyntax},
	{"truncated true", `t`, ErrSyntax},
	{"longer literal", `truee`, ErrSyntax},
	{"undefined", `undefined`, ErrSyntax},

	// Comments.
	{"block comment", `/* c */ 1`, ErrSyntax},
	{"line comment", "1 // c", ErrSyntax},
	{"comment in object", `{"a":1 /* c */}`, ErrSyntax},
	{"hash comment", "# c\n1", ErrSyntax},

	// Commas and structure.
	{"array trailing comma", `[1,]`, ErrSyntax},
	{"object trailing comma", `{"a":1,}`, ErrSyntax},
	{"array leading comma", `[,1]`, ErrSyntax},
	{"object leading comma", `{,"a":1}`, ErrSyntax},
	{"array double comma", `[1,,2]`, ErrSyntax},
	{"array missing comma", `[1 2]`, ErrSyntax},
	{"object missing comma", `{"a":1 "b":2}`, ErrSyntax},
	{"missing colon", `{"a" 1}`, ErrSyntax},
	{"double colon", `{"a"::1}`, ErrSyntax},
	{"missing value", `{"a":}`, ErrSyntax},
	{"name only", `{"a"}`, ErrSyntax},
	{"equals instead of colon", `{"a"=1}`, ErrSyntax},
	{"unclosed array", `[1`, ErrSyntax},
	{"unclosed object", `{"a":1`, ErrSyntax},
	{"unclosed nested", `{"a":[1}`, ErrSyntax},
	{"mismatched brackets", `[}`, ErrSyntax},
	{"stray closer", `]`, ErrSyntax},
	{"lone opener", `{`, ErrSyntax},

	// Names.
	{"single quoted name", `{'a':1}`, ErrSyntax},
	{"unquoted name", `{a:1}`, ErrSyntax},
	{"number name", `{1:1}`, ErrSyntax},
	{"null name", `{null:1}`, ErrSyntax},
	{"array name", `{[]:1}`, ErrSyntax},

	// Strings.
	{"single quoted string", `'a'`, ErrSyntax},
	{"unterminated string", `"abc`, ErrSyntax},
	{"unterminated after escape", `"abc\"`, ErrSyntax},
	{"backslash at end", `"\`, ErrSyntax},
	{"raw NUL", "\"\x00\"", ErrSyntax},
	{"raw tab", "\"\t\"", ErrSyntax},
	{"raw newline", "\"\n\"", ErrSyntax},
	{"raw CR", "\"\r\"", ErrSyntax},
	{"raw 0x1f", "\"\x1f\"", ErrSyntax},
	{"raw newline in long string", "\"" + strings.Repeat("abcdefgh", 4) + "\n" + strings.Repeat("abcdefgh", 4) + "\"", ErrSyntax},
	{"escape a", `"\a"`, ErrSyntax},
	{"escape x", `"\x41"`, ErrSyntax},
	{"escape single quote", `"\'"`, ErrSyntax},
	{"escape zero", `"\0"`, ErrSyntax},
	{"escape U", `"\U0041"`, ErrSyntax},
	{"escape v", `"\v"`, ErrSyntax},
	{"escape space", `"\ "`, ErrSyntax},
	{"escape newline", "\"\\\n\"", ErrSyntax},
	{"short unicode escape", `"\u12"`, ErrSyntax},
	{"short unicode escape at end", `"\u123`, ErrSyntax},
	{"non-hex unicode escape", `"\u12G4"`, ErrSyntax},
	{"signed unicode escape", `"\u+123"`, ErrSyntax},

	// Surrogate escapes.
	{"lone high surrogate", `"\ud800"`, ErrSyntax},
	{"lone low surrogate", `"\udc00"`, ErrSyntax},
	{"lone high surrogate then text", `"\ud800abcdef"`, ErrSyntax},
	{"high surrogate then BMP escape", `"\ud800\u0041"`, ErrSyntax},
	{"two high surrogates", `"\ud800\ud800"`, ErrSyntax},
	{"reversed pair", `"\udc00\ud800"`, ErrSyntax},
	{"high surrogate then escaped backslash", `"\ud800\\udc00"`, ErrSyntax},
	{"high surrogate then simple escape", `"\ud800\n"`, ErrSyntax},
	{"high surrogate at end", `"\udbff`, ErrSyntax},
	{"pair then lone low", `"\ud83d\ude00\ude00"`, ErrSyntax},
	{"lone surrogate in name", `{"\udfff":1}`, ErrSyntax},

	// UTF-8.
	{"invalid byte", "\"\xff\"", ErrSyntax},
	{"lone continuation byte", "\"\x80\"", ErrSyntax},
	{"overlong NUL", "\"\xc0\x80\"", ErrSyntax},
	{"overlong slash", "\"\xc0\xaf\"", ErrSyntax},
	{"overlong three bytes", "\"\xe0\x80\xaf\"", ErrSyntax},
	{"overlong four bytes", "\"\xf0\x80\x80\xaf\"", ErrSyntax},
	{"UTF-8 high surrogate", "\"\xed\xa0\x80\"", ErrSyntax},
	{"UTF-8 low surrogate", "\"\xed\xbf\xbf\"", ErrSyntax},
	{"UTF-8 surrogate pair", "\"\xed\xa0\xbd\xed\xb8\x80\"", ErrSyntax},
	{"above U+10FFFF", "\"\xf4\x90\x80\x80\"", ErrSyntax},
	{"truncated sequence", "\"\xe2\x82\"", ErrSyntax},
	{"truncated at end of input", "\"\xe2\x82", ErrSyntax},
	{"five byte form", "\"\xf8\x88\x80\x80\x80\"", ErrSyntax},
	{"invalid byte in long string", "\"" + strings.Repeat("abcdefgh", 4) + "\xff" + strings.Repeat("abcdefgh", 4) + "\"", ErrSyntax},
	{"invalid byte in name", "{\"\xfe\":1}", ErrSyntax},
	{"invalid byte outside string", "[1,\xff]", ErrSyntax},

	// Whitespace.
	{"vertical tab", "\v1", ErrSyntax},
	{"form feed", "\f1", ErrSyntax},
	{"NBSP", "\u00a01", ErrSyntax},
	{"line separator", "1\u2028", ErrSyntax},
	{"BOM", "\ufeff{}", ErrSyntax},
	{"NUL after value", "1\x00", ErrSyntax},
	{"form feed in array", "[1,\f2]", ErrSyntax},

	// Trailing content.
	{"two objects", `{} {}`, ErrSyntax},
	{"two numbers", `1 2`, ErrSyntax},
	{"trailing garbage", `{}x`, ErrSyntax},
	{"two strings", `"a""b"`, ErrSyntax},
	{"trailing comma", `[],`, ErrSyntax},
	{"extra closer", `{}}`, ErrSyntax},
	{"number then letter", `1x`, ErrSyntax},

	// Depth.
	{"too deep arrays", nested("[", "]", MaxDepth+1), ErrDepth},
	{"too deep objects", strings.Repeat(`{"a":`, MaxDepth) + "{}" + strings.Repeat("}", MaxDepth), ErrDepth},
	{"too deep mixed", strings.Repeat(`[{"a":`, MaxDepth/2) + "[]" + strings.Repeat("}]", MaxDepth/2), ErrDepth},
	{"very deep unclosed", strings.Repeat("[", 100000), ErrDepth},
}

func TestValidate(t *testing.T) {
	for _, tc := range append(append([]validateCase(nil), validCases...), invalidCases...) {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate([]byte(tc.in))
			if tc.err == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.err)
			if tc.err == ErrDepth {
				assert.NotErrorIs(t, err, ErrSyntax, "ErrDepth is its own sentinel")
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	err := Validate([]byte(`{"a":01}`))
	require.Error(t, err)
	assert.Equal(t, "jsonscan: invalid JSON: invalid character, expected ',' or '}' at offset 6", err.Error())

	err = Validate([]byte(nested("[", "]", MaxDepth+1)))
	require.Error(t, err)
	assert.Equal(t, "jsonscan: nesting too deep: more than 64 nested arrays and objects at offset 64", err.Error())
}

// jsonSpace lists the whitespace bytes of RFC 8259.
const jsonSpace = " \t\r\n"

// TestObjectStrictness embeds every Validate case as a member value, and
// every string case as a member name, and checks that Object iteration
// fails exactly where Validate does.
func TestObjectStrictness(t *testing.T) {
	for _, tc := range append(append([]validateCase(nil), validCases...), invalidCases...) {
		if tc.err == ErrDepth || strings.HasPrefix(tc.name, "max depth") {
			continue // the enclosing object adds a level; see TestObjectDepth
		}
		t.Run(tc.name, func(t *testing.T) {
			doc := `{"before":0,"k":` + tc.in + `}`
			o := NewObject([]byte(doc))
			require.True(t, o.Next(), "the first member is valid: %v", o.Err())
			assert.True(t, o.NameIs("before"))

			if tc.err != nil {
				// Usually the bad member is not returned at all, but when
				// a valid value is followed by something that cannot
				// follow it, that value may be returned before the next
				// call fails.
				for o.Next() {
				}
				assert.ErrorIs(t, o.Err(), tc.err)
				assert.Nil(t, o.Value())
				assert.Nil(t, o.Name())
				assert.Equal(t, KindInvalid, o.Kind())
				assert.False(t, o.Next(), "errors are sticky")
				return
			}
			require.True(t, o.Next(), "%v", o.Err())
			assert.True(t, o.NameIs("k"))
			assert.Equal(t, strings.Trim(tc.in, jsonSpace), string(o.Value()))
			assert.False(t, o.Next())
			assert.NoError(t, o.Err())

			trimmed := strings.Trim(tc.in, jsonSpace)
			if !strings.HasPrefix(trimmed, `"`) {
				return
			}
			// The same string as a member name.
			o = NewObject([]byte(`{` + tc.in + `:1}`))
			require.True(t, o.Next(), "%v", o.Err())
			assert.Equal(t, trimmed[1:len(trimmed)-1], string(o.Name()))
			assert.False(t, o.Next())
			assert.NoError(t, o.Err())
		})
	}
	for _, tc := range invalidCases {
		trimmed := strings.Trim(tc.in, jsonSpace)
		if !strings.HasPrefix(trimmed, `"`) || tc.err != ErrSyntax {
			continue
		}
		t.Run("name/"+tc.name, func(t *testing.T) {
			o := NewObject([]byte(`{` + tc.in + `:1}`))
			assert.False(t, o.Next())
			assert.ErrorIs(t, o.Err(), ErrSyntax)
		})
	}
}

func TestObjectDepth(t *testing.T) {
	// The top-level object is one level, so MaxDepth-1 more are allowed.
	ok := `{"a":` + nested("[", "]", MaxDepth-1) + `}`
	o := NewObject([]byte(ok))
	require.True(t, o.Next(), "%v", o.Err())
	assert.Equal(t, KindArray, o.Kind())
	assert.False(t, o.Next())
	assert.NoError(t, o.Err())

	deep := `{"a":` + nested("[", "]", MaxDepth) + `}`
	o = NewObject([]byte(deep))
	assert.False(t, o.Next())
	assert.ErrorIs(t, o.Err(), ErrDepth)
	assert.NotErrorIs(t, o.Err(), ErrSyntax)

	// An Array made from a value restarts the count, as Validate does.
	a := NewArray([]byte(nested("[", "]", MaxDepth)))
	require.True(t, a.Next())
	assert.False(t, a.Next())
	assert.NoError(t, a.Err())
	a = NewArray([]byte(nested("[", "]", MaxDepth+1)))
	assert.False(t, a.Next())
	assert.ErrorIs(t, a.Err(), ErrDepth)
}

type member struct {
	name  string // raw, between the quotes
	value string // raw
	kind  Kind
}

func TestObjectIteration(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		members []member // members returned before the end or the error
		err     error
	}{
		{"empty", `{}`, nil, nil},
		{"empty with space", " { \n } ", nil, nil},
		{"all kinds", `{"n":null,"f":false,"t":true,"num":-1.5e3,"s":"x","a":[1],"o":{"p":{}}}`, []member{
			{"n", "null", KindNull},
			{"f", "false", KindFalse},
			{"t", "true", KindTrue},
			{"num", "-1.5e3", KindNumber},
			{"s", `"x"`, KindString},
			{"a", "[1]", KindArray},
			{"o", `{"p":{}}`, KindObject},
		}, nil},
		{"escaped names kept raw", `{"a\"b":1,"\u0041":2}`, []member{
			{`a\"b`, "1", KindNumber},
			{`\u0041`, "2", KindNumber},
		}, nil},
		{"empty name", `{"":""}`, []member{{"", `""`, KindString}}, nil},
		{"duplicates returned", `{"a":1,"a":2}`, []member{{"a", "1", KindNumber}, {"a", "2", KindNumber}}, nil},
		{"whitespace trimmed from values", "{\"a\" :\t[ 1 ]\r\n,\"b\": 2 }", []member{{"a", "[ 1 ]", KindArray}, {"b", "2", KindNumber}}, nil},

		// Errors after some members.
		{"bad second value", `{"a":1,"b":-}`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		// "0" is a complete value; the error is the "1" after it.
		{"leading zero", `{"a":1,"b":01}`, []member{{"a", "1", KindNumber}, {"b", "0", KindNumber}}, ErrSyntax},
		{"bad nested value", `{"a":1,"b":[1,]}`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"deep error in first value", `{"a":{"b":{"c":[tru]}},"d":1}`, nil, ErrSyntax},
		{"bad first value", `{"a":[1,2,}`, nil, ErrSyntax},
		{"trailing comma", `{"a":1,}`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"trailing content", `{"a":1} x`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"second document", `{"a":1}{}`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"unclosed", `{"a":1`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"bad later name", `{"a":1,b:2}`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"invalid UTF-8 later", "{\"a\":1,\"b\":\"\xff\"}", []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"lone surrogate later", `{"a":1,"b":"\ud800"}`, []member{{"a", "1", KindNumber}}, ErrSyntax},
		{"too deep later", `{"a":1,"b":` + nested("[", "]", MaxDepth) + `}`, []member{{"a", "1", KindNumber}}, ErrDepth},

		// Not an object.
		{"empty input", ``, nil, ErrSyntax},
		{"array", `[]`, nil, ErrSyntax},
		{"string", `"a"`, nil, ErrSyntax},
		{"number", `1`, nil, ErrSyntax},
		{"null", `null`, nil, ErrSyntax},
		{"BOM", "\ufeff{}", nil, ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := NewObject([]byte(tc.in))
			assert.Nil(t, o.Name(), "no member before Next")
			assert.Nil(t, o.Value(), "no value before Next")
			assert.Equal(t, KindInvalid, o.Kind())
			var got []member
			for o.Next() {
				got = append(got, member{string(o.Name()), string(o.Value()), o.Kind()})
			}
			assert.Equal(t, tc.members, got)
			if tc.err == nil {
				assert.NoError(t, o.Err())
				assert.NoError(t, Validate([]byte(tc.in)))
			} else {
				assert.ErrorIs(t, o.Err(), tc.err)
				if strings.HasPrefix(strings.TrimLeft(tc.in, jsonSpace), "{") {
					assert.Error(t, Validate([]byte(tc.in)))
				}
			}
			assert.False(t, o.Next(), "the end is sticky")
			assert.Nil(t, o.Value())
			assert.Nil(t, o.Name())
			assert.Equal(t, KindInvalid, o.Kind())
		})
	}
}

func TestZeroValues(t *testing.T) {
	var o Object
	assert.False(t, o.Next())
	assert.ErrorIs(t, o.Err(), ErrSyntax)
	assert.Contains(t, o.Err().Error(), "object")
	var a Array
	assert.False(t, a.Next())
	assert.ErrorIs(t, a.Err(), ErrSyntax)
	assert.Contains(t, a.Err().Error(), "array")
}

func TestValueCapacity(t *testing.T) {
	data := []byte(`{"a":[1],"b":2}`)
	o := NewObject(data)
	require.True(t, o.Next())
	v := o.Value()
	assert.Equal(t, len(v), cap(v))
	_ = append(v, 'X')
	n := o.Name()
	assert.Equal(t, len(n), cap(n))
	_ = append(n, 'X')
	assert.Equal(t, `{"a":[1],"b":2}`, string(data), "appending to results must not modify the input")
}

func TestNameIs(t *testing.T) {
	tests := []struct {
		doc  string
		s    string
		want bool
	}{
		{`{"exp":1}`, "exp", true},
		{`{"exp":1}`, "ex", false},
		{`{"exp":1}`, "expp", false},
		{`{"exp":1}`, "EXP", false},
		{`{"e\u0078p":1}`, "exp", true},
		{`{"\u0065\u0078\u0070":1}`, "exp", true},
		{`{"e\u0078p":1}`, "e\\u0078p", false},
		{`{"e\u0078p":1}`, "ex", false},
		{`{"e\u0078p":1}`, "expx", false},
		{`{"e\u0078":1}`, "exp", false},
		{`{"\/":1}`, "/", true},
		{`{"a\"b":1}`, `a"b`, true},
		{`{"\u00e9":1}`, "é", true},
		{`{"\u00e9":1}`, "\xc3", false},
		{`{"é":1}`, "é", true},
		{`{"\ud83d\ude00":1}`, "😀", true},
		{`{"\ud83d\ude00":1}`, "\U0001F601", false},
		{`{"\u0000":1}`, "\x00", true},
		{`{"\u0000":1}`, "", false},
		{`{"":1}`, "", true},
		{`{"":1}`, "a", false},
		{`{"a\nb":1}`, "a\nb", true},
	}
	for _, tc := range tests {
		o := NewObject([]byte(tc.doc))
		require.True(t, o.Next(), "%s: %v", tc.doc, o.Err())
		assert.Equal(t, tc.want, o.NameIs(tc.s), "%s NameIs(%q)", tc.doc, tc.s)

		// Equal agrees on the same name as a string value.
		raw := `"` + string(o.Name()) + `"`
		assert.Equal(t, tc.want, Equal([]byte(raw), tc.s), "Equal(%s, %q)", raw, tc.s)
	}

	// Callers detect duplicates, even when one name is escaped.
	o := NewObject([]byte(`{"exp":1,"e\u0078p":2}`))
	seen := 0
	for o.Next() {
		if o.NameIs("exp") {
			seen++
		}
	}
	require.NoError(t, o.Err())
	assert.Equal(t, 2, seen)

	var none Object
	assert.False(t, none.NameIs(""))
}

func TestArray(t *testing.T) {
	tests := []struct {
		in     string
		values []string
		kinds  []Kind
		err    error
	}{
		{`[]`, nil, nil, nil},
		{` [ ] `, nil, nil, nil},
		{`["a",1,null,true,false,[2],{"b":3}]`,
			[]string{`"a"`, "1", "null", "true", "false", "[2]", `{"b":3}`},
			[]Kind{KindString, KindNumber, KindNull, KindTrue, KindFalse, KindArray, KindObject}, nil},
		{"[ 1 ,\n2 ]", []string{"1", "2"}, []Kind{KindNumber, KindNumber}, nil},
		{`[1,]`, []string{"1"}, []Kind{KindNumber}, ErrSyntax},
		{`[1 2]`, []string{"1"}, []Kind{KindNumber}, ErrSyntax},
		{`[1,[}]`, []string{"1"}, []Kind{KindNumber}, ErrSyntax},
		{`[1] 2`, []string{"1"}, []Kind{KindNumber}, ErrSyntax},
		{`[1`, []string{"1"}, []Kind{KindNumber}, ErrSyntax},
		{`{}`, nil, nil, ErrSyntax},
		{`"[]"`, nil, nil, ErrSyntax},
		{``, nil, nil, ErrSyntax},
	}
	for _, tc := range tests {
		a := NewArray([]byte(tc.in))
		var values []string
		var kinds []Kind
		for a.Next() {
			values = append(values, string(a.Value()))
			kinds = append(kinds, a.Kind())
		}
		assert.Equal(t, tc.values, values, tc.in)
		assert.Equal(t, tc.kinds, kinds, tc.in)
		if tc.err == nil {
			assert.NoError(t, a.Err(), tc.in)
		} else {
			assert.ErrorIs(t, a.Err(), tc.err, tc.in)
		}
		assert.False(t, a.Next())
		assert.Nil(t, a.Value())
		assert.Equal(t, KindInvalid, a.Kind())
	}
}

// unquoteCases are raw inputs for Unquote and Equal. want is used only when
// err is false.
var unquoteCases = []struct {
	raw  string
	want string
	err  bool
}{
	{`""`, "", false},
	{`"abc"`, "abc", false},
	{`"a\"b"`, `a"b`, false},
	{`"\\"`, `\`, false},
	{`"\/"`, "/", false},
	{`"\b\f\n\r\t"`, "\b\f\n\r\t", false},
	{`"\u0041\u00e9\u20ac"`, "Aé€", false},
	{`"\u0000"`, "\x00", false},
	{`"\ud83d\ude00"`, "😀", false},
	{`"\uDBFF\uDFFF"`, "\U0010FFFF", false},
	{`"x\ud83d\ude00y\u0041z"`, "x😀yAz", false},
	{`"é😀"`, "é😀", false},
	{`"\ufffd"`, "\ufffd", false},
	{`"https:\/\/tenant.auth0.com\/"`, "https://tenant.auth0.com/", false},

	{``, "", true},
	{`"`, "", true},
	{`abc`, "", true},
	{`"abc`, "", true},
	{`"a" `, "", true},
	{` "a"`, "", true},
	{`"a""b"`, "", true},
	{`"a"b"`, "", true},
	{`1`, "", true},
	{`"\ud800"`, "", true},
	{`"\udc00"`, "", true},
	{`"\ud800\u0041"`, "", true},
	{`"\x"`, "", true},
	{`"\u00g0"`, "", true},
	{"\"\xff\"", "", true},
	{"\"\xed\xa0\x80\"", "", true},
	{"\"\x01\"", "", true},
	{"\"a\nb\"", "", true},
}

func TestUnquote(t *testing.T) {
	for _, tc := range unquoteCases {
		raw := []byte(tc.raw)
		got, err := Unquote(raw, nil)
		if tc.err {
			assert.ErrorIs(t, err, ErrSyntax, "Unquote(%q)", tc.raw)
			assert.Nil(t, got)
			assert.False(t, Equal(raw, tc.want), "Equal(%q, %q)", tc.raw, tc.want)
			assert.False(t, Equal(raw, strings.Trim(tc.raw, `" `)), "Equal(%q, its inside)", tc.raw)
			continue
		}
		require.NoError(t, err, "Unquote(%q)", tc.raw)
		assert.Equal(t, tc.want, string(got), "Unquote(%q)", tc.raw)
		assert.True(t, Equal(raw, tc.want), "Equal(%q, %q)", tc.raw, tc.want)
		assert.False(t, Equal(raw, tc.want+"x"), "Equal(%q, %q+x)", tc.raw, tc.want)
		if tc.want != "" {
			assert.False(t, Equal(raw, tc.want[:len(tc.want)-1]), "Equal(%q, prefix)", tc.raw)
		}

		// With a buffer.
		buf := make([]byte, 0, len(raw))
		got2, err := Unquote(raw, buf)
		require.NoError(t, err)
		assert.Equal(t, tc.want, string(got2))
		if !strings.Contains(tc.raw, `\`) {
			// No escapes: a subslice of raw; dst untouched.
			if len(got2) > 0 {
				assert.Same(t, &raw[1], &got2[0], "Unquote(%q) must return a subslice of raw", tc.raw)
			}
		} else if len(got2) > 0 {
			assert.Same(t, &buf[:1][0], &got2[0], "Unquote(%q) must use dst", tc.raw)
		}
	}

	// A too-small dst grows.
	got, err := Unquote([]byte(`"\u0041BC"`), make([]byte, 0, 1))
	require.NoError(t, err)
	assert.Equal(t, "ABC", string(got))
	// dst's old content is discarded.
	got, err = Unquote([]byte(`"\n"`), []byte("old"))
	require.NoError(t, err)
	assert.Equal(t, "\n", string(got))
}

// numberCases are raw inputs for Number.
var numberCases = []struct {
	raw  string
	want float64
	err  error
}{
	{"0", 0, nil},
	{"-0", math.Copysign(0, -1), nil},
	{"1", 1, nil},
	{"-1", -1, nil},
	{"1700000000", 1700000000, nil},
	{"999999999999999", 999999999999999, nil},
	{"-999999999999999", -999999999999999, nil},
	{"1.5", 1.5, nil},
	{"1e3", 1000, nil},
	{"1E+3", 1000, nil},
	{"25e-1", 2.5, nil},
	{"0.1", 0.1, nil},
	{"9007199254740993", 9007199254740992, nil}, // rounds half to even
	{"1.7976931348623157e308", math.MaxFloat64, nil},
	{"4.9e-324", 5e-324, nil},
	{"1e-400", 0, nil}, // underflow is not an error, as in strconv
	{"-1e-400", math.Copysign(0, -1), nil},
	{"0." + strings.Repeat("0", 500) + "1", 0, nil},
	{strings.Repeat("1", 300), 0, nil}, // long: compared with strconv only

	{"1e309", 0, strconv.ErrRange},
	{"-1e309", 0, strconv.ErrRange},
	{"1.7976931348623159e308", 0, strconv.ErrRange},
	{"1" + strings.Repeat("0", 400), 0, strconv.ErrRange},

	{"", 0, ErrSyntax},
	{"-", 0, ErrSyntax},
	{"01", 0, ErrSyntax},
	{"+1", 0, ErrSyntax},
	{".5", 0, ErrSyntax},
	{"1.", 0, ErrSyntax},
	{"1e", 0, ErrSyntax},
	{" 1", 0, ErrSyntax},
	{"1 ", 0, ErrSyntax},
	{"0x10", 0, ErrSyntax},
	{"1_000", 0, ErrSyntax},
	{"Inf", 0, ErrSyntax},
	{"NaN", 0, ErrSyntax},
	{"infinity", 0, ErrSyntax},
	{`"1"`, 0, ErrSyntax},
	{"1e5.5", 0, ErrSyntax},
	{"0x1p-2", 0, ErrSyntax},
	{"null", 0, ErrSyntax},
}

func TestNumber(t *testing.T) {
	for _, tc := range numberCases {
		got, err := Number([]byte(tc.raw))
		if tc.err != nil {
			assert.ErrorIs(t, err, tc.err, "Number(%q)", tc.raw)
			if tc.err == strconv.ErrRange {
				assert.NotErrorIs(t, err, ErrSyntax, "Number(%q)", tc.raw)
			}
			assert.Zero(t, got, "Number(%q) returns 0 on error", tc.raw)
			continue
		}
		require.NoError(t, err, "Number(%q)", tc.raw)
		want, werr := strconv.ParseFloat(tc.raw, 64)
		require.NoError(t, werr)
		assert.Equal(t, math.Float64bits(want), math.Float64bits(got), "Number(%q) = %v, strconv %v", tc.raw, got, want)
		if len(tc.raw) < 100 {
			assert.Equal(t, math.Float64bits(tc.want), math.Float64bits(got), "Number(%q) = %v, want %v", tc.raw, got, tc.want)
		}
	}
}

func TestKindString(t *testing.T) {
	want := map[Kind]string{
		KindInvalid: "invalid",
		KindNull:    "null",
		KindFalse:   "false",
		KindTrue:    "true",
		KindNumber:  "number",
		KindString:  "string",
		KindArray:   "array",
		KindObject:  "object",
		Kind(200):   "invalid",
	}
	for k, s := range want {
		assert.Equal(t, s, k.String())
	}
}

// claims is a realistic JWT claim set.
var claims = []byte(`{"iss":"https://tenant.auth0.com/","sub":"auth0|abc","aud":["https://api.example.com","https://tenant.auth0.com/userinfo"],"iat":1700000000,"exp":1700086400,"scope":"openid read:contacts","permissions":["read:contacts"],"https://example.com/roles":["admin"],"org_id":"org_123"}`)

// claimsResult is what readClaims extracts.
type claimsResult struct {
	issOK, audOK bool
	iat, exp     float64
	scope        []byte
	permissions  int
	members      int
}

// readClaims walks claims the way a verifier does, using every part of the
// API, and fails on any surprise.
func readClaims(data, buf []byte, r *claimsResult) error {
	*r = claimsResult{}
	o := NewObject(data)
	for o.Next() {
		r.members++
		var err error
		switch {
		case o.NameIs("iss"):
			r.issOK = o.Kind() == KindString && Equal(o.Value(), "https://tenant.auth0.com/")
		case o.NameIs("aud"):
			if o.Kind() != KindArray {
				return errors.New("aud is not an array")
			}
			a := NewArray(o.Value())
			for a.Next() {
				if a.Kind() == KindString && Equal(a.Value(), "https://api.example.com") {
					r.audOK = true
				}
			}
			err = a.Err()
		case o.NameIs("iat"):
			r.iat, err = Number(o.Value())
		case o.NameIs("exp"):
			r.exp, err = Number(o.Value())
		case o.NameIs("scope"):
			r.scope, err = Unquote(o.Value(), buf)
		case o.NameIs("permissions"):
			a := NewArray(o.Value())
			for a.Next() {
				r.permissions++
			}
			err = a.Err()
		}
		if err != nil {
			return err
		}
	}
	return o.Err()
}

func TestClaims(t *testing.T) {
	var r claimsResult
	require.NoError(t, readClaims(claims, make([]byte, 0, 64), &r))
	assert.True(t, r.issOK)
	assert.True(t, r.audOK)
	assert.Equal(t, 1700000000.0, r.iat)
	assert.Equal(t, 1700086400.0, r.exp)
	assert.Equal(t, "openid read:contacts", string(r.scope))
	assert.Equal(t, 1, r.permissions)
	assert.Equal(t, 9, r.members)
}

func TestAllocs(t *testing.T) {
	// Escaped strings force Unquote to write into the caller's buffer.
	escaped := []byte(strings.Replace(string(claims), `"openid read:contacts"`, `"openid\u0020read:contacts"`, 1))
	deep := []byte(`{"a":` + strings.Repeat(`[{"b":`, MaxDepth/2-1) + `"\ud83d\ude00"` + strings.Repeat(`}]`, MaxDepth/2-1) + `}`)
	buf := make([]byte, 0, 64)
	var r claimsResult
	allocs := testing.AllocsPerRun(100, func() {
		if err := readClaims(claims, buf, &r); err != nil {
			panic(err)
		}
		if err := readClaims(escaped, buf, &r); err != nil {
			panic(err)
		}
		if err := Validate(claims); err != nil {
			panic(err)
		}
		if err := Validate(deep); err != nil {
			panic(err)
		}
		if _, err := Number([]byte("1234567890.1234567890123456789012345678901234567890e-5")); err != nil {
			panic(err)
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, "openid read:contacts", string(r.scope))
}

func BenchmarkClaims(b *testing.B) {
	buf := make([]byte, 0, 64)
	var r claimsResult
	b.SetBytes(int64(len(claims)))
	b.ReportAllocs()
	for b.Loop() {
		if err := readClaims(claims, buf, &r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateClaims(b *testing.B) {
	b.SetBytes(int64(len(claims)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate(claims); err != nil {
			b.Fatal(err)
		}
	}
}
