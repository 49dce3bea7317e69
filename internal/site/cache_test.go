package site

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A page that cannot be cached (a form, here a route outside
// cacheablePatterns) is rendered for each reader at once: readers do not
// queue behind one another's render.
func TestUncacheablePagesRenderConcurrently(t *testing.T) {
	h := &handler{Config: Config{Cache: NewPageCache(1<<20, func() int64 { return 1 })}}
	serve := func(render func(http.ResponseWriter, *http.Request)) {
		h.serveCached(httptest.NewRecorder(), httptest.NewRequest("GET", "/apply", nil), render)
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
