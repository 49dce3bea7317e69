package web

import (
	"net/http"
	"sync"
	"time"

	"gongkai/internal/apperr"
)

// RateLimiter allows each key (a client address) a burst of requests and
// then a steady rate, with a token bucket per key. It lives in memory on
// each node; with several nodes the effective limit is per node, which is
// acceptable for flood protection. Safe for concurrent use.
type RateLimiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket // guarded by mu
	rate    float64            // tokens per second
	burst   float64
	now     func() time.Time
	lastGC  time.Time // guarded by mu
	off     bool
}

// NoRateLimit returns a limiter that allows everything, for a limit an
// operator turned off.
func NoRateLimit() *RateLimiter { return &RateLimiter{off: true} }

type bucket struct {
	tokens float64
	at     time.Time
}

// NewRateLimiter allows burst requests at once and one more every per.
func NewRateLimiter(burst int, per time.Duration, now func() time.Time) *RateLimiter {
	if now == nil {
		now = time.Now
	}
	return &RateLimiter{buckets: map[string]*bucket{}, rate: 1 / per.Seconds(), burst: float64(burst), now: now}
}

// Allow takes a token for key and reports whether one was there.
func (l *RateLimiter) Allow(key string) bool {
	if l.off {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastGC) > time.Minute {
		l.gcLocked(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens += now.Sub(b.at).Seconds() * l.rate
	if b.tokens > l.burst {
		b.tokens = l.burst
	}
	b.at = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// gcLocked drops full buckets, which carry no information.
func (l *RateLimiter) gcLocked(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.at).Seconds()*l.rate >= l.burst {
			delete(l.buckets, k)
		}
	}
	l.lastGC = now
}

// Check returns apperr.ErrRateLimited when the request's client is over the
// limit.
func (l *RateLimiter) Check(r *http.Request) error {
	if !l.Allow(ClientIP(r)) {
		return apperr.ErrRateLimited
	}
	return nil
}
