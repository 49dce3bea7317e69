package web_test

import (
	"testing"
	"time"

	"gongkai/internal/web"
)

func TestRateLimiterAllowsBurstThenRate(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	l := web.NewRateLimiter(3, time.Second, func() time.Time { return now })
	for i := range 3 {
		if !l.Allow("1.2.3.4") {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	if l.Allow("1.2.3.4") {
		t.Fatal("request over the burst allowed")
	}
	if !l.Allow("5.6.7.8") {
		t.Fatal("another address refused")
	}
	now = now.Add(time.Second)
	if !l.Allow("1.2.3.4") {
		t.Error("refilled token refused")
	}
}

func TestSafeLocalPath(t *testing.T) {
	for p, want := range map[string]bool{
		"/admin/users": true, "//evil.example/": false, "https://evil.example/": false, "/\\evil.example": false, "admin": false, "/a\r\nb": false,
	} {
		if got := web.SafeLocalPath(p); got != want {
			t.Errorf("SafeLocalPath(%q) = %v, want %v", p, got, want)
		}
	}
}
