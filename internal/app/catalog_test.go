package app_test

import (
	"encoding/csv"
	"encoding/xml"
	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/config"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

func TestCatalogFeedsSitemapAndRobots(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		if err := demo.LoadItems(t.Context(), e.app.DB, e.app.Publish, e.clock.Now()); err != nil {
			t.Fatalf("load demo items: %v", err)
		}
		b := e.browser()
		cat := b.get("/catalog")
		if cat.status != http.StatusOK {
			t.Fatalf("catalog = %d", cat.status)
		}
		mustContain(t, "catalog", cat.body, "政府信息公开目录", "随民发〔2026〕2号", "42130021/", "废止", `>规范性文件</option>`, "下载")
		mustNotContain(t, "catalog", cat.body, "民生实事项目") // awaiting review
		filtered := b.get("/catalog?genre=" + url.QueryEscape("办事指南"))
		mustContain(t, "filtered catalog", filtered.body, "共 2 条", "结婚登记办事指南")
		mustNotContain(t, "filtered catalog", filtered.body, "随民发〔2026〕2号")
		if r := b.get("/catalog?validity=repealed"); !strings.Contains(r.body, "共 1 条") {
			t.Errorf("repealed filter: %s", r.body[:200])
		}
		// One facet at a time has addresses of its own, linked from the
		// catalog, so that a static mirror holds them.
		genre := "/catalog/genre/" + url.PathEscape("办事指南") + "/"
		mustContain(t, "catalog", cat.body, `href="`+genre+`"`, `href="/catalog/validity/repealed/"`, `href="/catalog/year/2026/"`, "按类别浏览")
		byGenre := b.get(genre)
		mustContain(t, "catalog by genre", byGenre.body, "共 2 条", "结婚登记办事指南", `href="`+genre+`" aria-current="page"`,
			"政府信息公开目录（体裁：办事指南）", `<a href="/catalog">政府信息公开目录</a>`)
		mustNotContain(t, "catalog by genre", byGenre.body, "随民发〔2026〕2号")
		if r := b.get("/catalog/validity/repealed/"); !strings.Contains(r.body, "共 1 条") {
			t.Errorf("catalog by validity: %.200s", r.body)
		}
		mustContain(t, "Traditional catalog by genre", b.get("/zh-hant"+genre).body, "辦事指南", `href="/zh-hant`+genre+`"`)
		for _, p := range []string{"/catalog/genre/" + url.PathEscape("没有的体裁") + "/", "/catalog/colour/red/", "/catalog/year/02026/",
			"/catalog/validity/valid%20/", "/catalog/page/1/", "/catalog/page/2/", genre + "page/2/"} {
			if r := b.get(p); r.status != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, r.status)
			}
		}

		r := b.get("/catalog.csv?genre=" + url.QueryEscape("办事指南"))
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("catalog.csv = %d %q", r.status, r.header)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
		if err != nil || len(recs) != 3 || recs[0][0] != "索引号" || !strings.HasPrefix(recs[1][10], "http") {
			t.Errorf("catalog.csv = %v, %v", recs, err)
		}
		if r := b.get("/catalog.xlsx"); r.status != 200 || !strings.HasPrefix(r.body, "PK") {
			t.Errorf("catalog.xlsx = %d", r.status)
		}

		var feed struct {
			Title   string `xml:"title"`
			Entries []struct {
				Title string `xml:"title"`
				Link  struct {
					Href string `xml:"href,attr"`
				} `xml:"link"`
			} `xml:"entry"`
		}
		r = b.get("/feed.xml")
		if r.status != 200 || r.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
			t.Fatalf("feed = %d %q", r.status, r.header.Get("Content-Type"))
		}
		if err := xml.Unmarshal([]byte(r.body), &feed); err != nil || len(feed.Entries) < 5 || !strings.Contains(feed.Entries[0].Link.Href, "/item/") {
			t.Errorf("feed = %+v, %v", feed, err)
		}
		r = b.get("/col/bszn/feed.xml")
		feed.Entries = nil
		if err := xml.Unmarshal([]byte(r.body), &feed); err != nil || len(feed.Entries) != 2 || !strings.Contains(feed.Title, "办事指南") {
			t.Errorf("column feed = %+v, %v", feed, err)
		}
		mustContain(t, "column page", b.get("/col/bszn/").body, `type="application/atom+xml"`, `href="/col/bszn/feed.xml"`, `href="/feed.xml"`)

		r = b.get("/sitemap.xml")
		mustContain(t, "sitemap", r.body, "<urlset", "/col/ldbz/</loc>", "/catalog</loc>", "/item/")
		mustNotContain(t, "sitemap", r.body, "/col/none")
		r = b.get("/robots.txt")
		mustContain(t, "robots", r.body, "Disallow: /admin/", "/mzj/sitemap.xml", "/flj/sitemap.xml")
		mustNotContain(t, "robots", r.body, "/szf/sitemap.xml") // the city portal has its own host
		req, _ := http.NewRequest("GET", e.srv.URL+"/robots.txt", nil)
		req.Host = "szf.gongkai.test"
		mustContain(t, "robots on the portal host", b.do(req).body, "Sitemap: http://szf.gongkai.test/sitemap.xml")
	})
}

