package jwks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/MicahParks/jwkset"
	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// Keyfunc returns a jwt.Keyfunc for github.com/golang-jwt/jwt/v5, for code that still parses
// tokens with golang-jwt while it moves to jwtguard. It is safe for concurrent use.
//
// Each call first asks [Cache.Key] for the token's "kid" and "alg", so the cache's rules hold:
// the key must fit the algorithm, unknown kids refresh under the cooldown (waiting at most
// FetchTimeout, as a jwt.Keyfunc has no context), stale keys are refused with ErrUnavailable.
// Then keyfunc/v3, over a read-only jwkset.Storage view of the current set, returns the public
// key. Always pass jwt.WithValidMethods to the parser as well: golang-jwt does not otherwise
// restrict the algorithms it accepts.
func (c *Cache) Keyfunc() jwt.Keyfunc {
	kf, err := keyfunc.New(keyfunc.Options{
		Storage:      storageView{c},
		UseWhitelist: []jwkset.USE{jwkset.UseSig},
	})
	return func(t *jwt.Token) (any, error) {
		if err != nil {
			return nil, fmt.Errorf("jwks: keyfunc: %w", err)
		}
		alg, _ := t.Header["alg"].(string)
		var kid string
		if v, ok := t.Header["kid"]; ok {
			if kid, ok = v.(string); !ok {
				return nil, fmt.Errorf("%w: \"kid\" is not a string", ErrUnknownKey)
			}
		}
		ctx := context.Background()
		if _, err := c.Key(ctx, kid, alg); err != nil {
			return nil, err
		}
		return kf.KeyfuncCtx(ctx)(t)
	}
}

// jwks returns the set as jwkset keys, converting it on first use. Keys jwkset cannot express
// are left out (none that ParseSet accepts).
func (s *snapshot) jwks() *jwkset.MemoryJWKSet {
	s.jwkOnce.Do(func() {
		list := make([]jwkset.JWK, 0, len(s.set.keys))
		for _, k := range s.set.keys {
			j, err := jwkset.NewJWKFromKey(k.Public(), jwkset.JWKOptions{Metadata: jwkset.JWKMetadataOptions{
				KID: k.ID(),
				ALG: jwkset.ALG(k.Algorithm()),
				USE: jwkset.UseSig,
			}})
			if err == nil {
				list = append(list, j)
			}
		}
		s.jwk = jwkset.NewMemoryStorage()
		_ = s.jwk.KeyReplaceAll(context.Background(), list) // cannot fail
	})
	return s.jwk
}

var errReadOnly = errors.New("jwks: the cache's key storage is read-only")

// storageView is a read-only jwkset.Storage over the cache's current set.
type storageView struct{ c *Cache }

var _ jwkset.Storage = storageView{}

func (v storageView) mem() *jwkset.MemoryJWKSet {
	if s := v.c.cur.Load(); s != nil {
		return s.jwks()
	}
	return jwkset.NewMemoryStorage()
}

func (v storageView) KeyRead(ctx context.Context, kid string) (jwkset.JWK, error) {
	return v.mem().KeyRead(ctx, kid)
}

func (v storageView) KeyReadAll(ctx context.Context) ([]jwkset.JWK, error) {
	return v.mem().KeyReadAll(ctx)
}

func (v storageView) KeyDelete(context.Context, string) (bool, error)   { return false, errReadOnly }
func (v storageView) KeyReplaceAll(context.Context, []jwkset.JWK) error { return errReadOnly }
func (v storageView) KeyWrite(context.Context, jwkset.JWK) error        { return errReadOnly }

func (v storageView) JSON(ctx context.Context) (json.RawMessage, error) {
	return v.mem().JSON(ctx)
}

func (v storageView) JSONPublic(ctx context.Context) (json.RawMessage, error) {
	return v.mem().JSONPublic(ctx)
}

// JSONPrivate returns the public keys: the cache holds nothing else.
func (v storageView) JSONPrivate(ctx context.Context) (json.RawMessage, error) {
	return v.mem().JSONPublic(ctx)
}

func (v storageView) JSONWithOptions(ctx context.Context, m jwkset.JWKMarshalOptions, o jwkset.JWKValidateOptions) (json.RawMessage, error) {
	return v.mem().JSONWithOptions(ctx, m, o)
}

func (v storageView) Marshal(ctx context.Context) (jwkset.JWKSMarshal, error) {
	return v.mem().Marshal(ctx)
}

func (v storageView) MarshalWithOptions(ctx context.Context, m jwkset.JWKMarshalOptions, o jwkset.JWKValidateOptions) (jwkset.JWKSMarshal, error) {
	return v.mem().MarshalWithOptions(ctx, m, o)
}
