package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"gongkai/internal/account"
	"gongkai/internal/demo"
	"gongkai/internal/report"
)

var mediaBoxRe = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)

// TestAnnualReportPrintsOnA4 prints the report's print view as the office
// would (Chromium's print to PDF, paper size taken from the page's CSS)
// and checks every page is A4 (595 × 842 points); the statistics
// dashboard draws its charts under the security policy without console
// errors and passes axe-core.
func TestAnnualReportPrintsOnA4(t *testing.T) {
	s := startSite(t)
	tb := s.newTab(t, 1280, 900)
	bureau, err := s.app.DB.OrgByCode(t.Context(), "42130021")
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadReport(t.Context(), s.app.DB, s.app.Apply, report.NewService(s.app.DB), time.Now()); err != nil {
		t.Fatalf("load the demo year: %v", err)
	}
	year := time.Now().Year()
	tb.do(
		chromedp.Navigate(s.url+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "bangongshi"),
		chromedp.SendKeys(chromedp.CSS("#password"), s.pw["bangongshi"]),
		chromedp.Submit(chromedp.CSS("#password")),
		// The office's publisher must bind an authenticator first.
		chromedp.WaitVisible(chromedp.CSS(".qr img")),
	)
	text, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("code.secret")))
	if err != nil {
		t.Fatal(err)
	}
	code, err := account.TOTPCode(secretRe.FindString(text), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("nav.side")),
		chromedp.Navigate(fmt.Sprintf("%s/admin/report?org=%d&year=%d", s.url, bureau.ID, year)),
		chromedp.WaitVisible(chromedp.CSS("table.nr-grid")),
	)
	s.check(tb, "admin-report")

	tb.do(
		chromedp.Navigate(fmt.Sprintf("%s/admin/report/export?org=%d&year=%d&format=html", s.url, bureau.ID, year)),
		chromedp.WaitVisible(chromedp.CSS("table.t-requests")),
	)
	s.check(tb, "admin-report-print")
	pdf, err := chromedp.Run(tb.ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		prefer := true
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
		return res.Data, err
	})
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	boxes := mediaBoxRe.FindAllSubmatch(pdf, -1)
	if len(boxes) == 0 {
		t.Fatalf("PDF of %d bytes has no page size", len(pdf))
	}
	for i, b := range boxes {
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		if w < 594 || w > 597 || h < 840 || h > 843 {
			t.Errorf("page %d is %.1f × %.1f pt, want A4 595 × 842", i+1, w, h)
		}
	}
	t.Logf("report printed on %d A4 pages", len(boxes))

	tb.do(
		chromedp.Navigate(fmt.Sprintf("%s/admin/stats?org=%d&year=%d", s.url, bureau.ID, year)),
		chromedp.WaitVisible(chromedp.CSS(".chart svg")),
	)
	loaded, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`typeof echarts === "object"`))
	if err != nil || !loaded {
		t.Errorf("ECharts not loaded on the dashboard: %v", err)
	}
	s.check(tb, "admin-stats")
}
