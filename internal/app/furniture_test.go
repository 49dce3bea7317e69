package app_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestTraditionalChinesePages(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		tests := []struct {
			name    string
			path    string
			want    int
			wants   []string
			notWant []string
		}{
			{name: "home", path: "/zh-hant/", want: 200,
				wants:   []string{`lang="zh-Hant"`, "隨州市民政局", "領導班子", "機構職能", "辦事指南", "政務公開", "發揮民政職能，助力精準扶貧", `href="/zh-hant/col/ldbz/"`, `href="/" hreflang="zh-Hans"`, "简体"},
				notWant: []string{"领导班子", "机构职能", `href="/zh-hant/zh-hant`, `hreflang="zh-Hant"`}},
			{name: "report in Traditional without pinyin", path: "/zh-hant/col/nb2017/", want: 200,
				wants:   []string{"所有公開的信息均由局保密工作領導小組審查後發佈", "隨州市民政局根據市委"},
				notWant: []string{"據(jù)", "(jù)", "(", "领导小组"}},
			{name: "static and admin links are not rewritten", path: "/zh-hant/", want: 200,
				wants:   []string{`href="/static/`},
				notWant: []string{`/zh-hant/static/`, `/zh-hant/admin`}},
			{name: "org prefix inside the Traditional tree", path: "/zh-hant/szf/", want: 200, wants: []string{"隨州市人民政府門戶網站", `href="/zh-hant/szf/col/zwdt/"`}},
			{name: "Traditional 404", path: "/zh-hant/col/none/", want: 404, wants: []string{"頁面不存在", "返回首頁"}},
			{name: "the Simplified page links to the Traditional one", path: "/col/jgzn/", want: 200, wants: []string{`href="/zh-hant/col/jgzn/" hreflang="zh-Hant"`, "繁體"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := b.get(tt.path)
				if r.status != tt.want {
					t.Fatalf("GET %s = %d, want %d", tt.path, r.status, tt.want)
				}
				mustContain(t, tt.path, r.body, tt.wants...)
				mustNotContain(t, tt.path, r.body, tt.notWant...)
			})
		}
		if r := b.get("/zh-hant/mzj"); r.status != http.StatusMovedPermanently || r.location != "/zh-hant/mzj/" {
			t.Errorf("redirect inside the Traditional tree = %d %q", r.status, r.location)
		}
	})
}

func TestLeavingNoticeForwardsOnlyToPublishedLinks(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		home := b.get("/").body
		mustContain(t, "footer", home, `href="/leave?to=https%3A%2F%2Fbeian.miit.gov.cn%2F"`)
		r := b.get("/leave?to=" + url.QueryEscape("https://beian.miit.gov.cn/"))
		if r.status != http.StatusOK {
			t.Fatalf("leave to the footer link = %d", r.status)
		}
		mustContain(t, "notice", r.body, "您访问的链接即将离开“随州市民政局”门户网站，是否继续？", `href="https://beian.miit.gov.cn/" rel="noopener noreferrer"`)
		for _, bad := range []string{"https://evil.example/", "javascript:alert(1)", "//evil.example/", "/admin/"} {
			r := b.get("/leave?to=" + url.QueryEscape(bad))
			if r.status != http.StatusNotFound {
				t.Errorf("leave to %q = %d, want 404", bad, r.status)
			}
			if strings.Contains(r.body, `href="`+bad) {
				t.Errorf("leave page links to %q", bad)
			}
			if r.location != "" {
				t.Errorf("leave to %q redirects to %q", bad, r.location)
			}
		}
	})
}

func TestQRCodeOfEveryPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		page := b.get("/col/jgzn/").body
		m := regexp.MustCompile(`<img src="(/qr/[A-Za-z0-9_-]+\.svg)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("page has no QR code")
		}
		mustContain(t, "page", page, "扫一扫在手机上查看当前页面")
		r := b.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		if r.status != 200 || r.header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(r.body, "<svg") || strings.Count(r.body, "v1h-") < 50 {
			t.Errorf("QR code = %d %q %.60s", r.status, r.header.Get("Content-Type"), r.body)
		}
		if r := b.get("/qr/" + base64.RawURLEncoding.EncodeToString([]byte("https://evil.example/")) + ".svg"); r.status != http.StatusNotFound {
			t.Errorf("QR code for an outside address = %d, want 404", r.status)
		}
	})
}

func TestElderlyModePersistsAndOldBrowserNotice(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		page := b.get("/col/jgzn/").body
		mustContain(t, "page", page, `class="old-browser"`, "您的浏览器版本太低", "长者模式")
		mustNotContain(t, "page", page, `class="elder`)
		r := b.get("/elder?on=1&back=" + url.QueryEscape("/col/jgzn/"))
		if r.status != http.StatusSeeOther || r.location != "/col/jgzn/" {
			t.Fatalf("switch on = %d %q", r.status, r.location)
		}
		for _, p := range []string{"/col/jgzn/", "/", "/zh-hant/"} {
			mustContain(t, p, b.get(p).body, `<body class="elder theme-red">`)
		}
		mustContain(t, "page", b.get("/").body, "标准模式")
		if r := b.get("/elder?on=1&back=" + url.QueryEscape("https://evil.example/")); r.location != "/" {
			t.Errorf("elder switch redirects outside: %q", r.location)
		}
		b.get("/elder?on=0&back=/")
		mustNotContain(t, "page", b.get("/").body, `class="elder`)
	})
}
