package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestItemEditorInBrowser opens the item form as the information officer:
// the rich-text editor starts under the page's security policy without
// console errors, what is typed in it is saved as the body, and the
// metadata form submits normally.
func TestItemEditorInBrowser(t *testing.T) {
	s := startSite(t)
	tb := s.newTab(t, 1280, 900)
	bureau, err := s.app.DB.OrgByCode(t.Context(), "42130021")
	if err != nil {
		t.Fatal(err)
	}
	tb.do(
		chromedp.Navigate(s.url+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "xinxiyuan"),
		chromedp.SendKeys(chromedp.CSS("#password"), s.pw["xinxiyuan"]),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("nav.side")),
		chromedp.Navigate(fmt.Sprintf("%s/admin/items/new?org=%d", s.url, bureau.ID)),
		chromedp.WaitVisible(chromedp.CSS(".jodit-wysiwyg")),
	)
	s.check(tb, "admin-item-editor")
	tb.do(
		chromedp.Click(chromedp.CSS(".jodit-wysiwyg")),
		chromedp.SendKeys(chromedp.CSS(".jodit-wysiwyg"), "编辑器里输入的正文"),
		chromedp.SendKeys(chromedp.CSS("#title"), "用编辑器写的通知"),
		chromedp.SetValue(chromedp.CSS("#column_id"), fmt.Sprint(columnID(t, s, bureau.ID, "tzgg"))),
		chromedp.SetValue(chromedp.CSS("#topic"), "民政、扶贫、救灾"),
		chromedp.SetValue(chromedp.CSS("#genre"), "通知"),
		chromedp.Submit(chromedp.CSS("#title")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("article.preview")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "编辑器里输入的正文") {
		t.Errorf("saved body = %q, want the text typed in the editor", body)
	}
	s.check(tb, "admin-item-show")
}

func columnID(t *testing.T, s *site, orgID int64, slug string) int64 {
	t.Helper()
	c, err := s.app.DB.ColumnBySlug(t.Context(), orgID, slug)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}
