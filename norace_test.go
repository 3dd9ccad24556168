//go:build !race

package jwtguard_test

const raceEnabled = false
