//go:build !amd64 || purego

package b64

// useAVX2 is false: there is no vector loop on this platform.
var useAVX2 = false

// decodeBlocks consumes nothing: the scalar loop decodes everything.
func decodeBlocks(dst []byte, src string) (consumed int, ok bool) { return 0, true }
