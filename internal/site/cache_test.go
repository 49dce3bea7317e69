package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/catalog"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

// A page that cannot be cached (a form, here a route outside
// cacheablePatterns) is rendered for each reader at once: readers do not
// queue behind one another's render.
func TestUncacheablePagesRenderConcurrently(t *testing.T) {
	h := &handler{Config: Config{Cache: NewPageCache(1<<20, func() int64 { return 1 })}}
	serve := func(render func(http.ResponseWriter, *http.Request)) {
		h.serveCached(h.Cache, httptest.NewRecorder(), httptest.NewRequest("GET", "/apply", nil), render)
	}
	serve(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("form")) })

	var inside sync.WaitGroup
	inside.Add(2)
	both := make(chan struct{})
	go func() { inside.Wait(); close(both) }()
	var timedOut atomic.Bool
	render := func(w http.ResponseWriter, r *http.Request) {
		inside.Done()
		select {
		case <-both:
		case <-time.After(3 * time.Second):
			timedOut.Store(true)
		}
		w.Write([]byte("form"))
	}
	var done sync.WaitGroup
	for range 2 {
		done.Add(1)
		go func() { defer done.Done(); serve(render) }()
	}
	done.Wait()
	if timedOut.Load() {
		t.Fatal("the second reader waited for the first one's render of an uncacheable page")
	}
	if h.Cache.Len() != 0 {
		t.Fatalf("an uncacheable page was cached (%d entries)", h.Cache.Len())
	}
}

type countingReader struct{ orgs, cols int }

func (c *countingReader) Orgs(context.Context) ([]org.Org, error) {
	c.orgs++
	return []org.Org{{ID: 1, Name: fmt.Sprint("第", c.orgs, "次")}}, nil
}

func (c *countingReader) Columns(_ context.Context, orgID int64) ([]org.Column, error) {
	c.cols++
	return []org.Column{{ID: orgID, Name: fmt.Sprint("第", c.cols, "次")}}, nil
}

// TestGenReaderRereadsWhenTheGenerationChanges checks that the org tree
// and columns are read once per cache generation, per org, and that a
// caller changing its copy does not change what others get.
func TestGenReaderRereadsWhenTheGenerationChanges(t *testing.T) {
	ctx := context.Background()
	src := &countingReader{}
	gen := int64(1)
	g := &genReader{Reader: src, gen: func() int64 { return gen }}
	for range 3 {
		orgs, _ := g.Orgs(ctx)
		orgs[0].Name = "改过"
		g.Columns(ctx, 7)
		g.Columns(ctx, 8)
	}
	if src.orgs != 1 || src.cols != 2 {
		t.Fatalf("read orgs %d times, columns %d times; want 1 and 2", src.orgs, src.cols)
	}
	if orgs, _ := g.Orgs(ctx); orgs[0].Name != "第1次" {
		t.Errorf("a caller's change leaked into the memo: %q", orgs[0].Name)
	}
	gen = 2
	orgs, _ := g.Orgs(ctx)
	cols, _ := g.Columns(ctx, 7)
	if orgs[0].Name != "第2次" || cols[0].Name != "第3次" {
		t.Errorf("after a new generation got %q and %q, want fresh reads", orgs[0].Name, cols[0].Name)
	}
}

type countingCatalog struct {
	CatalogSource
	reads int
}

func (c *countingCatalog) CatalogFacets(_ context.Context, orgID int64) (catalog.Facets, error) {
	c.reads++
	return catalog.Facets{Topics: []string{fmt.Sprint(orgID, "第", c.reads, "次")}}, nil
}

