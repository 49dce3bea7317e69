package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestSubmissions records submissions to upper bodies in the admin,
// refuses bad input with messages and keeps what was typed, notes an
// adoption, counts per officer, section and org, and exports .xlsx; a
// unit's officer sees only the unit's records.
func TestSubmissions(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureau := itoa(e.org("42130021").ID)
		b := e.browser()
		b.loginFull("xinxiyuan")
		r := b.post("/admin/submissions", url.Values{"org_id": {bureau}, "title": {"我局开展冬季救助"}, "recipient": {""}, "submitted_on": {"2026-13-01"}})
		expect(t, "bad submission", r, http.StatusUnprocessableEntity)
		mustContain(t, "bad submission", r.body, "请填写报送单位", "请填写报送日期", "我局开展冬季救助")
		r = b.post("/admin/submissions", url.Values{"org_id": {bureau}, "title": {"我局开展冬季救助"}, "recipient": {"省民政厅"},
			"section": {"社会救助科"}, "submitted_on": {"2026-03-01"}})
		expect(t, "submission", r, http.StatusSeeOther)
		r = b.post("/admin/submissions", url.Values{"org_id": {bureau}, "title": {"养老服务工作简报"}, "recipient": {"市政府办"},
			"section": {"养老服务科"}, "submitted_on": {"2026-02-20"}})
		expect(t, "second submission", r, http.StatusSeeOther)

		// An item of the org may be named instead of a title; another
		// org's item may not.
		_, itemID := e.sampleItems()
		r = b.post("/admin/submissions", url.Values{"org_id": {bureau}, "item_id": {"x"}, "recipient": {"市委办"}, "submitted_on": {"2026-02-01"}})
		expect(t, "bad item number", r, http.StatusUnprocessableEntity)
		mustContain(t, "bad item number", r.body, "请填写信息编号")
		r = b.post("/admin/submissions", url.Values{"org_id": {bureau}, "item_id": {itoa(itemID)}, "recipient": {"市委办"}, "submitted_on": {"2026-02-01"}})
		expect(t, "submission of an item", r, http.StatusSeeOther)
		mustContain(t, "list with the item", b.get("/admin/submissions?year=2026").body, `<a href="/admin/items/`+itoa(itemID)+`">样例已发布信息</a>`)

		subs, err := e.app.DB.Submissions(t.Context(), []int64{e.org("42130021").ID}, 2026)
		if err != nil || len(subs) != 3 {
			t.Fatalf("Submissions = %v, %v; want two", subs, err)
		}
		id := itoa(subs[0].ID)
		expect(t, "edit form", b.get("/admin/submissions/"+id+"/edit"), http.StatusOK)
		r = b.post("/admin/submissions/"+id, url.Values{"title": {subs[0].Title}, "recipient": {"省民政厅"}, "section": {"社会救助科"},
			"submitted_on": {"2026-03-01"}, "adopted": {"1"}, "adopted_on": {"2026-03-02"}})
		expect(t, "adoption without where", r, http.StatusUnprocessableEntity)
		mustContain(t, "adoption without where", r.body, "请填写采用情况")
		r = b.post("/admin/submissions/"+id, url.Values{"title": {subs[0].Title}, "recipient": {"省民政厅"}, "section": {"社会救助科"},
			"submitted_on": {"2026-03-01"}, "adopted": {"1"}, "adopted_on": {"2026-03-02"}, "adopted_where": {"《湖北民政信息》第5期"}})
		expect(t, "adoption", r, http.StatusSeeOther)

		list := b.get("/admin/submissions?year=2026")
		mustContain(t, "submission list", list.body, "我局开展冬季救助", "《湖北民政信息》第5期", "按信息员", "社会救助科", "随州市民政局")
		x := b.get("/admin/submissions/export?year=2026")
		expect(t, "export", x, http.StatusOK)
		f, err := excelize.OpenReader(strings.NewReader(x.body))
		if err != nil {
			t.Fatalf("open export: %v", err)
		}
		rows, _ := f.GetRows("信息报送")
		if len(rows) < 3 || rows[1][4] != "我局开展冬季救助" || rows[1][6] != "是" {
			t.Errorf("export rows = %v", rows)
		}

		// The annual report's draft counts them.
		facts, err := e.app.DB.ReportFacts(t.Context(), e.org("42130021").ID, 2026)
		if err != nil || facts.Submitted != 3 || facts.SubmitAdopted != 1 {
			t.Errorf("report facts: submitted %d, adopted %d, %v; want 3 and 1", facts.Submitted, facts.SubmitAdopted, err)
		}

		// A unit's officer does not see the bureau's records or edit them.
		u := e.browser()
		u.loginFull("fly.xinxiyuan")
		mustNotContain(t, "unit's list", u.get("/admin/submissions?year=2026").body, "我局开展冬季救助")
		expect(t, "unit edits bureau record", u.get("/admin/submissions/"+id+"/edit"), http.StatusNotFound)
		r = u.post("/admin/submissions", url.Values{"org_id": {bureau}, "title": {"越权"}, "recipient": {"省民政厅"}, "submitted_on": {"2026-03-01"}})
		expect(t, "unit records for the bureau", r, http.StatusForbidden)
		r = u.post("/admin/submissions", url.Values{"org_id": {itoa(e.org("42130021-01").ID)}, "item_id": {itoa(itemID)}, "recipient": {"省民政厅"}, "submitted_on": {"2026-03-01"}})
		expect(t, "unit names the bureau's item", r, http.StatusUnprocessableEntity)
		mustContain(t, "unit names the bureau's item", r.body, "未找到本单位该编号的信息")
	})
}
