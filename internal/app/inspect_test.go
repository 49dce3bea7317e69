package app_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/demo"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// inspectEnv is the demo bureau with every list column holding an item,
// so that a fresh inspection finds nothing.
func inspectEnv(t *testing.T) (*env, map[string]account.Actor) {
	t.Helper()
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	if err := demo.LoadItems(t.Context(), e.app.DB, e.app.Publish, e.clock.Now()); err != nil {
		t.Fatalf("demo items: %v", err)
	}
	as := (&writer{e: e}).actors(t)
	e.publishIn(t, as, "jgdj", "机关党建活动", "<p>党建活动。</p>")
	return e, as
}

// publishIn publishes an item with the given body in a column of the bureau.
func (e *env) publishIn(t *testing.T, as map[string]account.Actor, slug, title, body string) {
	t.Helper()
	svc := e.app.Publish
	it, err := svc.Create(t.Context(), as["xinxiyuan"], e.org("42130021").ID, publish.Draft{Title: title, Body: body,
		ColumnID: e.column("42130021", slug).ID, Issuer: "随州市民政局", Genre: "通知", Topic: "民政、扶贫、救灾",
		Disclosure: publish.DiscloseProactive, WrittenDate: "2026-01-05", FormedDate: "2026-01-05"})
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	for _, step := range []func() error{
		func() error { return svc.Submit(t.Context(), as["xinxiyuan"], it.ID) },
		func() error { return svc.SectionApprove(t.Context(), as["kezhang"], it.ID) },
		func() error { return svc.Approve(t.Context(), as["baomi"], it.ID) },
		func() error { return svc.Publish(t.Context(), as["bangongshi"], it.ID) },
	} {
		if err := step(); err != nil {
			t.Fatalf("publish %s: %v", title, err)
		}
	}
}

