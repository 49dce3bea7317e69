package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/interact"
)

var (
	queryNoRe   = regexp.MustCompile(`<dt>留言编号</dt><dd class="code">([^<]+)</dd>`)
	queryCodeRe = regexp.MustCompile(`<dt>查询码</dt><dd class="code">([^<]+)</dd>`)
)

// seedInteract creates, through the service, a published answered
// question to the bureau and an open consultation, and returns their IDs.
func (e *env) seedInteract(t *testing.T) (msgID, consultID int64) {
	t.Helper()
	ctx := t.Context()
	bureau := e.org("42130021")
	m := &interact.Message{OrgID: bureau.ID, Kind: interact.KindQuestion, Subject: "高龄津贴如何申领", Body: "我叫王五六，家住随州，电话13712345678，请问高龄津贴如何申领？",
		Sender: interact.Sender{Name: "王五六", Phone: "13712345678", Email: "wang56@example.com"}, Consent: true}
	rc, err := e.app.Interact.Submit(ctx, m, "192.0.2.1")
	if err != nil {
		t.Fatalf("seed message: %v", err)
	}
	id := rc.Message.ID
	steps := []func() error{
		func() error { _, err := e.app.Interact.Accept(ctx, e.actor("bangongshi"), id); return err },
		func() error {
			_, err := e.app.Interact.Assign(ctx, e.actor("bangongshi"), id, "养老服务科", e.actor("xinxiyuan").UserID)
			return err
		},
		func() error {
			_, err := e.app.Interact.DraftReply(ctx, e.actor("xinxiyuan"), id, "王五六您好：年满80周岁的老人可持户口簿到户籍所在地社区申领高龄津贴。")
			return err
		},
		func() error { _, err := e.app.Interact.ApproveReply(ctx, e.actor("kezhang"), id, true); return err },
	}
	for i, s := range steps {
		if err := s(); err != nil {
			t.Fatalf("seed message step %d: %v", i, err)
		}
	}
	today := interact.Today(e.clock.Now())
	c := &interact.Consultation{OrgID: bureau.ID, Title: "随州市养老服务补贴办法（征求意见稿）", Draft: "第一条 为完善养老服务体系……\n第二条 本办法适用于本市行政区域。",
		LinkURL: "/mzj/item/1", StartOn: today, EndOn: today.AddDays(20)}
	if err := e.app.Interact.OpenConsultation(ctx, e.actor("bangongshi"), c); err != nil {
		t.Fatalf("seed consultation: %v", err)
	}
	return id, c.ID
}

// submitMessage fills the public form and returns the query number and
// code from the receipt.
func submitMessage(t *testing.T, b *browser, path string, form url.Values) (string, string) {
	t.Helper()
	page := b.get(path)
	q, tok := questionRe.FindStringSubmatch(page.body), tokenRe.FindStringSubmatch(page.body)
	if q == nil || tok == nil {
		t.Fatalf("GET %s: no captcha (status %d)", path, page.status)
	}
	form.Set("captcha", solveCaptcha(t, q[1]))
	form.Set("captcha_token", tok[1])
	r := b.post(path, form)
	no, code := queryNoRe.FindStringSubmatch(r.body), queryCodeRe.FindStringSubmatch(r.body)
	if r.status != http.StatusOK || no == nil || code == nil {
		t.Fatalf("POST %s = %d, no receipt:\n%s", path, r.status, r.body)
	}
	return no[1], code[1]
}

// TestInteractPublicFormAndQuery submits a message through the public form
// with bad input first, then tracks it with a wrong and a right code.
func TestInteractPublicFormAndQuery(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		page := b.get("/interact/new")
		tok := tokenRe.FindStringSubmatch(page.body)
		if page.status != 200 || tok == nil {
			t.Fatalf("form = %d", page.status)
		}
		bad := url.Values{"kind": {"question"}, "org_id": {itoa(e.org("42130021").ID)}, "subject": {"关于低保"}, "body": {"http://a.cn http://b.cn http://c.cn http://d.cn"},
			"name": {""}, "phone": {"12"}, "email": {"x@"}, "captcha": {"999"}, "captcha_token": {tok[1]}}
		r := b.post("/interact/new", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad form = %d, want 422", r.status)
		}
		mustContain(t, "bad form", r.body, "网址不能超过3个", "请填写姓名", "联系电话格式不正确", "电子邮箱格式不正确", "验证问题回答不正确", `value="关于低保"`, "http://d.cn")

		form := url.Values{"kind": {"complaint"}, "org_id": {itoa(e.org("42130021").ID)}, "subject": {"社区养老服务站无人值守"},
			"body": {"东城社区养老服务站工作日下午经常无人值守。"}, "name": {"赵六"}, "phone": {"13600001111"}, "consent": {"1"}}
		no, code := submitMessage(t, b, "/interact/new", form)
		if !strings.HasPrefix(no, "LY2026") {
			t.Errorf("query number %q", no)
		}
		// The same text again from the same address is refused, naming the number.
		r2 := b.get("/interact/new")
		q, tk := questionRe.FindStringSubmatch(r2.body), tokenRe.FindStringSubmatch(r2.body)
		form.Set("captcha", solveCaptcha(t, q[1]))
		form.Set("captcha_token", tk[1])
		dup := b.post("/interact/new", form)
		if dup.status != http.StatusUnprocessableEntity || !strings.Contains(dup.body, no) || !strings.Contains(dup.body, "社区养老服务站无人值守") {
			t.Errorf("duplicate = %d", dup.status)
		}

		wrong := b.post("/interact/query", url.Values{"no": {no}, "code": {"AAAAAAAAAA"}})
		if wrong.status != http.StatusUnprocessableEntity || !strings.Contains(wrong.body, "留言编号或查询码不正确") {
			t.Errorf("wrong code = %d", wrong.status)
		}
		right := b.post("/interact/query", url.Values{"no": {no}, "code": {code}})
		mustContain(t, "query page", right.body, "社区养老服务站无人值守", "待受理", "提交留言")
		if right.header.Get("Cache-Control") == "" || !strings.Contains(right.header.Get("Cache-Control"), "no-store") {
			t.Errorf("query page Cache-Control = %q", right.header.Get("Cache-Control"))
		}
	})
}

