package jwtguard

import (
	"hash/maphash"
	"sync/atomic"
	"unsafe"

	"github.com/jwtguard/jwtguard/claims"
	"github.com/jwtguard/jwtguard/jwks"
)

// An entry is a verified token and its claims, allocated once: the claims a caller keeps are
// part of it.
type entry struct {
	claims   claims.Claims
	strs     [4]string // backing for Audience and Permissions while it lasts
	token    string
	key      *jwks.Key
	deadline int64 // Unix nanoseconds; the entry is dead from then on
	size     int64 // bytes charged to the cache
}

// ways is the associativity of the cache: a token may live in any slot of its set.
const ways = 4

// tokenCache maps whole tokens to their verified claims. It is a set-associative table of
// atomic pointers: lookups take no lock and allocate nothing; inserts replace an empty or
// expired slot, else a rotating victim. It is bounded in entries (the table size) and in
// bytes (entries are charged their token, payload and struct size).
//
// A token is found by the hash of its end, which holds its signature: tokens that verify
// differ there, and a token made to collide with another only lands in its set, as a hit is
// decided by comparing whole tokens. Each slot carries a tag of the hash and its entry's
// deadline, and the bytes it is charged, next to the pointer, so that a miss, and choosing
// where to insert and what that frees, cost one or two cache lines rather than a visit to
// every entry of the set. Metadata and pointer are written one after the other: a reader that
// sees them disagree at worst misses. The bytes in use are the sum of the slots' charges;
// racing puts into one slot may leave it charged for the entry of the other, which the next
// put there settles.
type tokenCache struct {
	seed   maphash.Seed
	slots  []slot
	mask   uint64 // sets - 1
	bytes  atomic.Int64
	max    int64
	victim atomic.Uint32
}

type slot struct {
	meta atomic.Uint64 // tag<<32 | deadline in Unix seconds, rounded up, of e
	size atomic.Int64  // bytes charged for the slot: e's size, but for racing puts
	e    atomic.Pointer[entry]
}

// hashedBytes is how much of the end of a token its hash covers: an RS256 signature and more.
const hashedBytes = 400

func newTokenCache(entries int, maxBytes int64) *tokenCache {
	sets := 1
	for sets*ways < entries {
		sets <<= 1
	}
	return &tokenCache{
		seed:  maphash.MakeSeed(),
		slots: make([]slot, sets*ways),
		mask:  uint64(sets - 1),
		max:   maxBytes,
	}
}

// hash returns the hash of token: its low bits choose the set, its high bits are the tag.
func (c *tokenCache) hash(token string) uint64 {
	return maphash.String(c.seed, token[max(0, len(token)-hashedBytes):])
}

func (c *tokenCache) set(h uint64) []slot {
	i := (h & c.mask) * ways
	return c.slots[i : i+ways]
}

// get returns the live claims cached for token, and the token's hash for a later put. An
// entry past its deadline, or whose key has left its set, is removed.
func (c *tokenCache) get(token string, now int64) (*claims.Claims, uint64) {
	h := c.hash(token)
	set := c.set(h)
	for i := range set {
		m := set[i].meta.Load()
		if m>>32 != h>>32 {
			continue
		}
		e := set[i].e.Load()
		if e == nil || e.token != token {
			continue
		}
		if now < e.deadline && !e.key.Revoked() {
			return &e.claims, h
		}
		if set[i].e.CompareAndSwap(e, nil) {
			c.bytes.Add(-set[i].size.Swap(0))
			set[i].meta.CompareAndSwap(m, 0) // empty, unless a put has been here since
		}
		break
	}
	return nil, h
}

// put stores e in the set of hash h, in an empty or expired slot if there is one, unless it
// alone would take more than a sixteenth of the byte budget, or the cache is over budget
// after the insert. (An entry whose key was revoked is removed when next looked up.)
func (c *tokenCache) put(e *entry, h uint64, now int64) {
	if e.size > c.max/16 {
		return
	}
	set := c.set(h)
	s := &set[c.victim.Add(1)%ways]
	nowSec := uint64(now / 1e9)
	for i := range set {
		if set[i].meta.Load()&(1<<32-1) <= nowSec { // empty (0) or expired
			s = &set[i]
			break
		}
	}
	s.e.Store(e)
	deadline := min(max((e.deadline+1e9-1)/1e9, 1), 1<<32-1) // whole seconds, never 0
	meta := h>>32<<32 | uint64(deadline)
	s.meta.Store(meta)
	if c.bytes.Add(e.size-s.size.Swap(e.size)) > c.max && s.e.CompareAndSwap(e, nil) {
		c.bytes.Add(-s.size.Swap(0))
		s.meta.CompareAndSwap(meta, 0)
	}
}

// entryBytes is the size of an entry without its payload.
const entryBytes = int(unsafe.Sizeof(entry{}))

// mallocHeader is the type header the runtime puts before a heap object that has pointers
// and is over 512 bytes.
const mallocHeader = 8

// entryWith is an entry followed by room for its payload, so that both come from one
// allocation. B is a byte array chosen so that the whole, with its malloc header, fills one
// of the runtime's size classes.
type entryWith[B any] struct {
	entry
	buf B
}

// newEntry returns a new entry and an n-byte buffer for its payload, and the bytes they take.
// Up to 3.6 KiB of payload, the two are one allocation, of the smallest of the size classes
// below that fits (not all classes: each is a generic instantiation).
func newEntry(n int) (*entry, []byte, int) {
	switch {
	case n <= 576-mallocHeader-entryBytes:
		return newEntryWith[[576 - mallocHeader - entryBytes]byte](n)
	case n <= 640-mallocHeader-entryBytes:
		return newEntryWith[[640 - mallocHeader - entryBytes]byte](n)
	case n <= 704-mallocHeader-entryBytes:
		return newEntryWith[[704 - mallocHeader - entryBytes]byte](n)
	case n <= 768-mallocHeader-entryBytes:
		return newEntryWith[[768 - mallocHeader - entryBytes]byte](n)
	case n <= 896-mallocHeader-entryBytes:
		return newEntryWith[[896 - mallocHeader - entryBytes]byte](n)
	case n <= 1024-mallocHeader-entryBytes:
		return newEntryWith[[1024 - mallocHeader - entryBytes]byte](n)
	case n <= 1280-mallocHeader-entryBytes:
		return newEntryWith[[1280 - mallocHeader - entryBytes]byte](n)
	case n <= 1536-mallocHeader-entryBytes:
		return newEntryWith[[1536 - mallocHeader - entryBytes]byte](n)
	case n <= 2048-mallocHeader-entryBytes:
		return newEntryWith[[2048 - mallocHeader - entryBytes]byte](n)
	case n <= 3072-mallocHeader-entryBytes:
		return newEntryWith[[3072 - mallocHeader - entryBytes]byte](n)
	case n <= 4096-mallocHeader-entryBytes:
		return newEntryWith[[4096 - mallocHeader - entryBytes]byte](n)
	}
	return new(entry), make([]byte, n), entryBytes + n
}

func newEntryWith[B any](n int) (*entry, []byte, int) {
	p := new(entryWith[B])
	return &p.entry, unsafe.Slice((*byte)(unsafe.Pointer(&p.buf)), n), mallocHeader + int(unsafe.Sizeof(*p))
}