func TestInspectFindsNothingOnACleanSite(t *testing.T) {
	e, _ := inspectEnv(t)
	_, r, err := e.app.Inspect(t.Context(), "42130021", app.InspectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Pages < 20 {
		t.Errorf("crawled %d pages, want the whole demo site", r.Pages)
	}
	for _, p := range r.Problems {
		t.Errorf("problem on a clean site: %+v", p)
	}
	if r.Failed() {
		t.Errorf("vetoes on a clean site: %+v", r.Vetoes)
	}
}

func TestInspectFindsPlantedProblems(t *testing.T) {
	e, as := inspectEnv(t)
	bureau := e.org("42130021")
	// A news column last updated three weeks ago, and an empty one.
	for _, c := range []org.Column{
		{OrgID: bureau.ID, Kind: org.ColumnList, Slug: "gzdt", Name: "工作动态", Visible: true},
		{OrgID: bureau.ID, Kind: org.ColumnList, Slug: "zcjd", Name: "政策解读", Visible: true},
	} {
		if err := e.app.Orgs.CreateColumn(t.Context(), account.System("test"), &c); err != nil {
			t.Fatalf("create column %s: %v", c.Name, err)
		}
	}
	e.clock.Add(-21 * 24 * time.Hour)
	e.publishIn(t, as, "gzdt", "三周前的工作动态", "<p>旧动态。</p>")
	e.clock.Add(21 * 24 * time.Hour)
	// Dead links, a dead attachment and a dead image in a new item (images
	// without alt text are refused when publishing; the rules are tested
	// in package inspect), and links to an outside site of which one is dead.
	outside := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer outside.Close()
	body := `<p><a href="/mzj/item/999999">已删除的文件</a> <a href="/mzj/col/nosuch">不存在的栏目</a> ` +
		`<a href="/files/` + strings.Repeat("ab", 32) + `/gone.pdf">失效附件</a> ` +
		`<a href="` + outside.URL + `/gone">外部失效链接</a> <a href="` + outside.URL + `/fine">外部有效链接</a></p>` +
		`<p>正文。</p>`
	e.publishIn(t, as, "tzgg", "含错误链接的通知", body)

	_, r, err := e.app.Inspect(t.Context(), "42130021", app.InspectOptions{External: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	found := map[inspect.Kind][]string{}
	for _, p := range r.Problems {
		found[p.Kind] = append(found[p.Kind], p.Where)
	}
	for _, want := range []struct {
		kind  inspect.Kind
		where string
	}{
		{inspect.KindBrokenLink, "/mzj/item/999999"},
		{inspect.KindBrokenLink, "/mzj/col/nosuch"},
		{inspect.KindBrokenLink, "/files/" + strings.Repeat("ab", 32) + "/gone.pdf"},
		{inspect.KindBrokenExternal, outside.URL + "/gone"},
		{inspect.KindStaleColumn, "/mzj/col/gzdt"},
		{inspect.KindEmptyColumn, "/mzj/col/zcjd"},
	} {
		if !contains(found[want.kind], want.where) {
			t.Errorf("no %s at %s; found %v", want.kind, want.where, found)
		}
	}
	if contains(found[inspect.KindBrokenExternal], outside.URL+"/fine") {
		t.Errorf("a working outside link reported broken")
	}
	if n := len(found[inspect.KindBrokenLink]) + len(found[inspect.KindStaleColumn]) + len(found[inspect.KindEmptyColumn]); n != 5 {
		t.Errorf("found %d link and column problems, want exactly the 5 planted: %v", n, found)
	}
	if r.Failed() {
		t.Errorf("one stale and one empty column are no veto: %+v", r.Vetoes)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func TestInspectionRunsFromTheAdmin(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureauAdmin, cityAdmin, officer := e.browser(), e.browser(), e.browser()
		bureauAdmin.loginFull("mzj.admin")
		cityAdmin.loginFull("admin")
		officer.loginFull("xinxiyuan")
		expect(t, "officer opens inspection", officer.get("/admin/inspect"), http.StatusForbidden)

		city := e.org("42130000")
		r := bureauAdmin.post("/admin/inspect", url.Values{"org_id": {itoa(city.ID)}})
		expect(t, "bureau admin inspects the city site", r, http.StatusUnprocessableEntity)
		mustContain(t, "refused run", r.body, "请选择您有管理权限的机构")

		r = bureauAdmin.post("/admin/inspect", url.Values{"org_id": {itoa(e.org("42130021").ID)}})
		expect(t, "start", r, http.StatusSeeOther)
		run := r.location
		r = bureauAdmin.get(run)
		mustContain(t, "running run", r.body, "检查中", "<progress")
		if r.header.Get("Refresh") == "" {
			t.Errorf("a running run's page does not refresh itself")
		}
		if _, err := e.app.Jobs.RunDue(t.Context()); err != nil {
			t.Fatal(err)
		}
		r = bureauAdmin.get(run)
		mustContain(t, "finished run", r.body, "已完成", "空白栏目", "/mzj/col/jgdj", "导出 Excel")
		if r.header.Get("Refresh") != "" {
			t.Errorf("a finished run's page still refreshes")
		}
		x := bureauAdmin.get(run + "/export")
		if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") || !strings.Contains(x.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export: status %d, disposition %q", x.status, x.header.Get("Content-Disposition"))
		}
		mustContain(t, "history", bureauAdmin.get("/admin/inspect").body, "随州市民政局", "已完成")
		// The run's problems go to the findings register, once.
		expect(t, "register problems", bureauAdmin.post(run+"/findings", url.Values{}), http.StatusSeeOther)
		expect(t, "register again", bureauAdmin.post(run+"/findings", url.Values{}), http.StatusSeeOther)
		if n := strings.Count(bureauAdmin.get("/admin/findings").body, "空白栏目：/mzj/col/jgdj"); n != 1 {
			t.Errorf("the empty column is in the register %d times, want once", n)
		}

		// The city's run is not the bureau admin's to see.
		r = cityAdmin.post("/admin/inspect", url.Values{"org_id": {itoa(city.ID)}})
		expect(t, "city admin starts", r, http.StatusSeeOther)
		expect(t, "bureau admin opens the city's run", bureauAdmin.get(r.location), http.StatusNotFound)
		mustNotContain(t, "bureau history", bureauAdmin.get("/admin/inspect").body, "随州市人民政府</td>")
	})
}
