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
	pages := []struct{ name, path, want string }{
		{"item-repealed", fmt.Sprintf("/item/%d", repealed), "本文件已废止"},
		{"item-updated", fmt.Sprintf("/item/%d", updated), "更新记录"},
		{"column-items", "/col/tzgg/", "关于开展2026年社会救助政策宣传月活动的通知"},
		{"home-items", "/", "内地居民结婚登记办事指南"},
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
		})
	}
}
