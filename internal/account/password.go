package account

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// HashParams are the argon2id cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultHashParams cost about 100–150 ms and 64 MiB per hash on a small
// server, the OWASP-recommended order of magnitude.
var DefaultHashParams = HashParams{Memory: 64 * 1024, Time: 2, Threads: 2}

// TestHashParams are cheap parameters for tests only.
var TestHashParams = HashParams{Memory: 1024, Time: 1, Threads: 1}

// Hasher hashes and checks passwords. Each hash takes Memory KiB, so the
// number of hashes running at once is capped; a burst of logins queues
// instead of exhausting memory. Safe for concurrent use.
type Hasher struct {
	params HashParams
	sem    chan struct{}
}

// NewHasher returns a Hasher that runs at most concurrent hashes at once.
func NewHasher(p HashParams, concurrent int) *Hasher {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{params: p, sem: make(chan struct{}, concurrent)}
}

// ErrBadHash reports a stored hash that cannot be parsed.
var ErrBadHash = errors.New("account: malformed password hash")

// Hash returns the argon2id hash of password in PHC string form.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("read salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	p := h.params
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check reports whether password matches the stored hash. It takes the
// parameters from the hash, so hashes made with older parameters still work.
func (h *Hasher) Check(ctx context.Context, hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	var p HashParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyCheck spends the time of one Check, so that signing in with an
// unknown user name takes as long as with a wrong password.
func (h *Hasher) DummyCheck(ctx context.Context) {
	if err := h.acquire(ctx); err != nil {
		return
	}
	defer h.release()
	p := h.params
	argon2.IDKey([]byte("dummy"), []byte("0123456789abcdef"), p.Time, p.Memory, p.Threads, 32)
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// RandomPassword returns a password that satisfies CheckPassword, for new
// accounts and resets; the user changes it at first sign-in.
func RandomPassword() string {
	const (
		lower  = "abcdefghijkmnpqrstuvwxyz"
		upper  = "ABCDEFGHJKLMNPQRSTUVWXYZ"
		digits = "23456789"
	)
	pick := func(set string, n int) []byte {
		b := make([]byte, n)
		r := make([]byte, n)
		if _, err := rand.Read(r); err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		for i := range b {
			b[i] = set[int(r[i])%len(set)]
		}
		return b
	}
	pw := append(append(pick(upper, 3), pick(lower, 6)...), pick(digits, 3)...)
	return string(pw[:4]) + "-" + string(pw[4:8]) + "-" + string(pw[8:])
}
