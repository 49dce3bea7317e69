package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/config"
	"gongkai/internal/demo"
)

// chromium finds the browser, skipping the test (failing under CI=true)
// when there is none.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("GONGKAI_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium not found but CI=true: install it (apt-get install -y chromium) or set GONGKAI_CHROMIUM")
	}
	t.Skip("Chromium not found; browser tests skipped (apt-get install -y chromium, or set GONGKAI_CHROMIUM)")
	return ""
}

// axeSource returns axe-core's script from node_modules, skipping (or
// failing under CI) when npm install has not been run.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core missing but CI=true: run npm ci at the repository root: %v", err)
		}
		t.Skip("axe-core not installed; run npm ci at the repository root")
	}
	return string(b)
}

// shotDir is where screenshots go: $GONGKAI_SCREENSHOTS, or a temporary
// directory.
func shotDir(t *testing.T) string {
	if d := os.Getenv("GONGKAI_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

type site struct {
	url  string
	app  *app.App
	pw   map[string]string
	now  func() time.Time
	axe  string
	dir  string
	exec string
}

func startSite(t *testing.T) *site {
	t.Helper()
	exe := chromium(t)
	axe := axeSource(t)
	cfg := config.Config{DataDir: filepath.Join(t.TempDir(), "data"), Addr: "127.0.0.1:0"}
	a, err := app.New(t.Context(), cfg, app.Options{HashParams: account.TestHashParams})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	creds, err := demo.Load(t.Context(), a.DB, a.Orgs, a.Accounts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	s := &site{url: srv.URL, app: a, pw: map[string]string{}, now: time.Now, axe: axe, dir: shotDir(t), exec: exe}
	for _, c := range creds {
		s.pw[c.Username] = c.Password
	}
	return s
}

// tab is one browser tab with its console collected.
type tab struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []consoleError // guarded by mu
}

type consoleError struct {
	url, text string
	load      bool // a failed resource load
}

func (s *site) newTab(t *testing.T, width, height int) *tab {
	t.Helper()
	actx, cancelA := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(s.exec), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.WindowSize(width, height), chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelT(); cancel(); cancelA() })
	tb := &tab{t: t, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" {
				tb.mu.Lock()
				tb.errors = append(tb.errors, consoleError{url: m.URL, text: fmt.Sprintf("%s:%d %s", m.URL, m.Line+1, m.String()), load: strings.Contains(m.String(), "Failed to load resource")})
				tb.mu.Unlock()
			}
		}
	}()
	return tb
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// check takes a screenshot, runs axe-core and reports console errors.
func (s *site) check(tb *tab, name string) {
	tb.t.Helper()
	// Give late console messages (failed resources) a moment to arrive.
	time.Sleep(150 * time.Millisecond)
	shot, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(s.dir, name+".png"), shot, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	if _, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](s.axe+";true")); err != nil {
		tb.t.Fatalf("inject axe-core on %s: %v", name, err)
	}
	violations, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("run axe-core on %s: %v", name, err)
	}
	for _, v := range violations {
		tb.t.Errorf("%s: accessibility: %s", name, v)
	}
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, e := range tb.errors {
		// An error page's own status (404, 401, 422) is reported as a
		// failed load of the document; that is the page working.
		if e.load && e.url == loc {
			continue
		}
		tb.t.Errorf("%s: console error: %s", name, e.text)
	}
	tb.errors = nil
}

