package app_test

import (
	"gongkai/internal/report/export"
	"net/url"
	"strings"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/admin"
	"gongkai/internal/site"
	"gongkai/internal/web"
)

// TestEveryTemplateRenders visits a page for every template of the staff
// UI and the public site with real data, so a template that parses but
// fails to execute is caught. A new template without a visit here fails.
func TestEveryTemplateRenders(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureau := e.org("42130021")
		col := e.column("42130021", "tzgg")
		li, err := e.app.DB.UserByName(t.Context(), "xinxiyuan")
		if err != nil {
			t.Fatal(err)
		}
		adm := e.browser()
		adm.loginFull("mzj.admin")
		type visit struct {
			method, path string
			form         url.Values
			want         int
		}
		adminPages := map[string]visit{
			"dashboard":   {"GET", "/admin/", nil, 200},
			"org/list":    {"GET", "/admin/orgs", nil, 200},
			"org/form":    {"GET", "/admin/orgs/new", nil, 200},
			"column/list": {"GET", "/admin/orgs/" + itoa(bureau.ID) + "/columns", nil, 200},
			"column/form": {"GET", "/admin/columns/" + itoa(col.ID) + "/edit", nil, 200},
			"user/list":   {"GET", "/admin/users", nil, 200},
			"user/form":   {"GET", "/admin/users/" + itoa(li.ID) + "/edit", nil, 200},
			"user/secret": {"POST", "/admin/users", url.Values{"username": {"new.user"}, "display_name": {"新同事"}, "org_id": {itoa(bureau.ID)},
				"grant_rows": {"1"}, "grant_org_0": {itoa(bureau.ID)}, "role_0": {"officer", "reviewer"}}, 200},
			"audit/list":    {"GET", "/admin/audit?action=login", nil, 200},
			"auth/password": {"GET", "/admin/password", nil, 200},
			"error":         {"GET", "/admin/nothing-here", nil, 404},
		}
		// Items (issue 3).
		draftID, itemID := e.sampleItems()
		adminPages["item/list"] = visit{"GET", "/admin/items", nil, 200}
		adminPages["item/show"] = visit{"GET", "/admin/items/" + itoa(itemID), nil, 200}
		adminPages["item/history"] = visit{"GET", "/admin/items/" + itoa(itemID) + "/history", nil, 200}
		adminPages["token/list"] = visit{"GET", "/admin/tokens", nil, 200}
		adminPages["topic/list"] = visit{"GET", "/admin/topics", nil, 200}
		// Site inspection, findings register, map self-check (issue 10).
		adminPages["inspect/list"] = visit{"GET", "/admin/inspect", nil, 200}
		if r := adm.post("/admin/inspect", url.Values{"org_id": {itoa(bureau.ID)}}); r.status == 303 {
			adminPages["inspect/show"] = visit{"GET", r.location, nil, 200}
		}
		adminPages["security/list"] = visit{"GET", "/admin/findings", nil, 200}
		adminPages["security/maps"] = visit{"GET", "/admin/maps", nil, 200}
		if r := adm.post("/admin/findings", url.Values{"org_id": {itoa(bureau.ID)}, "source": {"scan"}, "severity": {"low"}, "title": {"样例隐患"},
			"found_on": {"2026-03-01"}, "deadline": {"2026-03-31"}, "owner_id": {itoa(li.ID)}}); r.status == 303 {
			adminPages["security/show"] = visit{"GET", r.location, nil, 200}
		}
		anon := e.browser()
		anonPages := map[string]visit{
			"auth/login": {"GET", "/admin/login", nil, 200},
		}
		enrol := e.browser()
		enrol.login("baomi")
		enrolPages := map[string]visit{"auth/enrol": {"GET", "/admin/2fa/enrol", nil, 200}}
		totp := e.browser()
		totp.loginFull("bangongshi")
		totp2 := e.browser()
		totp2.login("bangongshi")
		totpPages := map[string]visit{"auth/totp": {"GET", "/admin/2fa", nil, 200}}

		check := func(b *browser, pages map[string]visit) {
			for name, v := range pages {
				var r resp
				if v.method == "GET" {
					r = b.get(v.path)
				} else {
					r = b.post(v.path, v.form)
				}
				if r.status != v.want {
					t.Errorf("template %s: %s %s = %d, want %d", name, v.method, v.path, r.status, v.want)
				}
			}
		}
		check(adm, adminPages)
		check(anon, anonPages)
		check(enrol, enrolPages)
		check(totp2, totpPages)
		pubPages := map[string]visit{"review/queue": {"GET", "/admin/review", nil, 200},
			"item/form": {"GET", "/admin/items/" + itoa(draftID) + "/edit", nil, 200}}
		// Site group (issue 9): pushes to upper sites.
		pubPages["syndicate/list"] = visit{"GET", "/admin/pushes", nil, 200}
		pubPages["syndicate/push"] = visit{"GET", "/admin/items/" + itoa(itemID) + "/push", nil, 200}
		pubPages["syndicate/submissions"] = visit{"GET", "/admin/submissions", nil, 200}
		totp.post("/admin/submissions", url.Values{"org_id": {itoa(bureau.ID)}, "title": {"报送样例"}, "recipient": {"省民政厅"}, "submitted_on": {"2026-03-01"}})
		if subs, err := e.app.DB.Submissions(t.Context(), []int64{bureau.ID}, 2026); err == nil && len(subs) > 0 {
			pubPages["syndicate/submission"] = visit{"GET", "/admin/submissions/" + itoa(subs[0].ID) + "/edit", nil, 200}
		}
		pubPages["syndicate/disclosures"] = visit{"GET", "/admin/disclosures", nil, 200}
		// Annual report and statistics (issue 8).
		pubPages["report/show"] = visit{"GET", "/admin/report", nil, 200}
		pubPages["report/stats"] = visit{"GET", "/admin/stats", nil, 200}
		adm.post("/admin/disclosures/public?org="+itoa(bureau.ID), url.Values{"public": {"1"}})
		check(totp, pubPages)
		// Screening (issue 4): the site group's word list, for the city administrator.
		cityAdm := e.newStaff(t, "cs.admin", e.org("42130000").ID, account.RoleAdmin)
		screenPages := map[string]visit{"screening/words": {"GET", "/admin/screening/words", nil, 200}}
		check(cityAdm, screenPages)

		sitePages := map[string]string{"home": "/", "column": "/col/zwgk/", "page": "/col/nb2017/", "orgs": "/orgs", "error": "/col/none/", "leave": "/leave?to=" + url.QueryEscape("https://beian.miit.gov.cn/"), "search": "/search?q=" + url.QueryEscape("民政"), "catalog": "/catalog"}
		// Disclosure on application; apply/receipt after a POST is checked by TestPublicApplication.
		sitePages["apply/form"], sitePages["apply/track"], sitePages["apply/receipt"] = "/apply", "/apply/track", "/apply"
		sitePages["item"] = "/mzj/item/" + itoa(itemID)
		sitePages["disclosures"] = "/mzj/disclosures" // made public above
		// Public interaction, with seeded data; interact/receipt after a POST is checked by TestInteractPublicFormAndQuery.
		msgID, consultID := e.seedInteract(t)
		sitePages["interact/list"], sitePages["interact/form"], sitePages["interact/query"] = "/interact/", "/interact/new", "/interact/query"
		sitePages["interact/show"], sitePages["interact/receipt"] = "/interact/"+itoa(msgID), "/interact/new"
		sitePages["interact/consults"], sitePages["interact/consult"] = "/interact/consult/", "/interact/consult/"+itoa(consultID)
		for name, p := range sitePages {
			if r := anon.get(p); r.status >= 500 {
				t.Errorf("site template %s: GET %s = %d", name, p, r.status)
			}
		}

		assets, err := web.NewAssets(web.StaticFS())
		if err != nil {
			t.Fatal(err)
		}
		ar, err := admin.Templates(assets)
		if err != nil {
			t.Fatal(err)
		}
		applyCovered := visitApplyPages(t, e) // disclosure on application (apply_admin_test.go)
		// Public interaction (interact_admin_test.go).
		interactCovered := visitInteractPages(t, e, totp, msgID, consultID)
		for _, n := range ar.Names() {
			_, a := adminPages[n]
			_, b := anonPages[n]
			_, c := enrolPages[n]
			_, d := totpPages[n]
			_, p := pubPages[n]
			_, sp := screenPages[n]
			p = p || sp
			if !a && !b && !c && !d && !p && !applyCovered[n] && !interactCovered[n] {
				t.Errorf("admin template %s is not visited by this test", n)
			}
		}
		sr, err := site.Templates(assets)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range sr.Names() {
			if _, ok := sitePages[n]; !ok {
				t.Errorf("site template %s is not visited by this test", n)
			}
		}
	})
}

// TestServedReportStylesheetIsTheEmbeddedOne: the staff pages link to the
// same print stylesheet that standalone report documents embed.
func TestServedReportStylesheetIsTheEmbeddedOne(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		r := e.browser().get("/static/any/report.css")
		if r.status != 200 || r.body != export.PrintCSS || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
			t.Errorf("served report.css = %d %q, not the export's stylesheet", r.status, r.header.Get("Content-Type"))
		}
	})
}
