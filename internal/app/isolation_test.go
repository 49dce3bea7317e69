package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"gongkai/internal/org"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (e *env) org(code string) *org.Org {
	e.t.Helper()
	o, err := e.app.DB.OrgByCode(e.t.Context(), code)
	if err != nil {
		e.t.Fatalf("org %s: %v", code, err)
	}
	return o
}

func (e *env) column(orgCode, slug string) *org.Column {
	e.t.Helper()
	c, err := e.app.DB.ColumnBySlug(e.t.Context(), e.org(orgCode).ID, slug)
	if err != nil {
		e.t.Fatalf("column %s/%s: %v", orgCode, slug, err)
	}
	return c
}

// TestOrgIsolation checks, through HTTP, that staff act only on their own
// org and the units below it, and only with the role the action needs.
func TestOrgIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		city, bureau, unit := e.org("42130000"), e.org("42130021"), e.org("42130021-01")
		cityCol, bureauCol := e.column("42130000", "tzgg"), e.column("42130021", "tzgg")
		colForm := func(name string) url.Values {
			return url.Values{"name": {name}, "slug": {"tzgg"}, "kind": {"list"}, "visible": {"1"}, "update_days": {"180"}, "sort": {"10"}}
		}
		tests := []struct {
			name   string
			user   string
			method string
			path   string
			form   url.Values
			want   int
		}{
			{"bureau admin edits own org", "mzj.admin", "GET", "/admin/orgs/" + itoa(bureau.ID) + "/edit", nil, http.StatusOK},
			{"bureau admin edits its unit", "mzj.admin", "GET", "/admin/orgs/" + itoa(unit.ID) + "/edit", nil, http.StatusOK},
			{"bureau admin cannot edit the city", "mzj.admin", "GET", "/admin/orgs/" + itoa(city.ID) + "/edit", nil, http.StatusForbidden},
			{"bureau admin cannot post to the city", "mzj.admin", "POST", "/admin/orgs/" + itoa(city.ID), url.Values{"code": {"X"}, "name": {"改名"}, "path_prefix": {"szf"}}, http.StatusForbidden},
			{"bureau admin cannot change city columns", "mzj.admin", "POST", "/admin/columns/" + itoa(cityCol.ID), colForm("改名"), http.StatusForbidden},
			{"bureau admin cannot hide city columns", "mzj.admin", "POST", "/admin/columns/" + itoa(cityCol.ID) + "/visibility", url.Values{"visible": {"0"}}, http.StatusForbidden},
			{"bureau admin cannot add a user to the city", "mzj.admin", "POST", "/admin/users", url.Values{"username": {"x.y"}, "display_name": {"某某"}, "org_id": {itoa(city.ID)}, "grant_rows": {"1"}, "grant_org_0": {itoa(city.ID)}, "role_0": {"admin"}}, http.StatusForbidden},
			{"bureau admin cannot grant roles in the city", "mzj.admin", "POST", "/admin/users", url.Values{"username": {"x.z"}, "display_name": {"某某"}, "org_id": {itoa(bureau.ID)}, "grant_rows": {"1"}, "grant_org_0": {itoa(city.ID)}, "role_0": {"officer"}}, http.StatusForbidden},
			{"publisher manages own columns", "bangongshi", "POST", "/admin/columns/" + itoa(bureauCol.ID), colForm("通知公告"), http.StatusSeeOther},
			{"publisher cannot manage users", "bangongshi", "GET", "/admin/users", nil, http.StatusForbidden},
			{"publisher cannot read the audit trail", "bangongshi", "GET", "/admin/audit", nil, http.StatusForbidden},
			{"publisher cannot edit the org", "bangongshi", "GET", "/admin/orgs/" + itoa(bureau.ID) + "/edit", nil, http.StatusForbidden},
			{"officer cannot manage columns", "xinxiyuan", "GET", "/admin/orgs/" + itoa(bureau.ID) + "/columns", nil, http.StatusForbidden},
			{"officer cannot list orgs", "xinxiyuan", "GET", "/admin/orgs", nil, http.StatusForbidden},
			{"unit officer cannot see the bureau columns", "fly.xinxiyuan", "GET", "/admin/orgs/" + itoa(bureau.ID) + "/columns", nil, http.StatusForbidden},
			{"city admin manages the whole group", "admin", "GET", "/admin/orgs/" + itoa(unit.ID) + "/columns", nil, http.StatusOK},
		}
		browsers := map[string]*browser{}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				b, ok := browsers[tt.user]
				if !ok {
					b = e.browser()
					b.loginFull(tt.user)
					browsers[tt.user] = b
				}
				var r resp
				if tt.method == "GET" {
					r = b.get(tt.path)
				} else {
					r = b.post(tt.path, tt.form)
				}
				if r.status != tt.want {
					t.Errorf("%s %s as %s = %d, want %d", tt.method, tt.path, tt.user, r.status, tt.want)
				}
				if r.status == http.StatusForbidden {
					mustContain(t, "403 page", r.body, "没有执行此操作的权限")
				}
			})
		}
		// Nothing forbidden changed anything.
		if got := e.org("42130000"); got.Name != "随州市人民政府" {
			t.Errorf("city renamed to %q by a forbidden request", got.Name)
		}
		if got := e.column("42130000", "tzgg"); got.Name != "通知公告" || !got.Visible {
			t.Errorf("city column changed by a forbidden request: %+v", got)
		}
	})
}

