package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestSecurityFindingFromRegistrationToClosure(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureauAdmin, cityAdmin, officer := e.browser(), e.browser(), e.browser()
		bureauAdmin.loginFull("mzj.admin")
		cityAdmin.loginFull("admin")
		officer.loginFull("xinxiyuan")
		expect(t, "officer opens the register", officer.get("/admin/findings"), http.StatusForbidden)

		bureau, city := e.org("42130021"), e.org("42130000")
		owner, err := e.app.DB.UserByName(t.Context(), "xinxiyuan")
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"org_id": {itoa(bureau.ID)}, "source": {"assessment"}, "severity": {"high"}, "title": {""},
			"description": {"测评报告指出后台存在弱口令"}, "location": {"/admin/login"}, "found_on": {"2026-03-01"}, "deadline": {"2026-02-01"},
			"owner_id": {itoa(owner.ID)}}
		r := bureauAdmin.post("/admin/findings", form)
		expect(t, "invalid finding", r, http.StatusUnprocessableEntity)
		mustContain(t, "invalid finding", r.body, "请填写隐患名称", "整改期限不能早于发现日期", "测评报告指出后台存在弱口令", `value="/admin/login"`)

		form.Set("title", "后台弱口令")
		form.Set("deadline", "2026-03-01")
		r = bureauAdmin.post("/admin/findings", form)
		expect(t, "register", r, http.StatusSeeOther)
		finding := r.location
		mustContain(t, "list", bureauAdmin.get("/admin/findings").body, "后台弱口令", "待整改", "已超期", "本年发现隐患 1 个（高危 1")

		r = bureauAdmin.postMultipart(finding+"/remediate", url.Values{"remediation": {"已改为强口令"}}, "evidence", "整改.pdf",
			append([]byte("MZ\x90\x00\x03"), make([]byte, 100)...))
		expect(t, "program as evidence", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused evidence", r.body, "不支持此类文件", "已改为强口令")

		pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
		r = bureauAdmin.postMultipart(finding+"/remediate", url.Values{"remediation": {"已改为强口令并启用双因素认证"}}, "evidence", "整改报告.pdf", pdf)
		expect(t, "remediate", r, http.StatusSeeOther)
		ev := bureauAdmin.get(finding + "/evidence")
		if ev.status != http.StatusOK || ev.body != string(pdf) || ev.header.Get("Content-Disposition") == "" {
			t.Errorf("evidence: status %d, disposition %q", ev.status, ev.header.Get("Content-Disposition"))
		}

		r = bureauAdmin.post(finding+"/close", url.Values{"close_note": {"同意"}})
		expect(t, "remediator closes", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused closure", r.body, "销号须由整改人以外的人员确认")

		expect(t, "second person closes", cityAdmin.post(finding+"/close", url.Values{"close_note": {"复核通过"}}), http.StatusSeeOther)
		r = bureauAdmin.get(finding)
		mustContain(t, "closed finding", r.body, "已销号", "复核通过")
		mustNotContain(t, "closed finding", r.body, "已超期")
		// The annual report's draft counts the year's findings.
		facts, err := e.app.DB.ReportFacts(t.Context(), bureau.ID, 2026)
		if err != nil || facts.SecurityFound != 1 || facts.SecurityClosed != 1 {
			t.Errorf("report facts: found %d, closed %d, %v; want 1 and 1", facts.SecurityFound, facts.SecurityClosed, err)
		}

		// The city's finding is not the bureau admin's.
		form.Set("org_id", itoa(city.ID))
		form.Set("title", "门户网站证书将过期")
		r = cityAdmin.post("/admin/findings", form)
		expect(t, "city registers", r, http.StatusSeeOther)
		expect(t, "bureau admin opens the city's finding", bureauAdmin.get(r.location), http.StatusNotFound)
		expect(t, "bureau admin remediates the city's finding", bureauAdmin.post(r.location+"/remediate", url.Values{"remediation": {"x"}}), http.StatusNotFound)
		mustNotContain(t, "bureau list", bureauAdmin.get("/admin/findings").body, "门户网站证书将过期")
		form.Set("title", "越权登记")
		expect(t, "bureau admin registers for the city", bureauAdmin.post("/admin/findings", form), http.StatusUnprocessableEntity)

		if n, err := e.app.DB.VerifyAudit(t.Context()); err != nil {
			t.Errorf("audit: %v (%d)", err, n)
		}
		recs := cityAdmin.get("/admin/audit")
		mustContain(t, "audit", recs.body, "登记安全隐患", "登记隐患整改", "隐患销号")
	})
}

// TestMapSelfCheck lists the maps of published items with their approval
// numbers and registers those without one as findings, once. Publishing
// refuses a map without an approval number, so the one without is an
// older item changed in the database, as items from before the check are.
func TestMapSelfCheck(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		as := (&writer{e: e}).actors(t)
		e.publishIn(t, as, "tzgg", "行政区划调整公告", "<p>调整情况如下。</p>")
		e.publishIn(t, as, "tzgg", "救助站位置公告", "<p>位置如下。</p>")
		sha := strings.Repeat("ab", 32)
		ctx := t.Context()
		if err := e.app.DB.ExecForTest(ctx, `UPDATE item_versions SET body = ? WHERE title = ?`,
			`<p><img src="/files/`+sha+`/quhua.png" alt="随州市行政区划图"></p><p>审图号：鄂S(2020)012号</p>`, "行政区划调整公告"); err != nil {
			t.Fatal(err)
		}
		if err := e.app.DB.ExecForTest(ctx, `UPDATE item_versions SET body = ? WHERE title = ?`,
			`<p><img src="/files/`+strings.Repeat("cd", 32)+`/weizhi.png" alt="救助站位置示意图"></p>`, "救助站位置公告"); err != nil {
			t.Fatal(err)
		}
		admin, officer := e.browser(), e.browser()
		admin.loginFull("mzj.admin")
		officer.loginFull("xinxiyuan")
		expect(t, "officer opens the map check", officer.get("/admin/maps"), http.StatusForbidden)
		r := admin.get("/admin/maps")
		expect(t, "map check", r, http.StatusOK)
		mustContain(t, "map check", r.body, "共 2 幅地图，其中 1 幅未找到审图号", "quhua.png", "鄂S(2020)012号", "weizhi.png", "未找到", "救助站位置公告")

		r = admin.post("/admin/maps/findings", url.Values{})
		expect(t, "register", r, http.StatusSeeOther)
		list := admin.get("/admin/findings").body
		mustContain(t, "findings", list, "地图未标注审图号：weizhi.png", "地图自查")
		mustNotContain(t, "findings", list, "quhua.png")
		admin.post("/admin/maps/findings", url.Values{})
		if n := strings.Count(admin.get("/admin/findings").body, "地图未标注审图号：weizhi.png"); n != 1 {
			t.Errorf("the map is registered %d times after two runs, want once", n)
		}
	})
}
