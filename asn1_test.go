package jwtguard_test

import "encoding/asn1"

func asn1Marshal(v any) ([]byte, error) { return asn1.Marshal(v) }
