package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/demo"
	"gongkai/internal/publish"
)

// TestPublishedItemsInBrowser loads the demo items through the workflow and
// checks the public item pages, column listings and home page in a real
// browser, for both widths: content, catalog table, banners, and no
// console errors or serious accessibility violations.
func TestPublishedItemsInBrowser(t *testing.T) {
	s := startSite(t)
	if err := demo.LoadItems(t.Context(), s.app.DB, s.app.Publish, time.Now()); err != nil {
		t.Fatal(err)
	}
	rows, _, err := s.app.DB.Items(t.Context(), publish.Filter{Public: true, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var repealed, updated int64
	for _, l := range rows {
		if l.Item.Validity == publish.ValidityRepealed {
			repealed = l.Item.ID
		}
		if l.Item.Live > 1 {
			updated = l.Item.ID
		}
	}
	// A long column, for the pager.
	bureau, err := s.app.DB.OrgByCode(t.Context(), "42130021")
	if err != nil {
		t.Fatal(err)
	}
	cols, err := s.app.DB.Columns(t.Context(), bureau.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Slug == "jgdj" {
			if err := s.app.DB.BulkItems(t.Context(), bureau.ID, bureau.Code, []int64{c.ID}, 45, time.Now(), nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	pages := []struct{ name, path, want string }{
		{"item-repealed", fmt.Sprintf("/item/%d", repealed), "本文件已废止"},
		{"item-updated", fmt.Sprintf("/item/%d", updated), "更新记录"},
		{"column-items", "/col/tzgg/", "关于开展2026年社会救助政策宣传月活动的通知"},
		{"home-items", "/", "内地居民结婚登记办事指南"},
		{"column-paged", "/col/jgdj/page/2/", "第2/3页"},
	}
	for _, width := range []int{375, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := s.newTab(t, width, 900)
			for _, p := range pages {
				tb.do(chromedp.Navigate(s.url + p.path))
				body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("body")))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(body, p.want) {
					t.Errorf("%s: page text lacks %q", p.name, p.want)
				}
				s.check(tb, fmt.Sprintf("public-%s-%d", p.name, width))
			}
			// The go-to-page box leads to the page's own address.
			tb.do(chromedp.Navigate(s.url+"/col/jgdj/"),
				chromedp.SetValue(chromedp.CSS("#page-no"), "3"),
				chromedp.Click(chromedp.CSS("form.jump button")),
				chromedp.WaitVisible(chromedp.CSS(`a[rel="prev"][href="/col/jgdj/page/2/"]`)))
			loc, err := chromedp.Run(tb.ctx, chromedp.Location())
			if err != nil || !strings.HasSuffix(loc, "/col/jgdj/page/3/") {
				t.Errorf("go to page 3 ended at %s (%v)", loc, err)
			}
		})
	}
}
