package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"gongkai/internal/config"
	"gongkai/internal/demo"
)

func TestSiteSearch(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		if err := demo.LoadItems(t.Context(), e.app.DB, e.app.Publish, e.clock.Now()); err != nil {
			t.Fatalf("load demo items: %v", err)
		}
		// Publishing enqueues an index job per item (the periodic sweep is
		// not scheduled here, so these jobs alone must do it).
		if _, err := e.app.Jobs.RunDue(t.Context()); err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		q := func(s string) string { return url.QueryEscape(s) }
		tests := []struct {
			name    string
			path    string
			wants   []string
			notWant []string
		}{
			{"words in the body", "/search?q=" + q("最低生活保障标准"), []string{"找到 2 条结果", "关于调整城乡<mark>最低生活保障标准</mark>的通知", "废止"}, []string{"民生实事项目"}},
			{"document number as a whole", "/search?q=" + q("随民发〔2026〕2号"), []string{"找到 1 条结果", "随民发〔2026〕2号"}, nil},
			{"item awaiting review is not found", "/search?q=" + q("民生实事"), []string{"没有找到与“民生实事”相关的信息", "申请政府信息公开"}, nil},
			{"another site finds nothing of the bureau", "/szf/search?q=" + q("结婚登记"), []string{"找到 0 条结果"}, nil},
			{"the whole site group does", "/szf/search?q=" + q("结婚登记") + "&scope=all", []string{"找到 1 条结果", `href="/mzj/item/`}, nil},
			{"Traditional query on the Traditional page", "/zh-hant/search?q=" + q("結婚登記"), []string{"找到 1 條結果", "<mark>結婚登記</mark>", `href="/zh-hant/item/`}, nil},
			{"empty query asks for words", "/search?q=", []string{"请输入关键词"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := b.get(tt.path)
				if r.status != http.StatusOK {
					t.Fatalf("GET %s = %d", tt.path, r.status)
				}
				mustContain(t, tt.path, r.body, tt.wants...)
				mustNotContain(t, tt.path, r.body, tt.notWant...)
			})
		}
		if !strings.Contains(b.get("/").body, `action="/search"`) {
			t.Error("home page has no search box")
		}
	})
}

// TestSearchFindsAttachmentText publishes an item whose words of interest
// are only in its Word attachment: search finds it by them, and the
// snippet shows them.
func TestSearchFindsAttachmentText(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		c := newCrew(e)
		officer, citizen := c.as("xinxiyuan"), e.browser()
		form := e.itemForm("关于转发有关文件的通知", "<p>详见附件。</p>")
		form.Set("keywords", "")
		r := officer.post("/admin/items", form)
		expect(t, "create", r, http.StatusSeeOther)
		item := r.location
		doc, err := os.ReadFile("../publish/docx/testdata/notice.docx")
		if err != nil {
			t.Fatal(err)
		}
		expect(t, "attach Word", officer.upload(item+"/attachments", "file", "宣传月方案.docx", doc), http.StatusSeeOther)
		q := "/mzj/search?q=" + url.QueryEscape("特困人员救助供养")
		c.run(t, item, "submit", "section-approve", "approve")
		if _, err := e.app.Jobs.RunDue(t.Context()); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "search before publication", citizen.get(q).body, "没有找到")
		c.run(t, item, "publish")
		if _, err := e.app.Jobs.RunDue(t.Context()); err != nil {
			t.Fatal(err)
		}
		r = citizen.get(q)
		mustContain(t, q, r.body, "找到 1 条结果", "关于转发有关文件的通知", "<mark>特困人员救助供养</mark>")
		r = citizen.get("/mzj/search?q=" + url.QueryEscape("注重实效"))
		mustContain(t, "second phrase of the attachment", r.body, "找到 1 条结果")
	})
}

// TestSearchRateSetting checks the per-address search limit and that
// --search-rate 0 turns it off.
func TestSearchRateSetting(t *testing.T) {
	for _, tt := range []struct {
		name    string
		cfg     config.Config
		limited bool
	}{
		{"default: a burst of 30", config.Config{}, true},
		{"turned off", config.Config{NoSearchLimit: true}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.DataDir = t.TempDir()
			b := newEnv(t, tt.cfg).browser()
			refused := 0
			for i := range 40 {
				// Distinct queries: a page already in the cache costs no search.
				if r := b.get("/search?q=" + url.QueryEscape(fmt.Sprint("低保", i))); r.status == http.StatusTooManyRequests {
					refused++
				}
			}
			if got := refused > 0; got != tt.limited {
				t.Errorf("%d of 40 searches refused; limited = %v, want %v", refused, got, tt.limited)
			}
		})
	}
}