func TestPublicPagesInBrowser(t *testing.T) {
	s := startSite(t)
	pages := []struct{ name, path, want string }{
		{"home", "/", "领导班子"},
		{"column", "/col/zwgk/", "政府信息公开年报"},
		{"annual-report", "/col/nb2017/", "保密工作领导小组审查后发布"},
		{"topic", "/col/jzfp/", "发挥民政职能，助力精准扶贫"},
		{"orgs", "/orgs", "随州市救助管理站"},
		{"city-portal", "/szf/", "随州市人民政府门户网站"},
		{"not-found", "/col/none/", "页面不存在"},
	}
	for _, width := range []int{375, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			tb := s.newTab(t, width, 900)
			for _, p := range pages {
				tb.do(chromedp.Navigate(s.url + p.path))
				body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("body")))
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(body, p.want) {
					t.Errorf("%s: page text lacks %q", p.name, p.want)
				}
				s.check(tb, fmt.Sprintf("public-%s-%d", p.name, width))
			}
			// Keyboard users can skip to the content.
			tb.do(chromedp.Navigate(s.url + "/"))
			skip, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.querySelector('a.skip').getAttribute('href')`))
			if err != nil || skip != "#main" {
				t.Errorf("skip link = %q, %v", skip, err)
			}
		})
	}
}

var secretRe = regexp.MustCompile(`[A-Z2-7]{16,}`)

func TestStaffPagesInBrowser(t *testing.T) {
	s := startSite(t)
	tb := s.newTab(t, 1280, 900)
	tb.do(chromedp.Navigate(s.url + "/admin/"))
	s.check(tb, "admin-login")
	// A wrong password shows the Chinese message next to the form.
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#username"), "mzj.admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "wrong-Password-1"),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(".alert")),
	)
	s.check(tb, "admin-login-error")
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#password"), s.pw["mzj.admin"]),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS(".qr img")),
	)
	s.check(tb, "admin-enrol")
	text, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("code.secret")))
	if err != nil {
		t.Fatal(err)
	}
	secret := secretRe.FindString(text)
	code, err := account.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#code"), code),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	s.check(tb, "admin-dashboard")
	bureau, err := s.app.DB.OrgByCode(t.Context(), "42130021")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ name, path, want string }{
		{"orgs", "/admin/orgs", "随州市社会福利院"},
		{"org-form", fmt.Sprintf("/admin/orgs/%d/edit", bureau.ID), "政府网站标识码"},
		{"columns", fmt.Sprintf("/admin/orgs/%d/columns", bureau.ID), "政府信息公开年报"},
		{"column-new", fmt.Sprintf("/admin/orgs/%d/columns/new", bureau.ID), "更新周期"},
		{"users", "/admin/users", "xinxiyuan"},
		{"user-new", "/admin/users/new", "角色"},
		{"audit", "/admin/audit", "绑定双因素认证"},
		{"password", "/admin/password", "原密码"},
	} {
		tb.do(chromedp.Navigate(s.url + p.path))
		body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("body")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, p.want) {
			t.Errorf("%s: page text lacks %q", p.name, p.want)
		}
		if !strings.Contains(body, "孙管理（mzj.admin）") {
			t.Errorf("%s: header does not show the signed-in user", p.name)
		}
		s.check(tb, "admin-"+p.name)
	}
	// An invalid column comes back with the message next to the field.
	tb.do(
		chromedp.Navigate(fmt.Sprintf("%s/admin/orgs/%d/columns/new", s.url, bureau.ID)),
		chromedp.SendKeys(chromedp.CSS("#slug"), "tzgg"),
		chromedp.Submit(chromedp.CSS("#slug")),
		chromedp.WaitVisible(chromedp.CSS(".field.invalid")),
	)
	s.check(tb, "admin-column-invalid")
}

func TestSiteFurnitureByClicking(t *testing.T) {
	s := startSite(t)
	tb := s.newTab(t, 1280, 900)
	text := func() string {
		t.Helper()
		body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("body")))
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	tb.do(chromedp.Navigate(s.url+"/col/jgzn/"), chromedp.Click(chromedp.CSS(`a[hreflang="zh-Hant"]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang="zh-Hans"]`)))
	if body := text(); !strings.Contains(body, "機構職能") || !strings.Contains(body, "隨州市民政局") {
		t.Errorf("after clicking 繁體 the page is not in Traditional Chinese: %.200s", body)
	}
	s.check(tb, "public-traditional")
	// Links stay in the Traditional tree.
	tb.do(chromedp.Click(chromedp.CSS(`nav.main a[href="/zh-hant/col/ldbz/"]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang="zh-Hans"]`)))
	if body := text(); !strings.Contains(body, "領導班子") {
		t.Errorf("navigation left the Traditional tree")
	}
	tb.do(chromedp.Click(chromedp.CSS(`a[hreflang="zh-Hans"]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang="zh-Hant"]`)))
	if body := text(); !strings.Contains(body, "领导班子") {
		t.Errorf("after clicking 简体 the page is not in Simplified Chinese")
	}
	// Elderly-friendly mode persists across pages.
	tb.do(chromedp.Click(chromedp.CSS(`a[href^="/elder?on=1"]`)), chromedp.WaitVisible(chromedp.CSS("body.elder")))
	tb.do(chromedp.Navigate(s.url+"/"), chromedp.WaitVisible(chromedp.CSS("body.elder")))
	s.check(tb, "public-elder")
	// The footer's outside link goes through the leaving notice.
	tb.do(chromedp.Click(chromedp.CSS(`footer a[href^="/leave"]`)), chromedp.WaitVisible(chromedp.CSS(".leave")))
	if body := text(); !strings.Contains(body, "即将离开“随州市民政局”门户网站") {
		t.Errorf("leaving notice missing: %.200s", body)
	}
	s.check(tb, "public-leave")
}
