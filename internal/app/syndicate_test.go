package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/internal/audit"
	"gongkai/internal/publish"
)

// TestPushFollowsOriginal is the first end-to-end test: a bureau
// item pushed to the city portal, accepted, updated, repealed, then
// withdrawn, with the portal's page following each step through the page
// cache; refusals are shown with their reasons; a declined push never
// shows upstream.
func TestPushFollowsOriginal(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx, svc := t.Context(), e.app.Publish
		draftID, itemID := e.sampleItems()
		cityNews := e.column("42130000", "zwdt")
		id := itoa(itemID)
		pub := e.browser()
		pub.loginFull("bangongshi")

		// Refusals, each with its reason and what was typed kept.
		r := pub.post("/admin/items/"+id+"/push", url.Values{"column": {""}, "note": {"请采用"}})
		expect(t, "push without a column", r, http.StatusUnprocessableEntity)
		mustContain(t, "push without a column", r.body, "请选择上级网站的", "请采用")
		r = pub.post("/admin/items/"+id+"/push", url.Values{"column": {itoa(e.column("42130021", "tzgg").ID)}})
		expect(t, "push to own column", r, http.StatusUnprocessableEntity)
		r = pub.post("/admin/items/"+itoa(draftID)+"/push", url.Values{"column": {itoa(cityNews.ID)}})
		expect(t, "push of a draft", r, http.StatusUnprocessableEntity)
		mustContain(t, "push of a draft", r.body, "只能推送已发布的信息")

		// The upper site does not show a waiting push.
		anon := e.browser()
		mustNotContain(t, "portal column before the push", anon.get("/szf/col/zwdt/").body, "样例已发布信息")

		form := pub.get("/admin/items/" + id + "/push")
		expect(t, "push form", form, http.StatusOK)
		mustContain(t, "push form", form.body, "随州市人民政府", "政务动态")
		r = pub.post("/admin/items/"+id+"/push", url.Values{"column": {itoa(cityNews.ID)}, "note": {"请市政府网站采用"}})
		expect(t, "push", r, http.StatusSeeOther)
		r = pub.post("/admin/items/"+id+"/push", url.Values{"column": {itoa(cityNews.ID)}})
		expect(t, "duplicate push", r, http.StatusUnprocessableEntity)
		mustContain(t, "duplicate push", r.body, "不能重复推送")
		mustNotContain(t, "portal column while waiting", anon.get("/szf/col/zwdt/").body, "样例已发布信息")
		expect(t, "portal item page while waiting", anon.get("/szf/item/"+id), http.StatusNotFound)

		// The bureau's publisher cannot decide for the city.
		pushes, err := e.app.DB.ItemPushes(ctx, itemID)
		if err != nil || len(pushes) != 1 {
			t.Fatalf("ItemPushes = %v, %v; want one", pushes, err)
		}
		pid := itoa(pushes[0].ID)
		expect(t, "bureau accepts for the city", pub.post("/admin/pushes/"+pid+"/accept", url.Values{"column": {itoa(cityNews.ID)}}), http.StatusForbidden)

		portal := e.browser()
		portal.loginFull("szf.bangongshi")
		inbox := portal.get("/admin/pushes")
		mustContain(t, "portal inbox", inbox.body, "样例已发布信息", "随州市民政局", "请市政府网站采用", "待处理")
		r = portal.post("/admin/pushes/"+pid+"/decline", url.Values{"reason": {" "}})
		expect(t, "decline without a reason", r, http.StatusUnprocessableEntity)
		mustContain(t, "decline without a reason", r.body, "请填写退回理由")
		r = portal.post("/admin/pushes/"+pid+"/accept", url.Values{"column": {itoa(cityNews.ID)}})
		expect(t, "accept", r, http.StatusSeeOther)

		// Accepted: listed in the column and on the home page with its
		// source, and its page has the canonical link to the original.
		col := anon.get("/szf/col/zwdt/")
		mustContain(t, "portal column after accepting", col.body, "样例已发布信息", "来源：随州市民政局", "/szf/item/"+id)
		mustContain(t, "portal home after accepting", anon.get("/szf/").body, "样例已发布信息", "来源：随州市民政局")
		page := anon.get("/szf/item/" + id)
		expect(t, "portal item page", page, http.StatusOK)
		mustContain(t, "portal item page", page.body, `<link rel="canonical" href="`+e.srv.URL+`/mzj/item/`+id+`">`, "来源：随州市民政局", "政务动态", "样例已发布信息")
		// Another org's site does not show it.
		expect(t, "unit site item page", anon.get("/flj/item/"+id), http.StatusNotFound)

		// An update of the original shows upstream once published.
		if err := svc.StartUpdate(ctx, e.actor("xinxiyuan"), itemID); err != nil {
			t.Fatal(err)
		}
		it, _ := e.app.DB.Item(ctx, itemID)
		v, _ := e.app.DB.ItemVersion(ctx, itemID, it.Current)
		d := publish.DraftOf(v)
		d.Title, d.ChangeNote = "样例已发布信息（更新）", "更正标题"
		steps := []error{
			svc.Save(ctx, e.actor("xinxiyuan"), itemID, v.Rev, d),
			svc.Submit(ctx, e.actor("xinxiyuan"), itemID),
			svc.SectionApprove(ctx, e.actor("kezhang"), itemID),
			svc.Approve(ctx, e.actor("baomi"), itemID),
			svc.Publish(ctx, e.actor("bangongshi"), itemID),
		}
		for i, err := range steps {
			if err != nil {
				t.Fatalf("update step %d: %v", i, err)
			}
		}
		mustContain(t, "portal page after the update", anon.get("/szf/item/"+id).body, "样例已发布信息（更新）", "更正标题")
		mustContain(t, "portal column after the update", anon.get("/szf/col/zwdt/").body, "样例已发布信息（更新）")

		// Repeal shows its banner upstream.
		if err := svc.SetValidity(ctx, e.actor("bangongshi"), itemID, publish.ActRepeal, "2026-03-02"); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "portal page after repeal", anon.get("/szf/item/"+id).body, "本文件已废止")

		// Withdrawal takes it off the portal at once.
		if err := svc.Withdraw(ctx, e.actor("bangongshi"), itemID, "内容有误"); err != nil {
			t.Fatal(err)
		}
		expect(t, "portal page after withdrawal", anon.get("/szf/item/"+id), http.StatusNotFound)
		mustNotContain(t, "portal column after withdrawal", anon.get("/szf/col/zwdt/").body, "样例已发布信息")
		mustNotContain(t, "portal home after withdrawal", anon.get("/szf/").body, "样例已发布信息")

		// Each step is in the audit trail of the org that took it.
		for act, org := range map[audit.Action]string{audit.ActPushSend: "42130021", audit.ActPushAccept: "42130000"} {
			recs, err := e.app.DB.AuditRecords(ctx, audit.Filter{OrgIDs: []int64{e.org(org).ID}, Action: string(act)})
			if err != nil || len(recs) != 1 {
				t.Errorf("audit %s of %s = %d records, %v; want 1", act, org, len(recs), err)
			}
		}

		// The counts for the bureau's annual report.
		c, err := e.app.DB.PushCounts(ctx, []int64{e.org("42130021").ID}, 2026)
		if err != nil || c.Pushed != 1 || c.Accepted != 1 || c.Declined != 0 {
			t.Errorf("PushCounts = %+v, %v; want 1 pushed, 1 accepted", c, err)
		}
		// ... and in the draft of its 总体情况 (internal/report reads the pushes).
		mustContain(t, "annual report draft", pub.get("/admin/report?org="+itoa(e.org("42130021").ID)+"&year=2026").body, "向上级政府网站报送信息1条，被采用1条。")
	})
}

