package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestAnnualReportStaffPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		bureau, err := e.app.DB.OrgByCode(ctx, "42130021")
		if err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf("org=%d&year=2025", bureau.ID)
		form := func(extra url.Values) url.Values {
			v := url.Values{"org": {fmt.Sprint(bureau.ID)}, "year": {"2025"}}
			for k, x := range extra {
				v[k] = x
			}
			return v
		}

		api := e.browser()
		if r := api.get("/api/v1/orgs/42130021/annual-report/2025"); r.status != http.StatusNotFound {
			t.Errorf("API before the report is final = %d, want 404", r.status)
		}

		office := e.browser()
		office.loginFull("bangongshi")
		page := office.get("/admin/report?" + q)
		if page.status != http.StatusOK {
			t.Fatalf("report page = %d", page.status)
		}
		mustContain(t, "report page", page.body, "随州市民政局2025年政府信息公开工作年度报告", "二、主动公开政府信息情况",
			"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "四、结转下年度继续办理", "复议后起诉",
			"尚未填报", "根据数据生成的", "保存填报数据", `href="/static/`)

		// A figure without a source is refused with the typed value kept.
		r := office.post("/admin/report/figure", form(url.Values{"cell": {"2.fees"}, "value": {"12.5"}, "source": {""}}))
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("figure without source = %d, want 422", r.status)
		}
		mustContain(t, "422 page", r.body, "请注明数据来源", `value="12.5"`)
		r = office.post("/admin/report/figure", form(url.Values{"cell": {"2.fees"}, "value": {"12.5"}, "source": {"财务科收费台账"}}))
		if r.status != http.StatusSeeOther {
			t.Fatalf("figure = %d, want 303", r.status)
		}
		// An override of a computed figure breaks the balance and is shown.
		r = office.post("/admin/report/figure", form(url.Values{"cell": {"3.new.person"}, "value": {"9"}, "source": {"纸质登记簿"}}))
		if r.status != http.StatusSeeOther {
			t.Fatalf("override = %d", r.status)
		}
		page = office.get("/admin/report?" + q)
		mustContain(t, "report page after figures", page.body, "财务科收费台账", "12.5", "纸质登记簿", "表格勾稽关系不一致", "mismatch", "manual")

		r = office.post("/admin/report/narrative", form(url.Values{"overview": {"本年度总体情况。"}, "problems": {"问题与改进。"}, "other": {"未收取信息处理费。"}}))
		if r.status != http.StatusSeeOther {
			t.Fatalf("narrative = %d", r.status)
		}
		r = office.post("/admin/report/work", form(url.Values{"kind": {"training"}, "title": {"条例培训"}, "day": {"2024-05-01"}, "attendees": {"30"}}))
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("training outside the year = %d, want 422", r.status)
		}
		mustContain(t, "work 422", r.body, "请填写 2025 年内的日期", `value="条例培训"`)
		r = office.post("/admin/report/work", form(url.Values{"kind": {"training"}, "title": {"条例培训"}, "day": {"2025-05-01"}, "attendees": {"30"}}))
		if r.status != http.StatusSeeOther {
			t.Fatalf("work = %d", r.status)
		}
		page = office.get("/admin/report?" + q + "&draft=1")
		mustContain(t, "draft", page.body, "全年举办政府信息公开业务培训1次，参训30人次", "问题与改进。")

		for format, ctype := range map[string]string{"xlsx": "spreadsheetml", "docx": "wordprocessingml", "json": "application/json", "html": "text/html"} {
			r := office.get("/admin/report/export?" + q + "&format=" + format)
			if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Type"), ctype) {
				t.Errorf("export %s = %d %s", format, r.status, r.header.Get("Content-Type"))
			}
			if format == "html" {
				mustContain(t, "print view", r.body, "本年度总体情况。", "report.css", "未收取信息处理费。")
				mustNotContain(t, "print view", r.body, "<style", "style=")
			}
		}

		r = office.post("/admin/report/status", form(url.Values{"status": {"final"}}))
		if r.status != http.StatusSeeOther {
			t.Fatalf("final = %d", r.status)
		}
		r = api.get("/api/v1/orgs/42130021/annual-report/2025")
		if r.status != http.StatusOK {
			t.Fatalf("API of a final report = %d", r.status)
		}
		mustContain(t, "API", r.body, `"2.fees": "12.5"`, "三、收到和处理政府信息公开申请情况", "本年度总体情况。")
		mustNotContain(t, "API", r.body, "财务科收费台账x")
		if r := api.get("/api/v1/orgs/nope/annual-report/2025"); r.status != http.StatusNotFound {
			t.Errorf("API unknown org = %d", r.status)
		}
		// The final report becomes an item submitted for review.
		r = office.post("/admin/report/item", form(nil))
		if r.status != http.StatusSeeOther {
			t.Fatalf("report item = %d: %.300s", r.status, r.body)
		}
		d, err := e.app.DB.ReportDraft(ctx, bureau.ID, 2025)
		if err != nil || d.ItemID == 0 {
			t.Fatalf("draft after item = %+v, %v", d, err)
		}
		item := office.get(fmt.Sprintf("/admin/items/%d", d.ItemID))
		mustContain(t, "report item", item.body, "随州市民政局2025年政府信息公开工作年度报告", "rowspan", "结转下年度继续办理")
		if r := office.post("/admin/report/item", form(nil)); r.status != http.StatusUnprocessableEntity {
			t.Errorf("second report item = %d, want 422", r.status)
		}
		r = office.post("/admin/report/narrative", form(url.Values{"overview": {"改动"}}))
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "年报已定稿") {
			t.Errorf("editing a final report = %d", r.status)
		}

		// An officer of the bureau reads but cannot write; a unit's
		// officer cannot see the bureau's report at all.
		officer := e.browser()
		officer.loginFull("xinxiyuan")
		if r := officer.get("/admin/report?" + q); r.status != http.StatusOK || strings.Contains(r.body, "保存填报数据") {
			t.Errorf("officer view = %d", r.status)
		}
		if r := officer.post("/admin/report/figure", form(url.Values{"cell": {"2.penalty"}, "value": {"1"}, "source": {"x"}})); r.status != http.StatusForbidden {
			t.Errorf("officer figure = %d, want 403", r.status)
		}
		unit := e.browser()
		unit.loginFull("fly.xinxiyuan")
		if r := unit.get("/admin/report?" + q); r.status != http.StatusForbidden {
			t.Errorf("unit officer on the bureau's report = %d, want 403", r.status)
		}
		if r := unit.get("/admin/report/export?" + q + "&format=json"); r.status != http.StatusForbidden {
			t.Errorf("unit officer export = %d, want 403", r.status)
		}
		if r := unit.get("/admin/report"); r.status != http.StatusOK || strings.Contains(r.body, "随州市民政局2025") {
			t.Errorf("unit officer's own report = %d", r.status)
		}
	})
}

