package rsakey

import (
	"crypto"
	cryptorand "crypto/rand"
	"crypto/rsa"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// BenchmarkVerify compares rsakey with crypto/rsa on the same key, hash and
// signature. Compare the two with `benchstat -col /impl`.
func BenchmarkVerify(b *testing.B) {
	const h = crypto.SHA256
	hashed := digest(h, []byte("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqd3RndWFyZCJ9"))
	for _, s := range []string{"PKCS1v15", "PSS"} {
		for _, name := range []string{key2048, key4096} {
			k := loadKey(b, name)
			std := &k.priv.PublicKey
			pssOpts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: h}

			var sig []byte
			var err error
			var ours, stdlib func() error
			switch s {
			case "PKCS1v15":
				sig, err = rsa.SignPKCS1v15(nil, k.priv, h, hashed)
				ours = func() error { return k.pub.VerifyPKCS1v15(h, hashed, sig) }
				stdlib = func() error { return rsa.VerifyPKCS1v15(std, h, hashed, sig) }
			case "PSS":
				sig, err = rsa.SignPSS(cryptorand.Reader, k.priv, h, hashed, pssOpts)
				ours = func() error { return k.pub.VerifyPSS(h, hashed, sig) }
				stdlib = func() error { return rsa.VerifyPSS(std, h, hashed, sig, pssOpts) }
			}
			require.NoError(b, err)

			for _, impl := range []struct {
				name   string
				verify func() error
			}{{"rsakey", ours}, {"stdlib", stdlib}} {
				verify := impl.verify
				b.Run(fmt.Sprintf("%s/%d/impl=%s", s, k.priv.N.BitLen(), impl.name), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := verify(); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
