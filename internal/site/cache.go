package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"sync"

	"gongkai/internal/catalog"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

// PageCache keeps rendered public pages in memory, per language variant
// and reading mode, until what they show changes. A page is valid while
// the database's cache generation (bumped by triggers when an org, a
// column or a public item changes; kept current by store.DB) is what it
// was when the page was rendered. Entries carry an ETag and a gzip copy.
// Concurrent requests for the same missing page render it once. Safe for
// concurrent use.
type PageCache struct {
	gen func() int64 // the database's generation as last read
	max int

	flight sync.Mutex
	wait   map[string]*sync.WaitGroup // renders in progress; guarded by flight
	// never holds addresses whose last render could not be cached
	// (forms, search): readers of those do not queue behind each other.
	// Guarded by flight.
	never map[string]bool

	mu      sync.RWMutex
	entries map[string]*cachedPage // guarded by mu
	size    int                    // bytes held; guarded by mu
}

type cachedPage struct {
	gen   int64
	ctype string
	etag  string
	route string          // the pattern that rendered it, for metrics
	body  *web.Compressed // brotli and gzip copies made on first request
}

// NewPageCache returns a cache holding at most maxBytes of pages. gen
// reports the database's cache generation (store.DB.CacheGen).
func NewPageCache(maxBytes int, gen func() int64) *PageCache {
	return &PageCache{gen: gen, max: maxBytes, entries: map[string]*cachedPage{}, wait: map[string]*sync.WaitGroup{}, never: map[string]bool{}}
}

