package web

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

// pages is a FastPages with one cached page, /item/1 on host a.example
// (hosts compared without case, as package site keys them), and an
// elderly-mode copy of it.
type pages struct{ page, elder FastPage }

func (p pages) CachedPage(host, target string, cookies []string) (FastPage, bool) {
	if strings.ToLower(host) != "a.example" || target != "/item/1" && target != encodedTarget {
		return FastPage{}, false
	}
	for _, c := range cookies {
		if strings.Contains(c, "gk_elder=1") {
			return p.elder, true
		}
	}
	return p.page, true
}

// encodedTarget is a cached page whose address is percent-encoded, as
// the catalog's facet pages are.
const encodedTarget = "/catalog/genre/%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97/"

var pageBody = strings.Repeat("<p>第一条 为了保障公民依法获取政府信息。</p>\n", 200) // about 10 KB

// fastServer starts net/http behind a FastPath; net/http answers
// "net/http <method> <target>".
func fastServer(t *testing.T, fp *FastPath) (addr string, srv *http.Server) {
	t.Helper()
	if fp.Pages == nil {
		fp.Pages = pages{
			page:  FastPage{ContentType: "text/html; charset=utf-8", ETag: `"e1"`, Route: "GET /item/{id}", Body: NewCompressed([]byte(pageBody), 5)},
			elder: FastPage{ContentType: "text/html; charset=utf-8", ETag: `"e2"`, Route: "GET /item/{id}", Body: NewCompressed([]byte("elder page"), 5)},
		}
	}
	if fp.Log == nil {
		fp.Log = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "net/http "+r.Method+" "+r.RequestURI)
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(fp.Listen(ln))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), srv
}

func dial(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return c, bufio.NewReader(c)
}

func readResponse(t *testing.T, br *bufio.Reader, method string) (*http.Response, string) {
	t.Helper()
	res, err := http.ReadResponse(br, &http.Request{Method: method})
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return res, string(b)
}