func TestPortalShowsTheGroup(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		if err := demo.LoadItems(t.Context(), e.app.DB, e.app.Publish, e.clock.Now()); err != nil {
			t.Fatalf("load demo items: %v", err)
		}
		b := e.browser()
		home := b.get("/szf/")
		mustContain(t, "portal home", home.body, "部门动态", "来源：市民政局", `href="/mzj/item/`, "内地居民结婚登记办事指南")
		// A bureau without units below has no such section.
		mustNotContain(t, "unit home", b.get("/flj/").body, "部门动态")
		cat := b.get("/szf/catalog?scope=all")
		mustContain(t, "group catalog", cat.body, "来源", "市民政局", "随民发〔2026〕2号", `href="/mzj/item/`)
		mustNotContain(t, "portal's own catalog", b.get("/szf/catalog").body, "随民发〔2026〕2号")
	})
}

func TestOrgThemeIsInheritedByUnits(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		mustContain(t, "bureau", b.get("/mzj/").body, `theme-red`)
		adm := e.browser()
		adm.loginFull("mzj.admin")
		bureau := e.org("42130021")
		form := url.Values{"parent_id": {itoa(bureau.ParentID)}, "code": {bureau.Code}, "name": {bureau.Name}, "short_name": {bureau.ShortName},
			"path_prefix": {bureau.Site.PathPrefix}, "site_name": {bureau.Site.Name}, "is_default": {"1"}, "theme": {"blue"},
			"site_code": {bureau.Site.SiteCode}, "icp": {bureau.Site.ICP}, "psb": {bureau.Site.PSB}, "address": {bureau.Site.Address}, "phone": {bureau.Site.Phone}}
		if r := adm.post("/admin/orgs/"+itoa(bureau.ID), form); r.status != http.StatusSeeOther {
			t.Fatalf("save theme = %d", r.status)
		}
		mustContain(t, "bureau after the change", b.get("/mzj/").body, `theme-blue`)
		mustContain(t, "unit follows its bureau", b.get("/flj/").body, `theme-blue`)
		mustContain(t, "city keeps its own", b.get("/szf/").body, `theme-red`)
		form.Set("theme", "purple; } body { display:none")
		if r := adm.post("/admin/orgs/"+itoa(bureau.ID), form); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "请从列表中选择配色") {
			t.Errorf("unknown theme = %d", r.status)
		}
	})
}

func TestOrgTemplatesOfTheirOwn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	// The bureau's own home page template; its units inherit it, the city
	// keeps the built-in one. A partial of the built-in set still works.
	if err := os.MkdirAll(filepath.Join(dir, "templates", "mzj"), 0o755); err != nil {
		t.Fatal(err)
	}
	home := `{{define "content"}}<h1 class="bureau-own">民政局自定义首页</h1>{{range .Sections}}<p>{{.Column.Name}}</p>{{end}}{{end}}`
	if err := os.WriteFile(filepath.Join(dir, "templates", "mzj", "home.html"), []byte(home), 0o644); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, config.Config{DataDir: dir})
	b := e.browser()
	mustContain(t, "bureau home", b.get("/mzj/").body, `class="bureau-own"`, "通知公告", "网站标识码")
	mustContain(t, "unit home", b.get("/flj/").body, `class="bureau-own"`)
	mustNotContain(t, "city home", b.get("/szf/").body, `class="bureau-own"`)
	mustNotContain(t, "bureau column page", b.get("/mzj/col/tzgg/").body, `class="bureau-own"`)
}

func TestBrokenOrgTemplateStopsTheStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	os.MkdirAll(filepath.Join(dir, "templates", "mzj"), 0o755)
	os.WriteFile(filepath.Join(dir, "templates", "mzj", "home.html"), []byte(`{{define "content"}}{{.Nope`), 0o644)
	if _, err := app.New(t.Context(), config.Config{DataDir: dir, Addr: "127.0.0.1:0"}, app.Options{HashParams: account.TestHashParams}); err == nil {
		t.Fatal("app started with a broken template")
	}
}
