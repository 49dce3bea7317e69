package site

import (
	"net/http"
	"slices"
	"sync"
	"testing"
)

// TestExportTakesAnItemsAddressesTogether: with one worker, an item page
// at the root is followed by the same item under the default site's
// prefix and by both Traditional twins, before the crawl goes on, so the
// four renders share the item memo.
func TestExportTakesAnItemsAddressesTogether(t *testing.T) {
	var mu sync.Mutex
	var order []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		order = append(order, r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/" {
			w.Write([]byte(`<a href="/item/1">一</a><a href="/col/a/">栏目</a>`))
			return
		}
		w.Write([]byte("<p>页面</p>"))
	})
	_, err := Export(t.Context(), h, ExportOptions{Out: t.TempDir(), Host: "127.0.0.1", Seeds: []string{"/"}, DefaultSite: "/mzj", Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.Index(order, "/item/1")
	want := []string{"/item/1", "/mzj/item/1", "/zh-hant/mzj/item/1", "/zh-hant/item/1"}
	if i < 0 || len(order) < i+4 || !slices.Equal(order[i:i+4], want) {
		t.Errorf("requests %v, want %v in a row", order, want)
	}
}