// TestDeclinedPushNeverShows checks that a declined push leaves the upper
// site unchanged, is shown to the sender with the reason, and that the
// item may be offered again.
func TestDeclinedPushNeverShows(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		_, itemID := e.sampleItems()
		cityNews := e.column("42130000", "zwdt")
		id := itoa(itemID)
		pub := e.browser()
		pub.loginFull("bangongshi")
		expect(t, "push", pub.post("/admin/items/"+id+"/push", url.Values{"column": {itoa(cityNews.ID)}}), http.StatusSeeOther)
		anon := e.browser()
		anon.get("/szf/col/zwdt/")
		gen := e.app.DB.CacheGen()
		ps, _ := e.app.DB.ItemPushes(t.Context(), itemID)
		portal := e.browser()
		portal.loginFull("szf.bangongshi")
		expect(t, "decline", portal.post("/admin/pushes/"+itoa(ps[0].ID)+"/decline", url.Values{"reason": {"与栏目定位不符"}}), http.StatusSeeOther)
		after := anon.get("/szf/col/zwdt/")
		mustNotContain(t, "portal column after declining", after.body, "样例已发布信息")
		if e.app.DB.CacheGen() == gen {
			t.Error("the decision did not move the page cache's generation")
		}
		expect(t, "portal item page after declining", anon.get("/szf/item/"+id), http.StatusNotFound)
		mustContain(t, "sender's list", pub.get("/admin/pushes").body, "已退回", "与栏目定位不符")
		expect(t, "push again after declining", pub.post("/admin/items/"+id+"/push", url.Values{"column": {itoa(cityNews.ID)}}), http.StatusSeeOther)
		if strings.Contains(anon.get("/szf/col/zwdt/").body, "样例已发布信息") {
			t.Error("a waiting second push shows upstream")
		}
	})
}

// TestJSONFeed checks the JSON Feed of an org's published items for
// outside portals: its own items only, with absolute links.
func TestJSONFeed(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		draftID, itemID := e.sampleItems()
		r := e.browser().get("/mzj/feed.json")
		expect(t, "feed.json", r, http.StatusOK)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/feed+json") {
			t.Errorf("Content-Type = %q", ct)
		}
		var f struct {
			Version string `json:"version"`
			Items   []struct {
				URL   string   `json:"url"`
				Title string   `json:"title"`
				Tags  []string `json:"tags"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(r.body), &f); err != nil {
			t.Fatalf("decode feed: %v", err)
		}
		if f.Version != "https://jsonfeed.org/version/1.1" || len(f.Items) != 1 || f.Items[0].URL != e.srv.URL+"/mzj/item/"+itoa(itemID) ||
			f.Items[0].Title != "样例已发布信息" || len(f.Items[0].Tags) == 0 {
			t.Errorf("feed = %+v", f)
		}
		mustNotContain(t, "feed.json", r.body, "样例草稿", "/item/"+itoa(draftID)+`"`)
		mustNotContain(t, "city feed.json", e.browser().get("/szf/feed.json").body, "样例已发布信息")
	})
}
