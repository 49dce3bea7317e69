package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// Session is a signed-in browser. The cookie holds a random token; the
// database keeps only its SHA-256, so a leaked database does not let anyone
// take over a session.
type Session struct {
	ID          string // hex SHA-256 of the token
	UserID      int64
	CreatedAt   time.Time
	SeenAt      time.Time
	ExpiresAt   time.Time // absolute limit
	MFAOK       bool      // the second factor was checked in this session
	PendingTOTP string    // secret shown during enrolment, until confirmed
	IP          string
	UserAgent   string
}

// Session lifetimes.
const (
	SessionIdle     = 30 * time.Minute // expired after this long without a request
	SessionAbsolute = 12 * time.Hour   // a working day; then sign in again
)

// Expired reports whether s can no longer be used at now.
func (s *Session) Expired(now time.Time) bool {
	return !now.Before(s.ExpiresAt) || now.Sub(s.SeenAt) > SessionIdle
}

// NewSessionToken returns a fresh random token for the cookie and the ID
// under which its session is stored.
func NewSessionToken() (token, id string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, SessionID(token)
}

// SessionID returns the stored ID of a cookie token.
func SessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