// TestFastPathAnswersCachedPagesAndHandsOffTheRest sends raw requests:
// plain GET and HEAD of the cached page are answered by the fast path;
// everything it does not fully understand reaches net/http unchanged.
func TestFastPathAnswersCachedPagesAndHandsOffTheRest(t *testing.T) {
	addr, _ := fastServer(t, &FastPath{})
	const fast, slow = "fast", "net/http"
	tests := []struct {
		name, req string
		by        string
		status    int
	}{
		{"cached page", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n", fast, 200},
		{"host in capitals", "GET /item/1 HTTP/1.1\r\nHost: A.Example\r\n\r\n", fast, 200},
		{"head", "HEAD /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n", fast, 200},
		{"revalidation", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nIf-None-Match: \"e1\"\r\n\r\n", fast, 304},
		{"stale validator", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nIf-None-Match: \"old\"\r\n\r\n", fast, 200},
		{"page not cached", "GET /item/2 HTTP/1.1\r\nHost: a.example\r\n\r\n", slow, 200},
		{"other host", "GET /item/1 HTTP/1.1\r\nHost: b.example\r\n\r\n", slow, 200},
		{"query", "GET /item/1?x=1 HTTP/1.1\r\nHost: a.example\r\n\r\n", slow, 200},
		{"post", "POST /item/1 HTTP/1.1\r\nHost: a.example\r\nContent-Length: 0\r\n\r\n", slow, 200},
		{"HTTP/1.0", "GET /item/1 HTTP/1.0\r\nHost: a.example\r\n\r\n", slow, 200},
		{"body length", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nContent-Length: 0\r\n\r\n", slow, 200},
		{"chunked body", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", slow, 200},
		{"upgrade", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", slow, 200},
		{"absolute target", "GET http://a.example/item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n", slow, 200},
		{"two hosts", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nHost: a.example\r\n\r\n", slow, 400},
		{"no host", "GET /item/1 HTTP/1.1\r\nAccept: */*\r\n\r\n", slow, 400},
		{"folded line", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nAccept: text/html,\r\n application/xhtml+xml\r\n\r\n", slow, 200},
		{"bad header name", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nBad Name: x\r\n\r\n", slow, 400},
		{"bare line feeds", "GET /item/1 HTTP/1.1\nHost: a.example\n\n", slow, 200},
		{"header over 8 KB", "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nCookie: x=" + strings.Repeat("a", 9000) + "\r\n\r\n", slow, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, br := dial(t, addr)
			if _, err := io.WriteString(c, tt.req); err != nil {
				t.Fatal(err)
			}
			method, _, _ := strings.Cut(tt.req, " ")
			res, body := readResponse(t, br, method)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (body %.60q)", res.StatusCode, tt.status, body)
			}
			by := slow
			if res.Header.Get("Etag") != "" {
				by = fast
			}
			if by != tt.by {
				t.Fatalf("answered by %s, want %s (body %.60q)", by, tt.by, body)
			}
			if by == slow {
				return
			}
			for _, h := range securityHeaders(false) {
				if got := res.Header.Get(h[0]); got != h[1] {
					t.Errorf("%s = %q, want %q", h[0], got, h[1])
				}
			}
			if len(res.Header.Get("X-Request-Id")) != 16 || res.Header.Get("Date") == "" || res.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("header %v lacks a request ID, date or Cache-Control", res.Header)
			}
			switch {
			case tt.status == 304:
				if body != "" || res.Header.Get("Content-Type") != "" {
					t.Errorf("304 with Content-Type %q and %d bytes", res.Header.Get("Content-Type"), len(body))
				}
			case method == "HEAD":
				if body != "" || res.ContentLength != int64(len(pageBody)) {
					t.Errorf("HEAD: %d bytes, Content-Length %d", len(body), res.ContentLength)
				}
			case body != pageBody:
				t.Errorf("body is not the page: %.60q", body)
			}
		})
	}
}

// TestFastPathCompressesAndKeepsReadingModes checks brotli, gzip and the
// cookie lines handed to the lookup.
func TestFastPathCompressesAndKeepsReadingModes(t *testing.T) {
	addr, _ := fastServer(t, &FastPath{})
	c, br := dial(t, addr)
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nAccept-Encoding: gzip, deflate, br\r\n\r\n")
	res, body := readResponse(t, br, "GET")
	got, err := io.ReadAll(brotli.NewReader(strings.NewReader(body)))
	if res.Header.Get("Content-Encoding") != "br" || res.Header.Get("Vary") != "Accept-Encoding" || err != nil || string(got) != pageBody {
		t.Errorf("br offered: Content-Encoding %q, Vary %q, unpacks to the page: %v (%v)", res.Header.Get("Content-Encoding"), res.Header.Get("Vary"), string(got) == pageBody, err)
	}
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nAccept-Encoding: gzip\r\n\r\n")
	if res, body := readResponse(t, br, "GET"); res.Header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(body, "\x1f\x8b") {
		t.Errorf("gzip offered: Content-Encoding %q", res.Header.Get("Content-Encoding"))
	}
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nCookie: a=b\r\nCookie: gk_elder=1\r\n\r\n")
	if _, body := readResponse(t, br, "GET"); body != "elder page" {
		t.Errorf("with the elderly-mode cookie on a second line: %.40q", body)
	}
}

// TestFastPathPipelinedRequestsKeepTheirOrder sends three requests in
// one write; the second is not cached, so net/http answers it and the
// third, in order.
func TestFastPathPipelinedRequestsKeepTheirOrder(t *testing.T) {
	addr, _ := fastServer(t, &FastPath{})
	c, br := dial(t, addr)
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n"+
		"GET /item/2 HTTP/1.1\r\nHost: a.example\r\n\r\n"+
		"GET /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n")
	want := []string{pageBody, "net/http GET /item/2", "net/http GET /item/1"}
	for i, w := range want {
		if _, body := readResponse(t, br, "GET"); body != w {
			t.Errorf("answer %d = %.40q, want %.40q", i+1, body, w)
		}
	}
}

// TestFastPathConnectionClose closes the connection after an answer to
// a request that asked for it.
func TestFastPathConnectionClose(t *testing.T) {
	addr, _ := fastServer(t, &FastPath{})
	c, br := dial(t, addr)
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n")
	res, _ := readResponse(t, br, "GET")
	if !res.Close {
		t.Error("answer does not say Connection: close")
	}
	if n, err := br.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("after the answer: read %d bytes, %v, want EOF", n, err)
	}
}

// TestFastPathTimeouts closes a connection idle past IdleTimeout and one
// whose header is not complete within HeaderTimeout.
func TestFastPathTimeouts(t *testing.T) {
	addr, _ := fastServer(t, &FastPath{IdleTimeout: 200 * time.Millisecond, HeaderTimeout: 200 * time.Millisecond})
	idle, ibr := dial(t, addr)
	io.WriteString(idle, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n")
	readResponse(t, ibr, "GET")
	slow, sbr := dial(t, addr)
	io.WriteString(slow, "GET /item/1 HTTP/1.1\r\nHost: a.exa")
	for name, br := range map[string]*bufio.Reader{"idle": ibr, "slow header": sbr} {
		start := time.Now()
		if _, err := br.ReadByte(); err != io.EOF {
			t.Errorf("%s connection: %v, want EOF", name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s connection closed after %v", name, d)
		}
	}
}

// TestFastPathShutdownClosesIdleConnections: net/http's Shutdown closes
// the listener, which closes the fast path's idle connections, and
// returns without waiting for them.
func TestFastPathShutdownClosesIdleConnections(t *testing.T) {
	addr, srv := fastServer(t, &FastPath{})
	c, br := dial(t, addr)
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n")
	readResponse(t, br, "GET")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		t.Errorf("idle connection after Shutdown: %v, want EOF", err)
	}
	if _, err := net.Dial("tcp", addr); err == nil {
		t.Error("the listener still accepts after Shutdown")
	}
}

// TestFastPathObserves logs and counts each answer as Observe does.
func TestFastPathObserves(t *testing.T) {
	lines := make(lineWriter, 10)
	m := NewMetrics()
	addr, _ := fastServer(t, &FastPath{Log: slog.New(slog.NewTextHandler(lines, nil)), Metrics: m})
	c, br := dial(t, addr)
	io.WriteString(c, "GET /item/1 HTTP/1.1\r\nHost: a.example\r\n\r\n")
	res, _ := readResponse(t, br, "GET")
	c.Close()
	var line string
	select {
	case line = <-lines: // the log line follows the answer
	case <-time.After(5 * time.Second):
		t.Fatal("no log line")
	}
	mustHave := []string{"msg=request", "request_id=" + res.Header.Get("X-Request-Id"), "method=GET", "path=/item/1", "status=200"}
	for _, s := range mustHave {
		if !strings.Contains(line, s) {
			t.Errorf("log %q lacks %q", line, s)
		}
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{`gongkai_http_requests_total{code="200",method="GET",route="GET /item/{id}"} 1`, "gongkai_http_fast_answers_total 1"} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestFastPathLogsThePathDecoded: a percent-encoded address is logged
// decoded, as Observe logs r.URL.Path.
func TestFastPathLogsThePathDecoded(t *testing.T) {
	lines := make(lineWriter, 10)
	addr, _ := fastServer(t, &FastPath{Log: slog.New(slog.NewTextHandler(lines, nil))})
	c, br := dial(t, addr)
	io.WriteString(c, "GET "+encodedTarget+" HTTP/1.1\r\nHost: a.example\r\n\r\n")
	if res, _ := readResponse(t, br, "GET"); res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want a fast answer", res.StatusCode)
	}
	c.Close()
	select {
	case line := <-lines:
		if !strings.Contains(line, "path=/catalog/genre/办事指南/") {
			t.Errorf("log %q lacks the decoded path", line)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no log line")
	}
}

// lineWriter hands each log line to the test.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	w <- string(p)
	return len(p), nil
}

// TestAssetsAnswerTheFastPath serves the current version of static files
// with their year-long lifetime, images uncompressed; an old hash or a
// query goes to net/http.
func TestAssetsAnswerTheFastPath(t *testing.T) {
	a, err := NewAssets(StaticFS())
	if err != nil {
		t.Fatal(err)
	}
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 2000)...)
	a.Add("dot.png", png)
	addr, _ := fastServer(t, &FastPath{Pages: a})
	c, br := dial(t, addr)
	for _, tt := range []struct {
		path, enc string
		body      []byte
	}{{a.Path("dot.png"), "", png}, {a.Path("site.css"), "br", a.files["site.css"].body.Body()}} {
		io.WriteString(c, "GET "+tt.path+" HTTP/1.1\r\nHost: any.example\r\nAccept-Encoding: gzip, br\r\n\r\n")
		res, body := readResponse(t, br, "GET")
		if res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("Content-Encoding") != tt.enc {
			t.Errorf("%s: Cache-Control %q, Content-Encoding %q, want %q", tt.path, res.Header.Get("Cache-Control"), res.Header.Get("Content-Encoding"), tt.enc)
		}
		if tt.enc == "br" {
			b, err := io.ReadAll(brotli.NewReader(strings.NewReader(body)))
			if err != nil {
				t.Fatal(err)
			}
			body = string(b)
		}
		if body != string(tt.body) {
			t.Errorf("%s: body differs from the file", tt.path)
		}
	}
	for _, p := range []string{"/static/0000/site.css", a.Path("site.css") + "?v=2", "/static/" + a.files["site.css"].hash + "/nothing.css"} {
		io.WriteString(c, "GET "+p+" HTTP/1.1\r\nHost: any.example\r\n\r\n")
		if _, body := readResponse(t, br, "GET"); body != "net/http GET "+p {
			t.Errorf("%s answered by the fast path", p)
		}
		c, br = dial(t, addr) // net/http keeps the connection now
	}
}

// TestHandedConnKeepsTCPMethods: net/http half-closes a TCP connection
// after an error answer and sends files with sendfile; a connection
// handed over by the fast path must still offer both.
func TestHandedConnKeepsTCPMethods(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := net.Dial("tcp", ln.Addr().String()); err == nil {
			io.Copy(io.Discard, c)
			c.Close()
		}
	}()
	c, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	var hc net.Conn = &handedConn{Conn: c}
	if _, ok := hc.(interface{ CloseWrite() error }); !ok {
		t.Error("no CloseWrite")
	}
	rf, ok := hc.(io.ReaderFrom)
	if !ok {
		t.Fatal("no ReadFrom")
	}
	if n, err := rf.ReadFrom(strings.NewReader("正文")); n != int64(len("正文")) || err != nil {
		t.Errorf("ReadFrom = %d, %v", n, err)
	}
	if err := hc.(interface{ CloseWrite() error }).CloseWrite(); err != nil {
		t.Errorf("CloseWrite: %v", err)
	}
	hc.Close()
}
