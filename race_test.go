//go:build race

package jwtguard_test

// raceEnabled: under the race detector sync.Pool drops a quarter of what is put back, so
// pooled scratch is reallocated and allocation counts mean nothing.
const raceEnabled = true