func TestAdminManagesColumnsWithValidationAndAudit(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.loginFull("bangongshi")
		bureau := e.org("42130021")
		base := "/admin/orgs/" + itoa(bureau.ID) + "/columns"
		// Invalid: duplicate slug and empty name; the form comes back with
		// what was typed and a message per field.
		r := b.post(base, url.Values{"name": {""}, "slug": {"tzgg"}, "kind": {"list"}, "update_days": {"abc"}})
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("invalid column = %d, want 422", r.status)
		}
		mustContain(t, "column form", r.body, "请填写栏目名称", "更新周期须在0至3660天之间")
		r = b.post(base, url.Values{"name": {"政策解读"}, "slug": {"tzgg"}, "kind": {"list"}})
		mustContain(t, "column form", r.body, "栏目标识“tzgg”已被栏目“通知公告”使用", `value="政策解读"`)
		// Valid: created, then hidden, then it disappears from the public site.
		r = b.post(base, url.Values{"name": {"政策解读"}, "slug": {"zcjd"}, "kind": {"list"}, "visible": {"1"}, "update_days": {"180"}, "sort": {"25"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create column = %d: %s", r.status, r.body)
		}
		pub := e.browser()
		mustContain(t, "home", pub.get("/").body, "政策解读")
		c := e.column("42130021", "zcjd")
		if r := b.post("/admin/columns/"+itoa(c.ID)+"/visibility", url.Values{"visible": {"0"}}); r.status != http.StatusSeeOther {
			t.Fatalf("hide = %d", r.status)
		}
		mustNotContain(t, "home", pub.get("/").body, "政策解读")
		if r := pub.get("/col/zcjd/"); r.status != http.StatusNotFound {
			t.Errorf("hidden column page = %d, want 404", r.status)
		}
		// Reorder: move 通知公告 up swaps it with 办事指南.
		tz := e.column("42130021", "tzgg")
		b.post("/admin/columns/"+itoa(tz.ID)+"/move", url.Values{"dir": {"up"}})
		home := pub.get("/").body
		if i, j := indexOf(home, ">通知公告<"), indexOf(home, ">办事指南<"); i < 0 || j < 0 || i > j {
			t.Errorf("after moving up, 通知公告 (%d) should come before 办事指南 (%d)", i, j)
		}
		adm := e.browser()
		adm.loginFull("mzj.admin")
		audit := adm.get("/admin/audit?actor=bangongshi")
		mustContain(t, "audit page", audit.body, "新建栏目", "隐藏栏目", "调整栏目顺序", "政策解读")
	})
}

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}