// TestGenFacetsRereadWhenTheGenerationChanges checks that an org's
// catalog facets are read once per cache generation.
func TestGenFacetsRereadWhenTheGenerationChanges(t *testing.T) {
	ctx := context.Background()
	src := &countingCatalog{}
	gen := int64(1)
	g := &genFacets{CatalogSource: src, gen: func() int64 { return gen }}
	for range 3 {
		g.CatalogFacets(ctx, 7)
		g.CatalogFacets(ctx, 8)
	}
	if f, _ := g.CatalogFacets(ctx, 7); src.reads != 2 || f.Topics[0] != "7第1次" {
		t.Fatalf("read facets %d times (org 7: %v); want 2 reads", src.reads, f.Topics)
	}
	gen = 2
	if f, _ := g.CatalogFacets(ctx, 7); f.Topics[0] != "7第3次" {
		t.Errorf("after a new generation got %v, want a fresh read", f.Topics)
	}
}

type slowCatalog struct {
	CatalogSource
	reads   atomic.Int32
	started chan struct{}
	release chan struct{}
}

func (c *slowCatalog) CatalogFacets(ctx context.Context, orgID int64) (catalog.Facets, error) {
	if c.reads.Add(1) == 1 {
		close(c.started)
	}
	<-c.release
	return catalog.Facets{Topics: []string{"社会救助"}}, nil
}

// TestGenFacetsReadOnceForConcurrentCallers: callers that ask while the
// facets are being read wait for that read instead of starting their own.
func TestGenFacetsReadOnceForConcurrentCallers(t *testing.T) {
	src := &slowCatalog{started: make(chan struct{}), release: make(chan struct{})}
	g := &genFacets{CatalogSource: src, gen: func() int64 { return 1 }}
	var wg sync.WaitGroup
	got := make([]catalog.Facets, 8)
	wg.Go(func() { got[0], _ = g.CatalogFacets(t.Context(), 7) })
	<-src.started
	for i := 1; i < len(got); i++ {
		wg.Go(func() { got[i], _ = g.CatalogFacets(t.Context(), 7) })
	}
	time.Sleep(20 * time.Millisecond) // the others reach the memo while the first reads

	close(src.release)
	wg.Wait()
	if n := src.reads.Load(); n != 1 {
		t.Errorf("%d concurrent callers read the facets %d times, want once", len(got), n)
	}
	for i, f := range got {
		if len(f.Topics) != 1 {
			t.Errorf("caller %d got %v", i, f.Topics)
		}
	}
}

// TestPageCacheSetMaxBoundsWhatIsKept: lowering the bound below what is
// held empties the cache, and later pages stay within the new bound.
func TestPageCacheSetMaxBoundsWhatIsKept(t *testing.T) {
	c := NewPageCache(1<<20, func() int64 { return 1 })
	page := func() *cachedPage { return &cachedPage{gen: 1, body: web.NewCompressed(make([]byte, 1000), 5)} }
	for i := range 10 {
		c.put(fmt.Sprint("/item/", i), page())
	}
	if c.Len() != 10 {
		t.Fatalf("Len = %d, want 10", c.Len())
	}
	c.SetMax(3000)
	if c.Len() != 0 {
		t.Fatalf("after SetMax below its size the cache holds %d pages", c.Len())
	}
	for i := range 10 {
		c.put(fmt.Sprint("/col/", i), page())
		if c.size > 3000 {
			t.Fatalf("cache holds %d bytes, over its bound of 3000", c.size)
		}
	}
	if c.get("/col/9") == nil {
		t.Error("the latest page was not kept")
	}
}

// TestFIFOMapDropsTheOldestKey: a new key past the bound drops the oldest;
// storing an existing key again drops nothing.
func TestFIFOMapDropsTheOldestKey(t *testing.T) {
	f := fifoMap[int, string]{max: 2}
	f.put(1, "一")
	f.put(2, "二")
	f.put(1, "壹")
	f.put(3, "三")
	if _, ok := f.get(1); ok {
		t.Error("the oldest key was kept")
	}
	if v, _ := f.get(2); v != "二" {
		t.Errorf("key 2 = %q", v)
	}
	if v, _ := f.get(3); v != "三" || len(f.m) != 2 || len(f.keys) != 2 {
		t.Errorf("key 3 = %q, %d kept", v, len(f.m))
	}
}
