package site

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"golang.org/x/net/html"
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

// tokenizedLinks is what localLinks must find, by the HTML tokenizer:
// every href and src value, each once, in order.
func tokenizedLinks(page []byte, from string, seeds []string) []string {
	var out []string
	seen := map[string]bool{}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		for more := true; more; {
			var key, val []byte
			key, val, more = z.TagAttr()
			if k := string(key); k != "href" && k != "src" {
				continue
			}
			if l, ok := exportable(string(val), from, seeds); ok && !seen[l] {
				seen[l] = true
				out = append(out, l)
			}
		}
	}
}

// TestLocalLinksFindsWhatTheTokenizerFinds compares the scan with the
// HTML tokenizer on rendered pages (testdata/pages, saved from an
// export) and on the cases a scan could get wrong.
func TestLocalLinksFindsWhatTheTokenizerFinds(t *testing.T) {
	seeds := []string{"/mzj/", "/"}
	pages := savedPages(t)
	for name, page := range map[string][]byte{
		"tricky": []byte(`<html><body>
<a class="x" href="/col/a/">a</a><a
href="/col/b/?x=1">query</a><img alt="图" src="/files/ab/%E5%9B%BE.png">
<p data-href="/not/a/link" title="href=&#34;/not/either&#34;">text href=&#34;/nor/this&#34;</p>
<a href="/item/5#part">anchor</a><a href="/a&amp;b">entity</a><a href="relative/page">rel</a>
<a href="https://example.org/x">away</a><a href="/admin/">staff</a><a href="/col/a/">again</a>
<link rel="stylesheet" href="/static/abc/site.css"><a	href="/tab/">tab</a></body></html>`),
	} {
		pages[name] = page
	}
	for name, page := range pages {
		got, want := localLinks(page, "/mzj/item/1", seeds), tokenizedLinks(page, "/mzj/item/1", seeds)
		if !slices.Equal(got, want) {
			t.Errorf("%s: links\n%q\nwant\n%q", name, got, want)
		}
		if len(want) < 5 {
			t.Errorf("%s: only %d links: %q", name, len(want), want)
		}
	}
}

// savedPages are rendered pages saved from an export (testdata/pages),
// by file name.
func savedPages(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/pages/*.html")
	if err != nil || len(files) < 5 {
		t.Fatalf("pages: %v, %v", files, err)
	}
	pages := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pages[f] = b
	}
	return pages
}
