package app_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/store/storetest"
)

func TestPageCacheETagCompressionAndInvalidation(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		first := b.get("/col/jgzn/")
		etag := first.header.Get("ETag")
		if first.status != 200 || etag == "" || first.header.Get("Cache-Control") != "no-cache" {
			t.Fatalf("first GET = %d, ETag %q, Cache-Control %q", first.status, etag, first.header.Get("Cache-Control"))
		}
		if e.app.Pages.Len() == 0 {
			t.Fatal("page not cached")
		}
		req, _ := http.NewRequest("GET", e.srv.URL+"/col/jgzn/", nil)
		req.Header.Set("If-None-Match", etag)
		if r := b.do(req); r.status != http.StatusNotModified {
			t.Errorf("revalidation = %d, want 304", r.status)
		}
		// Go's client asks for gzip and unpacks it itself unless the request
		// names the encoding; name it to see the raw answer.
		req, _ = http.NewRequest("GET", e.srv.URL+"/col/jgzn/", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if r := b.do(req); r.header.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(r.body, "\x1f\x8b") {
			t.Errorf("gzip answer: Content-Encoding %q", r.header.Get("Content-Encoding"))
		}
		// Brotli is preferred when offered; the static files are compressed too.
		css := regexp.MustCompile(`href="(/static/[0-9a-f]+/site\.css)"`).FindStringSubmatch(first.body)
		if css == nil {
			t.Fatal("page links no stylesheet")
		}
		for _, path := range []string{"/col/jgzn/", css[1]} {
			req, _ = http.NewRequest("GET", e.srv.URL+path, nil)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			r := b.do(req)
			got, err := io.ReadAll(brotli.NewReader(strings.NewReader(r.body)))
			if r.header.Get("Content-Encoding") != "br" || err != nil || !strings.Contains(r.header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s with br offered: Content-Encoding %q, Vary %q, %v", path, r.header.Get("Content-Encoding"), r.header.Get("Vary"), err)
			} else if plain := b.get(path).body; string(got) != plain {
				t.Errorf("%s: brotli answer does not unpack to the page", path)
			}
		}
		// A change to what the page shows is visible at once.
		c := e.column("42130021", "jgzn")
		c.Name = "机构职能（新）"
		if err := e.app.Orgs.UpdateColumn(t.Context(), account.System("test"), c); err != nil {
			t.Fatal(err)
		}
		r := b.get("/col/jgzn/")
		mustContain(t, "page after the change", r.body, "机构职能（新）")
		if r.header.Get("ETag") == etag {
			t.Error("ETag unchanged after the page changed")
		}
		// Forms are never cached: their challenge differs on every request.
		b.get("/apply")
		if r := b.get("/apply"); r.header.Get("ETag") != "" {
			t.Error("the application form was served from the cache")
		}
		// The elderly mode and the script have pages of their own.
		b.get("/elder?on=1&back=/")
		mustContain(t, "elder page", b.get("/col/jgzn/").body, `class="elder theme-red"`)
		mustContain(t, "Traditional page", b.get("/zh-hant/col/jgzn/").body, "機構職能（新）")
	})
}

