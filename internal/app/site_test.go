package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPublicSite(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		tests := []struct {
			name    string
			path    string
			host    string
			want    int
			wants   []string
			notWant []string
		}{
			{name: "bureau home at the root with the report's columns", path: "/", want: 200,
				wants: []string{"随州市民政局", "领导班子", "机构职能", "办事指南", "通知公告", "机关党建", "服务窗口", "政务公开", "公众互动",
					"政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报",
					"发挥民政职能，助力精准扶贫", "开展地名普查，共建文明随州", "网站标识码：4213000021", "ICP备案号", "公安机关备案号"}},
			{name: "bureau home under its prefix", path: "/mzj/", want: 200, wants: []string{`href="/mzj/col/ldbz/"`}},
			{name: "prefix without slash redirects", path: "/mzj", want: 301},
			{name: "city portal under its prefix", path: "/szf/", want: 200, wants: []string{"随州市人民政府门户网站", "政务动态", "网站标识码：4213000001"}, notWant: []string{"领导班子"}},
			{name: "city portal by host name", path: "/", host: "szf.gongkai.test", want: 200, wants: []string{"随州市人民政府门户网站", "政务动态"}, notWant: []string{"领导班子"}},
			{name: "city portal by host name with port", path: "/", host: "szf.gongkai.test:8080", want: 200, wants: []string{"随州市人民政府门户网站"}},
			{name: "unit site", path: "/flj/", want: 200, wants: []string{"随州市社会福利院", "预算决算"}},
			{name: "single page", path: "/col/jgzn/", want: 200, wants: []string{"机构职能", "社会救助"}},
			{name: "2017 annual report page in Simplified Chinese", path: "/col/nb2017/", want: 200,
				wants:   []string{"所有公开的信息均由局保密工作领导小组审查后发布", "2017年未出现依申请公开引起行政复议或行政诉讼被判定违法件数", "首页", "政务公开", "政府信息公开年报"},
				notWant: []string{"(jù)", "據", "隨州", "門戶"}},
			{name: "list column lists its children", path: "/col/zwgk/", want: 200, wants: []string{"政府信息公开指南", "政府信息公开年报"}},
			{name: "empty list column says so", path: "/col/tzgg/", want: 200, wants: []string{"本栏目暂无信息"}},
			{name: "special topic", path: "/col/jzfp/", want: 200, wants: []string{"发挥民政职能，助力精准扶贫"}},
			{name: "org directory", path: "/orgs", want: 200, wants: []string{"随州市人民政府", "随州市救助管理站", `href="/jzz/"`}},
			{name: "unknown column is a Chinese 404 with navigation", path: "/col/nope/", want: 404, wants: []string{"页面不存在", "返回首页", "领导班子"}},
			{name: "unknown path is 404", path: "/no/such/page", want: 404, wants: []string{"页面不存在"}},
			{name: "health check", path: "/healthz", want: 200, wants: []string{"ok"}},
			{name: "metrics from loopback", path: "/metrics", want: 200, wants: []string{"gongkai_http_requests_total", "gongkai_http_request_duration_seconds"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest("GET", e.srv.URL+tt.path, nil)
				if tt.host != "" {
					req.Host = tt.host
				}
				r := b.do(req)
				if r.status != tt.want {
					t.Fatalf("GET %s = %d, want %d", tt.path, r.status, tt.want)
				}
				mustContain(t, tt.path, r.body, tt.wants...)
				mustNotContain(t, tt.path, r.body, tt.notWant...)
			})
		}
	})
}

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		for _, p := range []string{"/", "/col/nb2017/", "/nope", "/admin/login", "/admin/", "/healthz"} {
			r := b.get(p)
			for h, want := range map[string]string{
				"Content-Security-Policy": "frame-ancestors 'none'",
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "strict-origin-when-cross-origin",
				"X-Frame-Options":         "DENY",
			} {
				if got := r.header.Get(h); !strings.Contains(got, want) {
					t.Errorf("GET %s: %s = %q, want it to contain %q", p, h, got, want)
				}
			}
			if strings.Contains(r.header.Get("Content-Security-Policy"), "unsafe-inline") {
				t.Errorf("GET %s: CSP allows inline code", p)
			}
		}
		if got := b.get("/admin/login").header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("staff page Cache-Control = %q, want no-store", got)
		}
	})
}

func TestCrossSitePostIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		req, _ := http.NewRequest("POST", e.srv.URL+"/admin/login", strings.NewReader(url.Values{"username": {"xinxiyuan"}, "password": {e.pw["xinxiyuan"]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		r := b.do(req)
		if r.status != http.StatusForbidden {
			t.Fatalf("cross-site login = %d, want 403", r.status)
		}
		mustContain(t, "refusal", r.body, "请求来源不被允许")
		req, _ = http.NewRequest("POST", e.srv.URL+"/admin/login", strings.NewReader(url.Values{"username": {"xinxiyuan"}, "password": {e.pw["xinxiyuan"]}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if r := b.do(req); r.status != http.StatusSeeOther {
			t.Errorf("same-origin login = %d, want 303", r.status)
		}
	})
}

func TestStaticAssetsAreFingerprinted(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		home := b.get("/").body
		i := strings.Index(home, "/static/")
		if i < 0 {
			t.Fatal("home page links no static asset")
		}
		path := home[i : i+strings.IndexByte(home[i:], '"')]
		r := b.get(path)
		if r.status != 200 || !strings.Contains(r.header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") {
			t.Errorf("GET %s = %d, Cache-Control %q, Content-Type %q", path, r.status, r.header.Get("Cache-Control"), r.header.Get("Content-Type"))
		}
	})
}
