package app_test

import (
	"net/http"
	"net/url"
	"testing"

	"gongkai/internal/audit"
)

// TestUnitMissingBudgetDeadlineIsOverdue is the board test: units
// enter their budget approval dates; one past its 20 days without
// publishing appears overdue on the bureau's board, one still within them
// shows the days left, the bureau's linked budget shows as published with
// its link; the daily job records a reminder once; the board goes public
// when the bureau chooses.
func TestUnitMissingBudgetDeadlineIsOverdue(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		bureau, welfare, rescue := e.org("42130021"), e.org("42130021-01"), e.org("42130021-02")
		_, itemID := e.sampleItems()

		unit := e.browser()
		unit.loginFull("fly.xinxiyuan")
		path := "/admin/disclosures?org=" + itoa(welfare.ID) + "&year=2026"
		r := unit.post(path, url.Values{"org_id": {itoa(welfare.ID)}, "kind": {"budget"}, "approved_on": {"2026-02-30"}})
		expect(t, "bad approval date", r, http.StatusUnprocessableEntity)
		mustContain(t, "bad approval date", r.body, "请填写批复日期", "2026-02-30")
		r = unit.post(path, url.Values{"org_id": {itoa(welfare.ID)}, "kind": {"budget"}, "approved_on": {"2026-02-01"}, "item_id": {itoa(itemID)}})
		expect(t, "another org's item as the unit's budget", r, http.StatusUnprocessableEntity)
		mustContain(t, "another org's item", r.body, "未找到本单位已发布的该编号信息")
		r = unit.post(path, url.Values{"org_id": {itoa(welfare.ID)}, "kind": {"annual_report"}})
		expect(t, "annual report of a unit", r, http.StatusUnprocessableEntity)
		mustContain(t, "annual report of a unit", r.body, "本单位无须公开此项")
		// Approved 1 February: due 21 February; today is 2 March.
		expect(t, "welfare approval", unit.post(path, url.Values{"org_id": {itoa(welfare.ID)}, "kind": {"budget"}, "approved_on": {"2026-02-01"}}), http.StatusSeeOther)
		expect(t, "unit enters for a sibling", unit.post(path, url.Values{"org_id": {itoa(rescue.ID)}, "kind": {"budget"}, "approved_on": {"2026-02-20"}}), http.StatusForbidden)

		adm := e.browser()
		adm.loginFull("mzj.admin")
		bpath := "/admin/disclosures?org=" + itoa(bureau.ID) + "&year=2026"
		expect(t, "rescue approval", adm.post(bpath, url.Values{"org_id": {itoa(rescue.ID)}, "kind": {"budget"}, "approved_on": {"2026-02-20"}}), http.StatusSeeOther)
		expect(t, "bureau budget", adm.post(bpath, url.Values{"org_id": {itoa(bureau.ID)}, "kind": {"budget"}, "approved_on": {"2026-02-25"}, "item_id": {itoa(itemID)}}), http.StatusSeeOther)

		board := adm.get(bpath)
		expect(t, "board", board, http.StatusOK)
		mustContain(t, "board", board.body, "随州市社会福利院", "已逾期</span> 应于 2026-02-21 前公开", "2026-03-12 前（剩 10 天）",
			`href="/mzj/item/`+itoa(itemID)+`"`, "已公开")
		// The unit sees only its own row.
		mustNotContain(t, "unit's board", unit.get("/admin/disclosures?org="+itoa(bureau.ID)+"&year=2026").body, "随州市救助管理站")

		// The daily job records one reminder per stage.
		for range 2 {
			if err := e.app.Jobs.Schedule(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Jobs.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rems, err := e.app.DB.Reminders(ctx, []int64{welfare.ID, rescue.ID})
		if err != nil || len(rems) != 1 || rems[0].OrgID != welfare.ID || rems[0].Stage != "overdue" {
			t.Fatalf("Reminders = %+v, %v; want one overdue for the welfare home", rems, err)
		}
		recs, err := e.app.DB.AuditRecords(ctx, audit.Filter{OrgIDs: []int64{welfare.ID}, Action: string(audit.ActDisclosureRemind)})
		if err != nil || len(recs) != 1 {
			t.Errorf("reminder audit records of the welfare home = %d, %v; want 1", len(recs), err)
		}
		// The bureau's annual report on 2025 was due on 31 January 2026.
		if rems, _ := e.app.DB.Reminders(ctx, []int64{bureau.ID}); len(rems) != 1 || rems[0].Year != 2025 || rems[0].Kind != "annual_report" {
			t.Errorf("bureau reminders = %+v, want the 2025 annual report overdue", rems)
		}
		mustContain(t, "board with reminders", adm.get(bpath).body, "提醒记录", "随州市社会福利院")

		// The public board, only once the bureau chooses so.
		anon := e.browser()
		expect(t, "public board before", anon.get("/mzj/disclosures"), http.StatusNotFound)
		expect(t, "unit makes the bureau's board public", unit.post("/admin/disclosures/public?org="+itoa(bureau.ID)+"&year=2026", url.Values{"public": {"1"}}), http.StatusForbidden)
		expect(t, "make public", adm.post("/admin/disclosures/public?org="+itoa(bureau.ID)+"&year=2026", url.Values{"public": {"1"}}), http.StatusSeeOther)
		pub := anon.get("/mzj/disclosures")
		expect(t, "public board", pub, http.StatusOK)
		mustContain(t, "public board", pub.body, "随州市社会福利院", "已逾期（应于 2026-02-21 前公开）", "/mzj/item/"+itoa(itemID))
	})
}
