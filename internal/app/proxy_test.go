package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"gongkai/internal/config"
)

// TestTrustedProxyGivesReadersTheirOwnAddress runs behind a "proxy" on
// loopback: /metrics is refused to a public reader it forwards, and each
// forwarded reader has a search limit of its own.
func TestTrustedProxyGivesReadersTheirOwnAddress(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: t.TempDir(), TrustedProxies: []string{"127.0.0.1"}})
	b := e.browser()
	get := func(path, from string) int {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		if from != "" {
			req.Header.Set("X-Forwarded-For", from)
		}
		return b.do(req).status
	}
	if s := get("/metrics", ""); s != http.StatusOK {
		t.Errorf("/metrics from the host itself = %d, want 200", s)
	}
	if s := get("/metrics", "203.0.113.5"); s != http.StatusNotFound {
		t.Errorf("/metrics for a public reader behind the proxy = %d, want 404", s)
	}
	refused := map[string]int{}
	for i := range 35 {
		for _, reader := range []string{"203.0.113.5", "198.51.100.7"} {
			if get("/search?q="+url.QueryEscape(fmt.Sprint("低保", reader, i)), reader) == http.StatusTooManyRequests {
				refused[reader]++
			}
		}
	}
	// Each reader has a burst of 30 of its own: a few of 35 refused each,
	// where one shared address would refuse 40 of the 70.
	for _, reader := range []string{"203.0.113.5", "198.51.100.7"} {
		if refused[reader] == 0 || refused[reader] > 5 {
			t.Errorf("reader %s: %d of 35 searches refused, want a few", reader, refused[reader])
		}
	}
}
