package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/demo"
)

// TestSearchAndCatalogInBrowser searches from the box every page has and
// browses the disclosure catalog, at phone and desktop widths.
func TestSearchAndCatalogInBrowser(t *testing.T) {
	s := startSite(t)
	if err := demo.LoadItems(t.Context(), s.app.DB, s.app.Publish, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.app.DB.SyncSearch(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{375, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := s.newTab(t, width, 900)
			tb.do(chromedp.Navigate(s.url+"/"),
				chromedp.SendKeys(chromedp.CSS("#site-q"), "最低生活保障"),
				chromedp.Submit(chromedp.CSS("#site-q")),
				chromedp.WaitVisible(chromedp.CSS(".result-count")))
			body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("main")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, "条结果") || !strings.Contains(body, "关于调整城乡最低生活保障标准的通知") {
				t.Errorf("search results: %.300s", body)
			}
			s.check(tb, fmt.Sprintf("public-search-%d", width))
			tb.do(chromedp.Navigate(s.url + "/search?q=" + "没有这样的词语"))
			s.check(tb, fmt.Sprintf("public-search-empty-%d", width))
			tb.do(chromedp.Navigate(s.url+"/"), chromedp.Click(chromedp.CSS(`footer a[href="/catalog"]`)), chromedp.WaitVisible(chromedp.CSS("table.catalog")))
			tb.do(chromedp.SetValue(chromedp.CSS("#genre"), "办事指南"), chromedp.Submit(chromedp.CSS("#genre")), chromedp.WaitVisible(chromedp.CSS("table.catalog")))
			body, err = chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("main")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, "共 2 条") {
				t.Errorf("catalog filtered by genre: %.300s", body)
			}
			s.check(tb, fmt.Sprintf("public-catalog-%d", width))
			// Browsing by one facet follows a link to an address of its own.
			tb.do(chromedp.Navigate(s.url+"/catalog"), chromedp.Click(chromedp.CSS(`.catalog-browse a[href="/catalog/validity/repealed/"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.catalog-browse a[aria-current="page"]`)))
			loc, err := chromedp.Run(tb.ctx, chromedp.Location())
			if err != nil {
				t.Fatal(err)
			}
			body, err = chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("main")))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(loc, "/catalog/validity/repealed/") || !strings.Contains(body, "共 1 条") {
				t.Errorf("catalog by validity at %s: %.300s", loc, body)
			}
			s.check(tb, fmt.Sprintf("public-catalog-facet-%d", width))
		})
	}
}