// TestTwoNodesOnOnePostgres runs two servers on one database: a change
// made through one is served by the other within a second, through
// PostgreSQL's LISTEN/NOTIFY.
func TestTwoNodesOnOnePostgres(t *testing.T) {
	u := storetest.PostgresURL(t)
	schemaURL := storetest.CreateSchema(t, u)
	e := newEnv(t, config.Config{DatabaseURL: schemaURL})
	nodeB, err := app.New(t.Context(), config.Config{DatabaseURL: schemaURL, Addr: "127.0.0.1:0"}, app.Options{HashParams: account.TestHashParams})
	if err != nil {
		t.Fatal(err)
	}
	defer nodeB.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go nodeB.WatchCache(ctx)
	get := func() string {
		rr := httpGetHandler(t, nodeB.Handler, "/col/jgzn/")
		return rr
	}
	if !strings.Contains(get(), "机构职能") {
		t.Fatal("node B does not serve the page")
	}
	if nodeB.Pages.Len() == 0 {
		t.Fatal("node B did not cache the page")
	}
	c := e.column("42130021", "jgzn")
	c.Name = "机构职能（节点A修改）"
	if err := e.app.Orgs.UpdateColumn(t.Context(), account.System("test"), c); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Second)
	for {
		if strings.Contains(get(), "机构职能（节点A修改）") {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("node B still serves the old page a second after node A's change")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func httpGetHandler(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://127.0.0.1"+path, nil)
	req.RemoteAddr = "127.0.0.1:1234"
	rec := &recorder{header: http.Header{}}
	h.ServeHTTP(rec, req)
	return rec.body.String()
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(s int)           { r.status = s }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// TestSearchPagesHaveACacheOfTheirOwn checks that a repeated search is
// answered from a cache, and that searches never fill the site's cache.
func TestSearchPagesHaveACacheOfTheirOwn(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: t.TempDir()})
	b := e.browser()
	b.get("/col/jgzn/")
	pages := e.app.Pages.Len()
	first := b.get("/search?q=%E4%BD%8E%E4%BF%9D")
	second := b.get("/search?q=%E4%BD%8E%E4%BF%9D")
	if first.status != 200 || second.header.Get("ETag") == "" || first.body != second.body {
		t.Errorf("repeated search: %d, ETag %q, same page %v", second.status, second.header.Get("ETag"), first.body == second.body)
	}
	for _, q := range []string{"%E6%95%91%E5%8A%A9", "%E5%85%BB%E8%80%81", "%E5%A9%9A%E5%A7%BB"} {
		b.get("/search?q=" + q)
	}
	if got := e.app.Pages.Len(); got != pages {
		t.Errorf("searches changed the site's page cache from %d to %d pages", pages, got)
	}
}

// TestFastPathAnswersAsTheHandlerStack asks for a cached page and a
// stylesheet once through net/http (an HTTP/1.0 request, which the fast
// path leaves alone) and once through the fast path: the answers carry
// the same header and body. After a change the fast path no longer answers with
// the old page.
func TestFastPathAnswersAsTheHandlerStack(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		page := b.get("/col/jgzn/") // rendered and cached
		css := regexp.MustCompile(`href="(/static/[0-9a-f]+/site\.css)"`).FindStringSubmatch(page.body)
		if css == nil {
			t.Fatal("page links no stylesheet")
		}
		fastBefore := fastAnswers(t, b)
		host := strings.TrimPrefix(e.srv.URL, "http://")
		for _, path := range []string{"/col/jgzn/", css[1]} {
			for _, enc := range []string{"", "br"} {
				extra := ""
				if enc != "" {
					extra = "Accept-Encoding: " + enc + "\r\n"
				}
				slow, slowBody := rawGet(t, host, "GET "+path+" HTTP/1.0\r\nHost: "+host+"\r\n"+extra+"\r\n")
				fast, fastBody := rawGet(t, host, "GET "+path+" HTTP/1.1\r\nHost: "+host+"\r\n"+extra+"Connection: close\r\n\r\n")
				for _, h := range []http.Header{slow, fast} {
					h.Del("Date")
					h.Del("X-Request-Id")
					h.Del("Connection")
				}
				if fmt.Sprint(slow) != fmt.Sprint(fast) {
					t.Errorf("%s, Accept-Encoding %q: headers differ:\nnet/http:  %v\nfast path: %v", path, enc, slow, fast)
				}
				if slowBody != fastBody || slow.Get("Content-Encoding") != enc {
					t.Errorf("%s, Accept-Encoding %q: bodies differ (%d and %d bytes) or Content-Encoding is %q", path, enc, len(slowBody), len(fastBody), slow.Get("Content-Encoding"))
				}
			}
		}
		if got := fastAnswers(t, b); got != fastBefore+4 {
			t.Errorf("fast path answered %d requests, want 4", got-fastBefore)
		}
		c := e.column("42130021", "jgzn")
		c.Name = "机构职能（更名）"
		if err := e.app.Orgs.UpdateColumn(t.Context(), account.System("test"), c); err != nil {
			t.Fatal(err)
		}
		_, body := rawGet(t, host, "GET /col/jgzn/ HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
		mustContain(t, "page after the change", body, "机构职能（更名）")
	})
}

// rawGet sends a request as written and reads the answer.
func rawGet(t *testing.T, host, req string) (http.Header, string) {
	t.Helper()
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("read answer: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.Header, string(body)
}

// fastAnswers reads the fast path's counter from /metrics.
func fastAnswers(t *testing.T, b *browser) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^gongkai_http_fast_answers_total (\d+)$`).FindStringSubmatch(b.get("/metrics").body)
	if m == nil {
		t.Fatal("/metrics has no gongkai_http_fast_answers_total")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}
