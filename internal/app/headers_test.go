package app_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/demo"
)

// routePattern finds the patterns every UI registers on its mux.
var routePattern = regexp.MustCompile(`mux\.Handle\("(?:([A-Z]+) )?(/[^"]*)"`)

// route is one registered pattern, with whether it is relative to an
// org's site (public pages are served under /mzj/ and at the root).
type route struct {
	method, pattern string
	site            bool
}

// registeredRoutes reads the route patterns from the source of the UIs,
// so a route added later is walked without touching this test.
func registeredRoutes(t *testing.T) []route {
	t.Helper()
	var routes []route
	for _, dir := range []string{".", "../admin", "../site"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range routePattern.FindAllStringSubmatch(string(src), -1) {
				routes = append(routes, route{method: m[1], pattern: m[2], site: dir == "../site" && !strings.HasPrefix(m[2], "/api/")})
			}
		}
	}
	if len(routes) < 100 {
		t.Fatalf("found %d route patterns in the source, want the whole application", len(routes))
	}
	return routes
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// concrete turns a pattern into a request path with demo values.
func concrete(pattern string) string {
	return wildcard.ReplaceAllStringFunc(pattern, func(w string) string {
		switch strings.Trim(w, "{}.") {
		case "$":
			return ""
		case "sha":
			return strings.Repeat("0", 64)
		case "slug":
			return "tzgg"
		case "code":
			return "mzj"
		case "year":
			return "2026"
		case "name":
			return "x.pdf"
		default:
			return "1"
		}
	})
}

// checkHeaders fails unless a response carries the security headers.
func checkHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	dirs := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), " ")
		dirs[name] = val
	}
	script, ok := dirs["script-src"]
	if !ok {
		script = dirs["default-src"]
	}
	if csp == "" || dirs["frame-ancestors"] != "'none'" || strings.Contains(script, "'unsafe-inline'") ||
		strings.Contains(script, "'unsafe-eval'") || (script != "'self'" && script != "'none'") {
		t.Errorf("%s: Content-Security-Policy = %q, want scripts from 'self' only, no inline script, frame-ancestors 'none'", what, csp)
	}
	if rp := h.Get("Referrer-Policy"); rp != "strict-origin-when-cross-origin" && rp != "no-referrer" && rp != "same-origin" {
		t.Errorf("%s: Referrer-Policy = %q, want strict-origin-when-cross-origin or stricter", what, rp)
	}
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
	} {
		if got := h.Get(name); got != want {
			t.Errorf("%s: %s = %q, want %q", what, name, got, want)
		}
	}
	if h.Get("Permissions-Policy") == "" {
		t.Errorf("%s: no Permissions-Policy", what)
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Errorf("%s: HSTS sent over plain HTTP", what)
	}
}

