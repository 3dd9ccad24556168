package rsakey

import (
	"bytes"
	"crypto"
	"testing"
)

// fuzzKeys are the keys the fuzz targets choose from: a common 2048-bit key,
// one whose size makes the PSS encoding a byte shorter than the modulus, and
// one with e = 3.
var fuzzKeys = []string{key2048, key2049, key2048e3}

// Fuzz modes, chosen by bits 4-5 of the selector byte.
const (
	modeMutateSig    = iota // apply the mutations to a valid signature
	modeRawSig              // use the mutation bytes themselves as the signature
	modeMutateEM            // apply the mutations to the valid encoded message, then sign it raw
	modeMutateDigest        // apply the mutations to the digest
)

// mutate applies the mutation program mut to a copy of b. mut is read in
// 4-byte instructions (op, position high byte, position low byte, value).
func mutate(b, mut []byte) []byte {
	b = bytes.Clone(b)
	for ; len(mut) >= 4; mut = mut[4:] {
		op, pos, val := mut[0], int(mut[1])<<8|int(mut[2]), mut[3]
		switch op % 5 {
		case 0:
			if len(b) > 0 {
				b[pos%len(b)] ^= val
			}
		case 1:
			if len(b) > 0 {
				b[pos%len(b)] = val
			}
		case 2:
			b = b[:pos%(len(b)+1)]
		case 3:
			b = append(b, val)
		case 4:
			b = append([]byte{val}, b...)
		}
	}
	return b
}

// fuzzOne decodes one fuzz input and checks that rsakey and crypto/rsa reach
// the same verdict. sel picks the hash (bits 0-1), the key (bits 2-3) and the
// mode (bits 4-5). encode returns the valid encoded message for the digest.
func fuzzOne(t *testing.T, sel uint8, msg, mut []byte,
	encode func(t *testing.T, k *testKey, h crypto.Hash, hashed, msg []byte) []byte,
	verdicts func(k *testKey, h crypto.Hash, hashed, sig []byte) (ours, std error),
) {
	h := supportedHashes[int(sel&3)%len(supportedHashes)]
	k := loadKey(t, fuzzKeys[int(sel>>2&3)%len(fuzzKeys)])
	hashed := digest(h, msg)

	var sig []byte
	var want *bool
	switch sel >> 4 & 3 {
	case modeMutateSig:
		good := k.rawSign(encode(t, k, h, hashed, msg))
		sig = mutate(good, mut)
		if bytes.Equal(sig, good) {
			want = valid
		}
	case modeRawSig:
		sig = mut
	case modeMutateEM:
		em := encode(t, k, h, hashed, msg)
		bad := mutate(em, mut)
		if bytes.Equal(bad, em) {
			want = valid
		}
		sig = k.rawSign(bad)
	case modeMutateDigest:
		sig = k.rawSign(encode(t, k, h, hashed, msg))
		bad := mutate(hashed, mut)
		if bytes.Equal(bad, hashed) {
			want = valid
		}
		hashed = bad
	}
	ours, std := verdicts(k, h, hashed, sig)
	checkVerdicts(t, ours, std, want, k.name, h, "mode", sel>>4&3)
}

// addSeeds adds every selector with a few messages and mutation programs.
func addSeeds(f *testing.F) {
	for sel := range 64 {
		f.Add(uint8(sel), []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqd3RndWFyZCJ9"), []byte{})
	}
	muts := [][]byte{
		{0, 0, 0, 0x80},          // flip the top bit
		{0, 0, 1, 0x01},          // flip a low bit of byte 1
		{0, 0, 255, 0x01},        // flip the last bit of a 2048-bit value
		{1, 0, 0, 0x00},          // clear the first byte
		{2, 0, 255, 0},           // truncate by one byte
		{3, 0, 0, 0},             // append a zero byte
		{4, 0, 0, 0},             // prepend a zero byte
		{4, 0, 0, 0, 2, 1, 0, 0}, // prepend a zero byte, truncate to 256 bytes
		{1, 0, 1, 0x02},          // PKCS #1 block type 2
		{1, 0, 255, 0xbb},        // PSS trailer
		{0, 0, 128, 0xff},        // mid-value corruption
	}
	for i, m := range muts {
		f.Add(uint8(i*3), []byte("x"), m)                          // signature mutations
		f.Add(uint8(modeMutateEM<<4|i%3|(i%3)<<2), []byte("y"), m) // encoding mutations
		f.Add(uint8(modeMutateDigest<<4|i%3), []byte("z"), m)      // digest mutations
	}
	for _, raw := range [][]byte{
		make([]byte, 256),
		bytes.Repeat([]byte{0xff}, 256),
		append(make([]byte, 255), 1),
		bytes.Repeat([]byte{0x5a}, 257),
		{},
	} {
		f.Add(uint8(modeRawSig<<4), []byte("raw"), raw)
		f.Add(uint8(modeRawSig<<4|1<<2), []byte("raw"), raw)
	}
}

func FuzzVerifyPKCS1v15(f *testing.F) {
	addSeeds(f)
	encode := func(t *testing.T, k *testKey, h crypto.Hash, hashed, _ []byte) []byte {
		return pkcs1EM(k.pub.Size(), digestInfo(t, h, hashed))
	}
	f.Fuzz(func(t *testing.T, sel uint8, msg, mut []byte) {
		fuzzOne(t, sel, msg, mut, encode, pkcs1Verdicts)
	})
}

func FuzzVerifyPSS(f *testing.F) {
	addSeeds(f)
	encode := func(_ *testing.T, k *testKey, h crypto.Hash, hashed, msg []byte) []byte {
		// A deterministic salt of hLen bytes derived from the message.
		salt := digest(h, append([]byte("salt"), msg...))
		return pssEncode(pssParams{h: h}, hashed, salt, k.priv.N.BitLen(), k.pub.Size())
	}
	f.Fuzz(func(t *testing.T, sel uint8, msg, mut []byte) {
		fuzzOne(t, sel, msg, mut, encode, pssVerdicts)
	})
}
