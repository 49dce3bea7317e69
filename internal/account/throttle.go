package account

import "time"

// Throttle rules for signing in. Failures are counted per account and per
// client address; crossing a limit locks that key for LockFor. Counting per
// address too stops one address from guessing many accounts' passwords,
// counting per account stops many addresses from guessing one.
type Throttle struct {
	AccountLimit int           // failures before the account is locked
	IPLimit      int           // failures before the address is locked
	Window       time.Duration // failures older than this are forgotten
	LockFor      time.Duration
}

// DefaultThrottle locks an account after 5 failures and an address after 20
// within 15 minutes, for 15 minutes.
var DefaultThrottle = Throttle{AccountLimit: 5, IPLimit: 20, Window: 15 * time.Minute, LockFor: 15 * time.Minute}

// Counter is the failure state of one throttle key.
type Counter struct {
	Failures    int
	WindowStart time.Time
	LockedUntil time.Time
}

// Locked reports whether c is locked at now.
func (c Counter) Locked(now time.Time) bool { return now.Before(c.LockedUntil) }

// Fail returns c after one more failure at now, locked if it reached limit.
func (t Throttle) Fail(c Counter, now time.Time, limit int) Counter {
	if c.WindowStart.IsZero() || now.Sub(c.WindowStart) > t.Window {
		c = Counter{WindowStart: now, LockedUntil: c.LockedUntil}
	}
	c.Failures++
	if c.Failures >= limit {
		c.LockedUntil = now.Add(t.LockFor)
		c.Failures = 0
		c.WindowStart = time.Time{}
	}
	return c
}