// TestSecurityHeadersOnEveryRoute walks every registered route, public
// and staff, with GET and POST, signed out and signed in as the city
// administrator, and checks the security headers on each answer whatever
// its status.
func TestSecurityHeadersOnEveryRoute(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data"), SecurityContact: "mailto:security@example.gov.cn"})
	if err := demo.LoadItems(t.Context(), e.app.DB, e.app.Publish, e.clock.Now()); err != nil {
		t.Fatalf("load demo items: %v", err)
	}
	routes := registeredRoutes(t)
	var paths []string
	for _, r := range routes {
		p := concrete(r.pattern)
		paths = append(paths, p)
		if r.site {
			paths = append(paths, "/mzj"+p, "/zh-hant/mzj"+p)
		}
	}
	paths = append(paths, "/no/such/page", "/.well-known/security.txt", "/static/none.css")
	slices.Sort(paths)
	paths = slices.Compact(paths)

	anon := e.browser()
	staff := e.browser()
	staff.loginFull("admin")
	seen := map[int]int{}
	for _, who := range []struct {
		name string
		b    *browser
	}{{"signed out", anon}, {"admin", staff}} {
		for _, p := range paths {
			r := who.b.get(p)
			seen[r.status]++
			checkHeaders(t, who.name+" GET "+p, r.header)
		}
	}
	// Posts last, logout at the very end, so the session holds throughout.
	slices.SortStableFunc(paths, func(a, b string) int {
		return boolInt(strings.HasSuffix(a, "/logout")) - boolInt(strings.HasSuffix(b, "/logout"))
	})
	for _, who := range []struct {
		name string
		b    *browser
	}{{"signed out", anon}, {"admin", staff}} {
		for _, p := range paths {
			r := who.b.post(p, url.Values{})
			seen[r.status]++
			checkHeaders(t, who.name+" POST "+p, r.header)
		}
	}
	// The walk must have reached real pages, not only error pages.
	if seen[http.StatusOK] < 50 {
		t.Errorf("only %d answers were 200 (statuses %v): the walk did not reach the pages", seen[http.StatusOK], seen)
	}
	t.Logf("%d paths, statuses %v", len(paths), seen)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestSecurityTxt checks RFC 9116's required fields, and that no file
// is served without a configured contact.
func TestSecurityTxt(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data"), BaseURL: "https://mzj.example.gov.cn",
		SecurityContact: "mailto:security@example.gov.cn"})
	r := e.browser().get("/.well-known/security.txt")
	if r.status != http.StatusOK {
		t.Fatalf("GET security.txt: status %d", r.status)
	}
	mustContain(t, "security.txt", r.body, "Contact: mailto:security@example.gov.cn\n", "Expires: 2027-03-01T00:00:00Z\n",
		"Canonical: https://mzj.example.gov.cn/.well-known/security.txt\n", "Preferred-Languages: zh, en\n")
	if ct := r.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	none := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	if r := none.browser().get("/.well-known/security.txt"); r.status != http.StatusNotFound {
		t.Errorf("without a contact: status %d, want 404", r.status)
	}
}

// TestServeTLS serves HTTPS from certificate files and sends HSTS.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key := writeSelfSigned(t, dir)
	cfg := config.Config{DataDir: filepath.Join(dir, "data"), Addr: "127.0.0.1:0", TLSCert: cert, TLSKey: key, ShutdownWait: time.Second}
	a, err := app.New(t.Context(), cfg, app.Options{})
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, Timeout: 10 * time.Second}
	res, err := c.Get("https://" + ln.Addr().String() + "/healthz")
	if err != nil {
		t.Fatalf("GET over TLS: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS == nil {
		t.Fatalf("GET over TLS: status %d, TLS %v", res.StatusCode, res.TLS != nil)
	}
	if got := res.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("Strict-Transport-Security = %q over TLS", got)
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		// Go's TLS server answers plain HTTP with a 400; a success would
		// mean the listener is not speaking TLS.
		res, _ := http.Get("http://" + ln.Addr().String() + "/healthz")
		if res != nil && res.StatusCode == http.StatusOK {
			t.Errorf("plain HTTP answered 200 on the TLS listener")
		}
	}
}

// writeSelfSigned writes a certificate and key for 127.0.0.1 into dir.
func writeSelfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// TestUploadsAreNeverServedAsPages checks that a page uploaded as an
// attachment is refused by its content, and that files are served with a
// Content-Disposition and a sandboxing policy.
func TestUploadsAreNeverServedAsPages(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	officer := e.browser()
	officer.loginFull("xinxiyuan")
	r := officer.post("/admin/items", e.itemForm("附件测试", "<p>正文</p>"))
	expect(t, "create", r, http.StatusSeeOther)
	item := r.location
	page := []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")
	expect(t, "upload a page", officer.upload(item+"/attachments", "file", "通知.pdf", page), http.StatusUnprocessableEntity)
	expect(t, "upload a page by its name", officer.upload(item+"/attachments", "file", "page.html", page), http.StatusUnprocessableEntity)
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
	expect(t, "upload a PDF", officer.upload(item+"/attachments", "file", "名单.pdf", pdf), http.StatusSeeOther)
	show := officer.get(item)
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(item) + `/attachments/\d+)"`).FindStringSubmatch(show.body)
	if m == nil {
		t.Fatalf("item page links no attachment")
	}
	f := officer.get(m[1])
	if f.status != http.StatusOK || !strings.Contains(f.header.Get("Content-Disposition"), "filename") ||
		!strings.Contains(f.header.Get("Content-Security-Policy"), "sandbox") || f.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("attachment: status %d, type %q, disposition %q, policy %q", f.status, f.header.Get("Content-Type"),
			f.header.Get("Content-Disposition"), f.header.Get("Content-Security-Policy"))
	}
}