func TestInteractQueryIsThrottled(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		var last int
		for range 15 {
			last = b.post("/interact/query", url.Values{"no": {"LY20260302-000001"}, "code": {"WRONG"}}).status
		}
		if last != http.StatusTooManyRequests {
			t.Errorf("15th wrong code = %d, want 429", last)
		}
	})
}

func TestInteractSubmissionsAreThrottled(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		var last resp
		for range 8 {
			last = b.post("/interact/new", url.Values{"subject": {"洪水般的留言"}, "body": {"内容"}})
		}
		if last.status != http.StatusTooManyRequests {
			t.Errorf("8th post = %d, want 429", last.status)
		}
		mustContain(t, "throttled form", last.body, "提交过于频繁", `value="洪水般的留言"`, "内容</textarea>")
	})
}

// TestInteractPublicListNeverShowsContactData checks the public list, the
// message page and the consultation page with seeded data.
func TestInteractPublicListNeverShowsContactData(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		id, cid := e.seedInteract(t)
		b := e.browser()
		list := b.get("/interact/")
		mustContain(t, "public list", list.body, "高龄津贴如何申领", "收到留言", "已答复")
		show := b.get("/interact/" + itoa(id))
		mustContain(t, "message page", show.body, "王**", "高龄津贴", "户口簿")
		for _, p := range []resp{list, show} {
			mustNotContain(t, "public page", p.body, "王五六", "13712345678", "wang56@example.com")
		}
		mustContain(t, "filtered list", b.get("/interact/?kind=complaint").body, "暂无符合条件")
		hant := b.get("/zh-hant/interact/")
		mustContain(t, "Traditional list", hant.body, "互動", "高齡津貼如何申領", "已答覆留言")
		mustNotContain(t, "Traditional list", hant.body, "王五六", "13712345678")
		mustContain(t, "search", b.get("/interact/?q="+url.QueryEscape("高龄")).body, "高龄津贴如何申领")

		cp := b.get("/interact/consult/" + itoa(cid))
		mustContain(t, "consultation", cp.body, "养老服务补贴办法", "征集中", "发表意见", `href="/mzj/item/1"`)
		q, tok := questionRe.FindStringSubmatch(cp.body), tokenRe.FindStringSubmatch(cp.body)
		r := b.post("/interact/consult/"+itoa(cid), url.Values{"body": {"建议提高补贴标准。"}, "name": {"钱七"}, "phone": {"13500002222"},
			"captcha": {solveCaptcha(t, q[1])}, "captcha_token": {tok[1]}})
		mustContain(t, "comment sent", r.body, "经审核后公开")
		mustNotContain(t, "comment sent", r.body, "建议提高补贴标准")
		mustContain(t, "consultation list", b.get("/interact/consult/").body, "养老服务补贴办法")
	})
}

func TestInteractThrottledRatingKeepsTheComment(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		var last resp
		for range 15 {
			last = b.post("/interact/rate", url.Values{"no": {"LY20260302-000001"}, "code": {"WRONG"}, "level": {"satisfied"}, "comment": {"答复很及时，谢谢"}})
		}
		if last.status != http.StatusTooManyRequests {
			t.Fatalf("15th rating = %d, want 429", last.status)
		}
		mustContain(t, "throttled rating", last.body, "提交过于频繁", "答复很及时，谢谢</textarea>", `name="level" value="satisfied"`)
		mustNotContain(t, "throttled rating", last.body, "答复内容")
	})
}