// Len is the number of pages held, for tests and metrics.
func (c *PageCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

func (c *PageCache) get(key string) *cachedPage {
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if e == nil || e.gen != c.gen() {
		return nil
	}
	return e
}

// footprint estimates what an entry holds: the page, and its compressed
// copies once made (about a fifth of it each for HTML).
func (e *cachedPage) footprint(key string) int {
	n := len(e.body.Body())
	return n + n/2 + len(key)
}

// SetMax changes how many bytes of pages the cache holds. The static
// export sets a small one: it asks for each page once, so keeping tens
// of megabytes of them only gives the garbage collector more to scan.
func (c *PageCache) SetMax(maxBytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.max = maxBytes
	if c.size > c.max {
		c.entries, c.size = map[string]*cachedPage{}, 0
	}
}

func (c *PageCache) put(key string, e *cachedPage) {
	n := e.footprint(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.entries[key]; ok {
		c.size -= old.footprint(key)
	}
	if c.size+n > c.max {
		// Simple and bounded: start afresh rather than track recency.
		c.entries = map[string]*cachedPage{}
		c.size = 0
	}
	c.entries[key] = e
	c.size += n
}

// cacheablePatterns are the routes whose pages depend only on the
// address, the script, the reading mode and published content. Forms
// (with their challenges) and the leaving notice are not cached. Search
// result pages are, in a cache of their own (see handler.ServeHTTP).
var cacheablePatterns = map[string]bool{
	"GET /search": true,
	"GET /{$}":    true, "GET /col/{slug}": true, "GET /col/{slug}/{$}": true, "GET /col/{slug}/page/{n}/{$}": true, "GET /item/{id}": true,
	"GET /catalog": true, "GET /catalog/page/{n}/{$}": true, "GET /catalog/{dim}/{value}/{$}": true, "GET /catalog/{dim}/{value}/page/{n}/{$}": true,
	"GET /feed.xml": true, "GET /col/{slug}/feed.xml": true, "GET /sitemap.xml": true, "GET /orgs": true,
}

// cacheKey names a page: host, path with query, and the reading mode (the
// script is part of the path).
func cacheKey(r *http.Request) string {
	return pageKey(r.Host, r.URL.RequestURI(), elderMode(r))
}

func pageKey(host, target string, elder bool) string {
	mode := "|0|"
	if elder {
		mode = "|1|"
	}
	return strings.ToLower(host) + mode + target
}

// cacheFor is the cache that holds the page at path. Search result pages
// come from what readers type: they have a small cache of their own, so
// a flood of distinct queries never pushes the site's pages out.
func (h *handler) cacheFor(path string) *PageCache {
	if strings.HasSuffix(path, "/search") {
		return h.searchPages
	}
	return h.Cache
}

// CachedPage answers web.FastPath: the page cached for this host, request
// target and reading mode, if any. Keys are made from what net/http
// parsed (cacheKey), so a target as sent finds only a page that the
// handler stack served for that same target.
func (h *handler) CachedPage(host, target string, cookies []string) (web.FastPage, bool) {
	if h.Cache == nil {
		return web.FastPage{}, false
	}
	path, _, _ := strings.Cut(target, "?")
	c := h.cacheFor(path)
	elder := false
	if len(cookies) > 0 {
		elder = elderMode(&http.Request{Header: http.Header{"Cookie": cookies}})
	}
	e := c.get(pageKey(host, target, elder))
	if e == nil {
		return web.FastPage{}, false
	}
	return web.FastPage{ContentType: e.ctype, ETag: e.etag, Route: e.route, Body: e.body}, true
}

// serveCached answers from the cache, or renders, stores and answers.
func (h *handler) serveCached(c *PageCache, w http.ResponseWriter, r *http.Request, render func(http.ResponseWriter, *http.Request)) {
	key := cacheKey(r)
	if e := c.get(key); e != nil {
		writeCached(w, r, e)
		return
	}
	// One render per missing page: the others wait for it (a rush on a
	// page just published does not render it once per reader).
	c.flight.Lock()
	if c.never[key] {
		c.flight.Unlock()
	} else if wg, busy := c.wait[key]; busy {
		c.flight.Unlock()
		wg.Wait()
		if e := c.get(key); e != nil {
			writeCached(w, r, e)
			return
		}
	} else {
		wg := &sync.WaitGroup{}
		wg.Add(1)
		c.wait[key] = wg
		c.flight.Unlock()
		defer func() {
			c.flight.Lock()
			delete(c.wait, key)
			c.flight.Unlock()
			wg.Done()
		}()
	}
	gen := c.gen()
	rec := &bufferedResponse{header: http.Header{}}
	render(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	cacheable := rec.status == http.StatusOK && cacheablePatterns[r.Pattern] && rec.header.Get("Set-Cookie") == ""
	c.remember(key, cacheable)
	if cacheable {
		body := rec.body.Bytes()
		sum := sha256.Sum256(body)
		e := &cachedPage{gen: gen, ctype: rec.header.Get("Content-Type"), etag: `"` + hex.EncodeToString(sum[:12]) + `"`,
			route: r.Pattern, body: web.NewCompressed(body, 5)}
		for k, v := range rec.header {
			if k != "Content-Type" && k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		c.put(key, e)
		writeCached(w, r, e)
		return
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// remember notes whether key's page can be cached, so that the next
// request for an uncacheable one skips the single-flight wait.
func (c *PageCache) remember(key string, cacheable bool) {
	c.flight.Lock()
	defer c.flight.Unlock()
	switch {
	case cacheable:
		delete(c.never, key)
	case !c.never[key]:
		if len(c.never) >= 10000 { // bounded: addresses come from the client
			c.never = map[string]bool{}
		}
		c.never[key] = true
	}
}

// writeCached answers with a cached page: 304 when the client has it,
// brotli or gzip when the client takes it.
func writeCached(w http.ResponseWriter, r *http.Request, e *cachedPage) {
	hd := w.Header()
	hd.Set("Content-Type", e.ctype)
	hd.Set("ETag", e.etag)
	// Browsers may keep the page but must ask whether it changed.
	hd.Set("Cache-Control", "no-cache")
	hd.Add("Vary", "Accept-Encoding")
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, e.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, enc := e.body.For(r.Header.Get("Accept-Encoding"))
	if enc != "" {
		hd.Set("Content-Encoding", enc)
	}
	hd.Set("Content-Length", itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

// genMemo keeps values by key for one cache generation: what was read
// at an older generation is dropped, and what was read at one is never
// stored over a newer generation's. Concurrent loads of one key at one
// generation are one load: the catalog's facets group every item of an
// org, and the export's workers all want them at its start.
type genMemo[K comparable, V any] struct {
	mu      sync.Mutex
	at      int64
	m       map[K]V                // guarded by mu
	loading map[genKey[K]]*load[V] // guarded by mu
}

type genKey[K comparable] struct {
	gen int64
	k   K
}

// load is one read in flight; done is closed when v and err are set.
type load[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// get returns k's value at gen, reading it with read when it is not kept
// (or waiting for the read already under way).
func (g *genMemo[K, V]) get(ctx context.Context, gen int64, k K, read func() (V, error)) (V, error) {
	g.mu.Lock()
	if v, ok := g.m[k]; ok && g.at == gen {
		g.mu.Unlock()
		return v, nil
	}
	key := genKey[K]{gen, k}
	if l := g.loading[key]; l != nil {
		g.mu.Unlock()
		select {
		case <-l.done:
			if l.err != nil {
				return read() // the error may be the other caller's context
			}
			return l.v, nil
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		}
	}
	l := &load[V]{done: make(chan struct{})}
	if g.loading == nil {
		g.loading = map[genKey[K]]*load[V]{}
	}
	g.loading[key] = l
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.loading, key)
		if l.err == nil {
			if gen > g.at || g.m == nil {
				g.at, g.m = gen, map[K]V{}
			}
			if g.at == gen {
				g.m[k] = l.v
			}
		}
		g.mu.Unlock()
		close(l.done)
	}()
	l.v, l.err = read()
	return l.v, l.err
}

// fifoMap is a map that keeps its latest max keys, dropping the oldest
// first. Its owner locks it.
type fifoMap[K comparable, V any] struct {
	max  int
	m    map[K]V
	keys []K // the keys of m, oldest first
}

func (f *fifoMap[K, V]) get(k K) (V, bool) {
	v, ok := f.m[k]
	return v, ok
}

func (f *fifoMap[K, V]) put(k K, v V) {
	if f.m == nil {
		f.m = make(map[K]V, f.max)
	}
	if _, ok := f.m[k]; !ok {
		for len(f.keys) > 0 && len(f.keys) >= f.max {
			delete(f.m, f.keys[0])
			f.keys = f.keys[1:]
		}
		f.keys = append(f.keys, k)
	}
	f.m[k] = v
}

// genReader keeps the org tree and each org's columns for as long as the
// cache generation (bumped by the same triggers when an org or a column
// changes) stays the same. Callers get their own copy of the slices.
type genReader struct {
	Reader
	gen     func() int64
	orgs    genMemo[struct{}, []org.Org]
	columns genMemo[int64, []org.Column]
}

func (g *genReader) Orgs(ctx context.Context) ([]org.Org, error) {
	orgs, err := g.orgs.get(ctx, g.gen(), struct{}{}, func() ([]org.Org, error) { return g.Reader.Orgs(ctx) })
	return slices.Clone(orgs), err
}

func (g *genReader) Columns(ctx context.Context, orgID int64) ([]org.Column, error) {
	cols, err := g.columns.get(ctx, g.gen(), orgID, func() ([]org.Column, error) { return g.Reader.Columns(ctx, orgID) })
	return slices.Clone(cols), err
}

// genFacets keeps each org's catalog facets (a grouping of all its
// items) for as long as the cache generation stays the same: every page
// of the catalog by facet shows them.
type genFacets struct {
	CatalogSource
	gen    func() int64
	facets genMemo[int64, catalog.Facets]
}

func (g *genFacets) CatalogFacets(ctx context.Context, orgID int64) (catalog.Facets, error) {
	return g.facets.get(ctx, g.gen(), orgID, func() (catalog.Facets, error) { return g.CatalogSource.CatalogFacets(ctx, orgID) })
}
