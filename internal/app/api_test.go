package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func (b *browser) api(method, path, token, body string) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest(method, b.e.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return b.do(req)
}

func TestReadAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		draft, id := e.sampleItems()
		b := e.browser()
		r := b.get("/api/v1/items?org=42130021&column=tzgg")
		expect(t, "list items", r, http.StatusOK)
		var list struct {
			Items []struct {
				ID       int64             `json:"id"`
				URL      string            `json:"url"`
				Title    string            `json:"title"`
				Metadata map[string]string `json:"metadata"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(r.body), &list); err != nil {
			t.Fatal(err)
		}
		if list.Total != 1 || list.Items[0].ID != id || list.Items[0].Metadata["index_no"] != "42130021/2026-00001" ||
			list.Items[0].URL != e.srv.URL+"/mzj/item/"+itoa(id) {
			t.Errorf("item list = %+v", list)
		}
		r = b.get("/api/v1/items/" + itoa(id))
		expect(t, "get item", r, http.StatusOK)
		mustContain(t, "item JSON", r.body, `"title":"样例已发布信息"`, `"body":"<p>草稿正文</p>"`, `"log":{"index":0,"leaf":"/log/leaf/0"}`, `"topic":"民政、扶贫、救灾"`)
		expect(t, "draft through the API", b.get("/api/v1/items/"+itoa(draft)), http.StatusNotFound)
		expect(t, "unknown org", b.get("/api/v1/items?org=nope"), http.StatusUnprocessableEntity)
		r = b.get("/api/v1/columns?org=42130021")
		expect(t, "columns", r, http.StatusOK)
		mustContain(t, "columns", r.body, `"slug":"tzgg"`, `"name":"通知公告"`, `"kind":"topic"`)
	})
}

var secretTokRe = regexp.MustCompile(`<code class="secret">(gkapi_[A-Za-z0-9_-]+)</code>`)

func TestTokenAPI(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		adm := e.browser()
		adm.loginFull("mzj.admin")
		r := adm.post("/admin/tokens", url.Values{"org_id": {itoa(e.org("42130021").ID)}, "name": {""}})
		expect(t, "token without name", r, http.StatusUnprocessableEntity)
		r = adm.post("/admin/tokens", url.Values{"org_id": {itoa(e.org("42130021").ID)}, "name": {"市政务服务平台"}})
		expect(t, "create token", r, http.StatusOK)
		m := secretTokRe.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("token page shows no secret")
		}
		tok := m[1]
		if strings.Contains(adm.get("/admin/tokens").body, tok) {
			t.Errorf("token secret shown again on the list")
		}
		pub := e.browser()
		pub.loginFull("bangongshi")
		expect(t, "publisher cannot manage tokens", pub.get("/admin/tokens"), http.StatusForbidden)

		body := `{"title":"接口推送的办事指南","body":"<p>办理流程</p>","column":"bszn","columns":["jzfp"],"issuer":"随州市民政局","topic":"民政、扶贫、救灾",
			"genre":"办事指南","written_date":"2026-02-27","formed_date":"2026-02-27","disclosure":"proactive"}`
		c := e.browser()
		expect(t, "no token", c.api("POST", "/api/v1/items", "", body), http.StatusUnauthorized)
		expect(t, "wrong token", c.api("POST", "/api/v1/items", "gkapi_wrong", body), http.StatusUnauthorized)
		r = c.api("POST", "/api/v1/items", tok, `{"title":""}`)
		expect(t, "invalid draft", r, http.StatusUnprocessableEntity)
		mustContain(t, "invalid draft", r.body, `"title":"请填写标题"`)
		r = c.api("POST", "/api/v1/items", tok, body)
		expect(t, "create through the API", r, http.StatusCreated)
		var created struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		}
		if err := json.Unmarshal([]byte(r.body), &created); err != nil || created.State != "draft" {
			t.Fatalf("created = %s, %v", r.body, err)
		}
		expect(t, "submit through the API", c.api("POST", "/api/v1/items/"+itoa(created.ID)+"/submit", tok, ""), http.StatusOK)
		it, err := e.app.DB.Item(t.Context(), created.ID)
		if err != nil || it.State != "section_review" {
			t.Fatalf("item after API submit: %+v, %v", it, err)
		}
		// A token of one unit cannot act on another unit's item.
		officer := e.browser()
		officer.loginFull("fly.xinxiyuan")
		f := e.itemForm("福利院信息", "<p>x</p>")
		f.Set("org_id", itoa(e.org("42130021-01").ID))
		f.Set("column_id", itoa(e.column("42130021-01", "tzgg").ID))
		f.Del("columns")
		r = officer.post("/admin/items", f)
		expect(t, "unit item", r, http.StatusSeeOther)
		unitItem := "/api/v1/items/" + strings.TrimPrefix(r.location, "/admin/items/")
		cityAdm := e.browser()
		cityAdm.loginFull("admin")
		r = cityAdm.post("/admin/tokens", url.Values{"org_id": {itoa(e.org("42130021-02").ID)}, "name": {"救助站系统"}})
		other := secretTokRe.FindStringSubmatch(r.body)[1]
		expect(t, "other unit's token cannot submit", c.api("POST", unitItem+"/submit", other, ""), http.StatusNotFound)

		// Revoked tokens stop working.
		toks, err := e.app.DB.APITokens(t.Context(), []int64{e.org("42130021").ID})
		if err != nil || len(toks) != 1 {
			t.Fatalf("tokens = %v, %v", toks, err)
		}
		expect(t, "revoke", adm.post("/admin/tokens/"+itoa(toks[0].ID)+"/revoke", nil), http.StatusSeeOther)
		expect(t, "revoked token", c.api("POST", "/api/v1/items", tok, body), http.StatusUnauthorized)
	})
}
