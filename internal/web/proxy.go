package web

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// TrustProxies makes ClientIP the reader's address when Gongkai runs
// behind reverse proxies (nginx, a WAF, a load balancer): for a request
// that comes from one of the trusted prefixes, the address is taken from
// X-Forwarded-For, read from the right, skipping addresses that are
// trusted themselves. Requests from anywhere else keep their own address,
// so no client can choose its address by sending the header. Without
// this, every reader behind a proxy shares the proxy's address: one
// flood would use up everyone's rate limits and lockouts, and the proxy's
// private address would open /metrics to the world.
func TrustProxies(trusted []netip.Prefix) Middleware {
	return func(next http.Handler) http.Handler {
		if len(trusted) == 0 {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if ip, ok := forwardedFor(r, trusted); ok {
				r = r.WithContext(context.WithValue(r.Context(), keyClientIP, ip))
			}
			next.ServeHTTP(w, r)
		})
	}
}

func isTrusted(ip netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(ip.Unmap()) {
			return true
		}
	}
	return false
}

// forwardedFor returns the client address behind trusted proxies, or
// false when the request did not come through one.
func forwardedFor(r *http.Request, trusted []netip.Prefix) (string, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return "", false
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return "", false
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	client := ""
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a malformed hop: trust nothing to its left
		}
		client = ip.Unmap().String()
		if !isTrusted(ip, trusted) {
			break
		}
	}
	if client == "" {
		return "", false
	}
	return client, true
}

// ParsePrefixes reads a list of addresses and CIDR prefixes, e.g.
// "127.0.0.1, 10.0.0.0/8"; a bare address is a prefix of its own.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil {
				return nil, err
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(s)
		if err != nil {
			return nil, err
		}
		out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
	}
	return out, nil
}
