package jwtguard

import (
	"errors"

	"github.com/jwtguard/jwtguard/jwks"
)

// Errors returned by Verify. Every rejected token matches ErrInvalidToken and one more
// specific sentinel; keys that cannot be had match ErrKeysUnavailable instead, so that
// transports can tell "invalid" (401) from "cannot verify now" (503). Compare with errors.Is;
// the text is not part of the API.
var (
	// ErrInvalidToken is matched by every error that rejects a token.
	ErrInvalidToken = errors.New("jwtguard: invalid token")
	// ErrNoToken means the request carried no token; Verify returns it for "".
	ErrNoToken = errors.New("jwtguard: no bearer token")
	// ErrMalformed means the token is not a well-formed compact JWS with JSON header and
	// claims: bad structure, bad base64url, bad or ambiguous JSON, ill-typed or duplicate
	// claims, or over the size limit. JWE and the JWS JSON serialization are malformed here.
	ErrMalformed = errors.New("jwtguard: malformed token")
	// ErrUnsupportedAlgorithm means the header's "alg" is not in Config.Algorithms ("none"
	// never is).
	ErrUnsupportedAlgorithm = errors.New("jwtguard: algorithm not allowed")
	// ErrUnsupportedHeader means the header asks for something jwtguard refuses: "crit",
	// "b64" or "zip".
	ErrUnsupportedHeader = errors.New("jwtguard: unsupported header parameter")
	// ErrType means the header's "typ" is not "JWT", "at+jwt" or "application/at+jwt", or
	// is not "at+jwt" when Config.RequireAccessTokenType is set.
	ErrType = errors.New("jwtguard: unexpected token type")
	// ErrSignature means the signature does not verify with the key named by the header.
	ErrSignature = errors.New("jwtguard: invalid signature")
	// ErrUnknownKey means the issuer's key source has no key with the header's "kid".
	ErrUnknownKey = jwks.ErrUnknownKey
	// ErrKeyMismatch means the key named by "kid" cannot verify the header's "alg": its
	// type, curve, size or own "alg" does not fit (algorithm confusion).
	ErrKeyMismatch = jwks.ErrKeyMismatch
	// ErrKeysUnavailable means the issuer's keys cannot be had now (never fetched, or staler
	// than allowed). It does not match ErrInvalidToken: answer 503, not 401.
	ErrKeysUnavailable = jwks.ErrUnavailable

	// ErrExpired means "exp" has passed, or the token is older than Config.MaxAge.
	ErrExpired = errors.New("jwtguard: token expired")
	// ErrNotYetValid means "nbf" or "iat" lies in the future.
	ErrNotYetValid = errors.New("jwtguard: token not yet valid")
	// ErrIssuer means "iss" is missing or not a configured issuer.
	ErrIssuer = errors.New("jwtguard: issuer not accepted")
	// ErrAudience means "aud" names none of the configured audiences.
	ErrAudience = errors.New("jwtguard: audience not accepted")
	// ErrMissingClaim means a claim that must be present is not.
	ErrMissingClaim = errors.New("jwtguard: required claim missing")
	// ErrAuthorizedParty means "azp"/"client_id" is not in Config.AuthorizedParties.
	ErrAuthorizedParty = errors.New("jwtguard: client not accepted")
	// ErrOrganization means "org_id" is not in Config.Organizations.
	ErrOrganization = errors.New("jwtguard: organization not accepted")
	// ErrRejected means Config.Validate rejected the claims; its error is wrapped too.
	ErrRejected = errors.New("jwtguard: claims rejected")
)

// A TokenError rejects a token for a reason that concerns the token as a whole. It matches
// ErrInvalidToken and Err.
type TokenError struct {
	Err    error  // one of the sentinels above
	Detail string // a short, token-free explanation for logs, or ""
}

func (e *TokenError) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

// Unwrap returns ErrInvalidToken and Err.
func (e *TokenError) Unwrap() []error { return []error{ErrInvalidToken, e.Err} }

// A ClaimError reports the claim that failed. It matches ErrInvalidToken and Err.
type ClaimError struct {
	Claim string // "iss", "aud", "exp", ...
	Err   error
}

func (e *ClaimError) Error() string {
	return "jwtguard: invalid " + e.Claim + " claim: " + e.Err.Error()
}

// Unwrap returns ErrInvalidToken and Err.
func (e *ClaimError) Unwrap() []error { return []error{ErrInvalidToken, e.Err} }

// Errors returned on the hot path are allocated once: rejecting a flood of bad tokens costs
// no garbage. They are never modified.
var (
	errTooLarge    = &TokenError{Err: ErrMalformed, Detail: "token exceeds the size limit"}
	errStructure   = &TokenError{Err: ErrMalformed, Detail: "not a compact JWS (three base64url parts)"}
	errBase64      = &TokenError{Err: ErrMalformed, Detail: "invalid base64url"}
	errHeaderJSON  = &TokenError{Err: ErrMalformed, Detail: "invalid header JSON"}
	errHeaderParam = &TokenError{Err: ErrMalformed, Detail: "duplicate, ill-typed or too many header parameters"}
	errPayloadJSON = &TokenError{Err: ErrMalformed, Detail: "invalid claims JSON"}
	errClaimDup    = &TokenError{Err: ErrMalformed, Detail: "duplicate claim or too many claims"}
	errNoAlg       = &TokenError{Err: ErrUnsupportedAlgorithm, Detail: "missing alg"}
	errAlg         = &TokenError{Err: ErrUnsupportedAlgorithm}
	errCrit        = &TokenError{Err: ErrUnsupportedHeader, Detail: "crit"}
	errB64         = &TokenError{Err: ErrUnsupportedHeader, Detail: "b64"}
	errZip         = &TokenError{Err: ErrUnsupportedHeader, Detail: "zip"}
	errTyp         = &TokenError{Err: ErrType}
	errSignature   = &TokenError{Err: ErrSignature}
	errUnknownKey  = &TokenError{Err: ErrUnknownKey}
	errKeyMismatch = &TokenError{Err: ErrKeyMismatch}
	errExp         = &ClaimError{Claim: "exp", Err: ErrExpired}
	errExpMissing  = &ClaimError{Claim: "exp", Err: ErrMissingClaim}
	errNbf         = &ClaimError{Claim: "nbf", Err: ErrNotYetValid}
	errIatFuture   = &ClaimError{Claim: "iat", Err: ErrNotYetValid}
	errIatMissing  = &ClaimError{Claim: "iat", Err: ErrMissingClaim}
	errMaxAge      = &ClaimError{Claim: "iat", Err: ErrExpired}
	errIss         = &ClaimError{Claim: "iss", Err: ErrIssuer}
	errAud         = &ClaimError{Claim: "aud", Err: ErrAudience}
	errAzp         = &ClaimError{Claim: "azp", Err: ErrAuthorizedParty}
	errOrg         = &ClaimError{Claim: "org_id", Err: ErrOrganization}
)

// claimTypeError reports a registered claim of the wrong JSON type.
func claimTypeError(name string) error {
	return &ClaimError{Claim: name, Err: ErrMalformed}
}

// missingClaimError reports a claim listed in Config.RequiredClaims that is absent.
func missingClaimError(name string) error {
	return &ClaimError{Claim: name, Err: ErrMissingClaim}
}

// rejectedError wraps the error of Config.Validate.
type rejectedError struct{ err error }

func (e *rejectedError) Error() string   { return "jwtguard: claims rejected: " + e.err.Error() }
func (e *rejectedError) Unwrap() []error { return []error{ErrInvalidToken, ErrRejected, e.err} }
