package e2e

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"gongkai/internal/account"
	"gongkai/internal/interact"
)

// answer solves the text CAPTCHA as a person reads it.
func answer(q string) string {
	nums := map[string]int{}
	for i, d := range []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"} {
		nums[d] = i
	}
	parse := func(s string) int {
		switch r := []rune(s); {
		case len(r) == 1:
			return nums[s]
		case len(r) == 2 && r[0] == '十':
			return 10 + nums[string(r[1])]
		case len(r) == 2:
			return nums[string(r[0])] * 10
		default:
			return nums[string(r[0])]*10 + nums[string(r[2])]
		}
	}
	q = strings.TrimSuffix(q[strings.Index(q, "：")+len("："):], "等于几？")
	if a, b, ok := strings.Cut(q, "加"); ok {
		return strconv.Itoa(parse(a) + parse(b))
	}
	a, b, _ := strings.Cut(q, "减")
	return strconv.Itoa(parse(a) - parse(b))
}

var receiptRe = regexp.MustCompile(`留言编号\s*(LY[0-9-]+)\s*查询码\s*([A-Z0-9]+)`)

// TestInteractFormsInBrowser fills in the public message form (first
// wrongly, then rightly), reads the answer with the query code, and opens
// the staff inbox and the consultation pages, checking each page with
// axe-core and for console errors.
func TestInteractFormsInBrowser(t *testing.T) {
	s := startSite(t)
	ctx := t.Context()
	tb := s.newTab(t, 1280, 900)
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	tb.do(chromedp.Navigate(s.url + "/interact/new"))
	s.check(tb, "public-interact-form")
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#subject"), "关于临时救助"),
		chromedp.Submit(chromedp.CSS("#subject")),
		chromedp.WaitVisible(chromedp.CSS(".field.invalid")),
	)
	if body := text("main"); !strings.Contains(body, "请填写留言内容") || !strings.Contains(body, "请填写姓名") {
		t.Errorf("errors not shown next to the fields: %.300s", body)
	}
	s.check(tb, "public-interact-form-invalid")
	q := text(`label[for="captcha"]`)
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#body"), "请问临时救助需要什么条件？"),
		chromedp.SendKeys(chromedp.CSS("#name"), "冯十一"),
		chromedp.SendKeys(chromedp.CSS("#phone"), "13844445555"),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)),
		chromedp.SendKeys(chromedp.CSS("#captcha"), answer(q)),
		chromedp.Submit(chromedp.CSS("#captcha")),
		chromedp.WaitVisible(chromedp.CSS("dl.receipt")),
	)
	m := receiptRe.FindStringSubmatch(strings.Join(strings.Fields(text("dl.receipt")), " "))
	if m == nil {
		t.Fatalf("receipt lacks number and code: %s", text("main"))
	}
	s.check(tb, "public-interact-receipt")
	tb.do(
		chromedp.Navigate(s.url+"/interact/query"),
		chromedp.SendKeys(chromedp.CSS("#no"), m[1]),
		chromedp.SendKeys(chromedp.CSS("#code"), m[2]),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS("ol.timeline")),
	)
	if body := text("main"); !strings.Contains(body, "关于临时救助") || !strings.Contains(body, "待受理") {
		t.Errorf("query page: %.300s", body)
	}
	s.check(tb, "public-interact-query")

	// Answer it through the service and publish, then read the public pages.
	user := func(name string) account.Actor {
		u, err := s.app.DB.UserByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return account.ActorFor(u, "127.0.0.1")
	}
	ms, err := s.app.DB.Messages(ctx, interact.Filter{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("messages = %d, %v", len(ms), err)
	}
	id, svc := ms[0].ID, s.app.Interact
	for i, step := range []func() error{
		func() error { _, err := svc.Accept(ctx, user("bangongshi"), id); return err },
		func() error {
			_, err := svc.Assign(ctx, user("bangongshi"), id, "社会救助科", user("xinxiyuan").UserID)
			return err
		},
		func() error {
			_, err := svc.DraftReply(ctx, user("xinxiyuan"), id, "您好：因遭遇突发事件导致基本生活暂时困难的家庭可申请临时救助。")
			return err
		},
		func() error { _, err := svc.ApproveReply(ctx, user("kezhang"), id, true); return err },
	} {
		if err := step(); err != nil {
			t.Fatalf("handling step %d: %v", i, err)
		}
	}
	tb.do(chromedp.Navigate(s.url + "/interact/"))
	if body := text("main"); !strings.Contains(body, "关于临时救助") || strings.Contains(body, "冯十一") {
		t.Errorf("public list: %.300s", body)
	}
	s.check(tb, "public-interact-list")
	tb.do(chromedp.Navigate(fmt.Sprintf("%s/interact/%d", s.url, id)))
	s.check(tb, "public-interact-show")
	// The sender rates the answer.
	tb.do(
		chromedp.Navigate(s.url+"/interact/query"),
		chromedp.SendKeys(chromedp.CSS("#no"), m[1]),
		chromedp.SendKeys(chromedp.CSS("#code"), m[2]),
		chromedp.Submit(chromedp.CSS("#code")),
		chromedp.WaitVisible(chromedp.CSS(`input[name="level"]`)),
	)
	s.check(tb, "public-interact-answer")
	tb.do(
		chromedp.Click(chromedp.CSS(`input[value="satisfied"]`)),
		chromedp.Submit(chromedp.CSS("#comment")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	s.check(tb, "public-interact-rated")

	// A consultation, public and staff side.
	bureau, err := s.app.DB.OrgByCode(ctx, "42130021")
	if err != nil {
		t.Fatal(err)
	}
	today := interact.Today(s.now())
	c := &interact.Consultation{OrgID: bureau.ID, Title: "随州市社区养老服务设施管理办法（征求意见稿）", Draft: "第一条 为加强社区养老服务设施管理……",
		StartOn: today, EndOn: today.AddDays(30)}
	if err := svc.OpenConsultation(ctx, user("bangongshi"), c); err != nil {
		t.Fatal(err)
	}
	tb.do(chromedp.Navigate(fmt.Sprintf("%s/interact/consult/%d", s.url, c.ID)))
	s.check(tb, "public-consultation")
	q = text(`label[for="captcha"]`)
	tb.do(
		chromedp.SendKeys(chromedp.CSS("#body"), "建议明确设施开放时间。"),
		chromedp.SendKeys(chromedp.CSS("#name"), "陈十二"),
		chromedp.SendKeys(chromedp.CSS("#captcha"), answer(q)),
		chromedp.Submit(chromedp.CSS("#captcha")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	s.check(tb, "public-consultation-sent")

	staff := s.newTab(t, 1280, 900)
	staff.do(
		chromedp.Navigate(s.url+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#username"), "kezhang"),
		chromedp.SendKeys(chromedp.CSS("#password"), s.pw["kezhang"]),
		chromedp.Submit(chromedp.CSS("#password")),
		chromedp.WaitVisible(chromedp.CSS("nav.side")),
		chromedp.Navigate(s.url+"/admin/interact?all=1"),
	)
	s.check(staff, "admin-interact-inbox")
	staff.do(chromedp.Navigate(fmt.Sprintf("%s/admin/interact/%d", s.url, id)))
	s.check(staff, "admin-interact-show")
	staff.do(chromedp.Navigate(s.url + "/admin/interact/stats"))
	s.check(staff, "admin-interact-stats")
	staff.do(chromedp.Navigate(s.url + "/admin/consult"))
	s.check(staff, "admin-consultations")
	staff.do(chromedp.Navigate(fmt.Sprintf("%s/admin/consult/%d", s.url, c.ID)))
	s.check(staff, "admin-consultation")
}
