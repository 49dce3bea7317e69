package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestTrustProxiesTakesTheReaderBehindTrustedProxiesOnly(t *testing.T) {
	trusted, err := ParsePrefixes([]string{"10.0.0.0/8", "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, remote string
		xff          []string
		want         string
	}{
		{"direct reader keeps its address", "203.0.113.7:5000", nil, "203.0.113.7"},
		{"direct reader cannot choose one", "203.0.113.7:5000", []string{"1.2.3.4"}, "203.0.113.7"},
		{"through the proxy", "127.0.0.1:5000", []string{"198.51.100.9"}, "198.51.100.9"},
		{"through two trusted proxies", "10.1.1.1:5000", []string{"198.51.100.9, 10.2.2.2"}, "198.51.100.9"},
		{"a forged hop left of the real one is ignored", "10.1.1.1:5000", []string{"1.2.3.4, 198.51.100.9"}, "198.51.100.9"},
		{"several header lines", "10.1.1.1:5000", []string{"1.2.3.4", "198.51.100.9"}, "198.51.100.9"},
		{"garbage stops the walk", "10.1.1.1:5000", []string{"1.2.3.4, nonsense"}, "10.1.1.1"},
		{"proxy without the header", "10.1.1.1:5000", nil, "10.1.1.1"},
		{"IPv6 reader", "127.0.0.1:5000", []string{"2001:db8::5"}, "2001:db8::5"},
	}
	for _, tt := range tests {
		var got string
		h := TrustProxies(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = ClientIP(r) }))
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tt.want {
			t.Errorf("%s: ClientIP = %q, want %q", tt.name, got, tt.want)
		}
	}
	if _, err := ParsePrefixes([]string{"10.0.0.0/33"}); err == nil {
		t.Error("a bad prefix was accepted")
	}
}