var islandRe = regexp.MustCompile(`(?s)<script type="application/json" id="stats-data">(.*?)</script>`)

func TestStatisticsDashboard(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		bureau, err := e.app.DB.OrgByCode(ctx, "42130021")
		if err != nil {
			t.Fatal(err)
		}
		city, err := e.app.DB.OrgByCode(ctx, "42130000")
		if err != nil {
			t.Fatal(err)
		}
		office := e.browser()
		office.loginFull("bangongshi")
		r := office.get(fmt.Sprintf("/admin/stats?org=%d&year=2026", bureau.ID))
		if r.status != http.StatusOK {
			t.Fatalf("stats = %d", r.status)
		}
		mustContain(t, "stats", r.body, "每月发布信息（条）", "依申请公开办理结果（件）", "（数据表）", "vendor/echarts/echarts.min.js", "stats.js", "平均办理用时")
		mustNotContain(t, "stats", r.body, "<script>", "style=")
		m := islandRe.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no data island")
		}
		var data map[string]struct {
			Labels []string `json:"labels"`
			Values []int64  `json:"values"`
		}
		if err := json.Unmarshal([]byte(m[1]), &data); err != nil {
			t.Fatalf("data island is not JSON: %v\n%.300s", err, m[1])
		}
		if len(data["items_month"].Values) != 12 || len(data["outcomes"].Labels) != 6 {
			t.Errorf("data island = %+v", data)
		}
		x := office.get(fmt.Sprintf("/admin/stats/export?org=%d&year=2026", bureau.ID))
		if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
			t.Errorf("stats export = %d", x.status)
		}

		admin := e.browser()
		admin.loginFull("admin")
		if r := admin.get(fmt.Sprintf("/admin/stats?org=%d&year=2026&sub=1", city.ID)); r.status != http.StatusOK || !strings.Contains(r.body, "含下级单位，共") {
			t.Errorf("site group stats = %d", r.status)
		}
		unit := e.browser()
		unit.loginFull("fly.xinxiyuan")
		if r := unit.get(fmt.Sprintf("/admin/stats?org=%d&year=2026", bureau.ID)); r.status != http.StatusForbidden {
			t.Errorf("unit officer on bureau stats = %d, want 403", r.status)
		}
	})
}

func TestAnnualReportAPIIsRateLimited(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		limited := false
		for range 25 {
			if r := b.get("/api/v1/orgs/42130021/annual-report/2025"); r.status == http.StatusTooManyRequests {
				limited = true
				break
			}
		}
		if !limited {
			t.Errorf("25 report requests at once were all served")
		}
	})
}
