package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/audit"
	"gongkai/internal/publish"
)

// itemForm is a complete, valid item form for the demo bureau.
func (e *env) itemForm(title, body string) url.Values {
	return url.Values{
		"org_id": {itoa(e.org("42130021").ID)}, "title": {title}, "body": {body},
		"column_id": {itoa(e.column("42130021", "tzgg").ID)}, "columns": {itoa(e.column("42130021", "jzfp").ID)},
		"doc_no": {"随民发〔2026〕3号"}, "issuer": {"随州市民政局"}, "topic": {"民政、扶贫、救灾"}, "genre": {"通知"},
		"written_date": {"2026-02-27"}, "formed_date": {"2026-02-27"}, "disclosure": {"proactive"}, "keywords": {"社会救助 宣传月"},
	}
}

var itemLocRe = regexp.MustCompile(`^/admin/items/(\d+)$`)
var revRe = regexp.MustCompile(`name="rev" value="(\d+)"`)

// expect fails the test unless r has status want.
func expect(t *testing.T, what string, r resp, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d (location %q)\n%s", what, r.status, want, r.location, excerpt(r.body))
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}

// editForm opens the item's edit page and returns the form with its
// current revision.
func editForm(t *testing.T, b *browser, e *env, id, title, body string) url.Values {
	t.Helper()
	r := b.get("/admin/items/" + id + "/edit")
	expect(t, "open edit form", r, http.StatusOK)
	m := revRe.FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("edit form has no revision")
	}
	f := e.itemForm(title, body)
	f.Set("rev", m[1])
	return f
}

// TestPublishingLifecycle drives an item through its whole life over HTTP
// as the five people involved: the officer writes it, the section head and
// the confidentiality reviewer review it (once sending it back), the
// publisher schedules it, and a citizen reads it; then it is updated,
// repealed and withdrawn.
func TestPublishingLifecycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		officer, section, reviewer, publisher, citizen := e.browser(), e.browser(), e.browser(), e.browser(), e.browser()
		officer.loginFull("xinxiyuan")
		section.loginFull("kezhang")
		reviewer.loginFull("baomi")
		publisher.loginFull("bangongshi")
		const title = "关于开展2026年社会救助政策宣传月活动的通知"

		// A form with mistakes comes back with messages and the input kept.
		bad := e.itemForm("", "<p>正文第一段：宣传最低生活保障政策。</p>")
		bad.Set("formed_date", "2026/02/27")
		r := officer.post("/admin/items", bad)
		expect(t, "create invalid item", r, http.StatusUnprocessableEntity)
		mustContain(t, "invalid item form", r.body, "请填写标题", "形成或变更日期格式应为", "正文第一段：宣传最低生活保障政策", "随民发〔2026〕3号")

		r = officer.post("/admin/items", e.itemForm(title, "<p>正文第一段：宣传最低生活保障政策。</p>"))
		expect(t, "create item", r, http.StatusSeeOther)
		m := itemLocRe.FindStringSubmatch(r.location)
		if m == nil {
			t.Fatalf("create item redirected to %q", r.location)
		}
		id := m[1]
		item := "/admin/items/" + id

		// Nothing is public yet.
		expect(t, "citizen reads a draft", citizen.get("/mzj/item/"+id), http.StatusNotFound)

		expect(t, "officer submits", officer.post(item+"/submit", nil), http.StatusSeeOther)
		r = section.get("/admin/review")
		expect(t, "section queue", r, http.StatusOK)
		mustContain(t, "section queue", r.body, "待科室审核", title, "剩余工作日")
		expect(t, "officer cannot pass section review", officer.post(item+"/section-approve", nil), http.StatusForbidden)
		expect(t, "section head approves", section.post(item+"/section-approve", nil), http.StatusSeeOther)

		// The reviewer sends it back; a reason is required.
		r = reviewer.post(item+"/reject", url.Values{"reason": {" "}})
		expect(t, "reject without reason", r, http.StatusUnprocessableEntity)
		mustContain(t, "reject without reason", r.body, "请填写退回理由")
		expect(t, "reviewer rejects", reviewer.post(item+"/reject", url.Values{"reason": {"第二段含有申请人联系电话，请删除"}}), http.StatusSeeOther)
		r = officer.get(item)
		mustContain(t, "rejected item for its author", r.body, "退回理由：第二段含有申请人联系电话，请删除")
		r = officer.get("/admin/review")
		mustContain(t, "officer queue", r.body, "退回修改与草稿", title)

		// Second round.
		expect(t, "officer corrects", officer.post(item, editForm(t, officer, e, id, title, "<p>正文第一段：宣传最低生活保障政策。</p><p>第二段：活动时间3月1日至31日。</p>")), http.StatusSeeOther)
		expect(t, "officer resubmits", officer.post(item+"/submit", nil), http.StatusSeeOther)
		expect(t, "section head approves again", section.post(item+"/section-approve", nil), http.StatusSeeOther)
		r = publisher.post(item+"/publish", nil)
		expect(t, "publisher cannot publish before confidentiality review", r, http.StatusConflict)
		mustContain(t, "publish too early", r.body, "此信息当前为“待保密审查”，不能执行“发布”")
		expect(t, "reviewer approves", reviewer.post(item+"/approve", nil), http.StatusSeeOther)

		// Scheduled for 09:20 China time; the clock is at 09:00.
		r = publisher.post(item+"/schedule", url.Values{"publish_at": {"2026-03-01T08:00"}})
		expect(t, "schedule in the past", r, http.StatusUnprocessableEntity)
		mustContain(t, "schedule in the past", r.body, "定时发布的时间须晚于现在")
		expect(t, "publisher schedules", publisher.post(item+"/schedule", url.Values{"publish_at": {"2026-03-02T09:20"}}), http.StatusSeeOther)
		if n, err := e.app.Jobs.RunDue(t.Context()); err != nil || n != 0 {
			t.Fatalf("RunDue before the time = %d, %v", n, err)
		}
		expect(t, "citizen before the scheduled time", citizen.get("/mzj/item/"+id), http.StatusNotFound)
		e.clock.Add(21 * time.Minute)
		// The scheduled publish runs, and the search index job it enqueues.
		if n, err := e.app.Jobs.RunDue(t.Context()); err != nil || n != 2 {
			t.Fatalf("RunDue at the time = %d, %v", n, err)
		}
		r = citizen.get("/mzj/item/" + id)
		expect(t, "citizen reads the published item", r, http.StatusOK)
		mustContain(t, "published item", r.body, title, "42130021/2026-00001", "随州市民政局", "民政、扶贫、救灾", "2026-02-27", "2026-03-02", "随民发〔2026〕3号",
			"有效", "第二段：活动时间3月1日至31日。", "/log/leaf/0")
		mustNotContain(t, "published item", r.body, "第二段含有申请人")
		mustContain(t, "column page", citizen.get("/mzj/col/tzgg/").body, title)
		mustContain(t, "special topic page", citizen.get("/mzj/col/jzfp/").body, title)
		mustContain(t, "home page", citizen.get("/").body, title)

		// An update goes through review while the first version stays online.
		r = officer.post(item+"/update", nil)
		expect(t, "officer starts an update", r, http.StatusSeeOther)
		upd := editForm(t, officer, e, id, title, "<p>正文第一段：宣传最低生活保障政策。</p><p>第二段：活动时间延长至4月15日。</p>")
		r = officer.post(item, upd)
		expect(t, "update without change note", r, http.StatusUnprocessableEntity)
		mustContain(t, "update without change note", r.body, "请说明本次更新的内容")
		upd.Set("change_note", "活动时间延长至4月15日")
		expect(t, "officer saves the update", officer.post(item, upd), http.StatusSeeOther)
		mustContain(t, "public page during the update", citizen.get("/mzj/item/"+id).body, "活动时间3月1日至31日")
		expect(t, "submit update", officer.post(item+"/submit", nil), http.StatusSeeOther)
		expect(t, "section approves update", section.post(item+"/section-approve", nil), http.StatusSeeOther)
		expect(t, "reviewer approves update", reviewer.post(item+"/approve", nil), http.StatusSeeOther)
		expect(t, "publisher publishes update", publisher.post(item+"/publish", nil), http.StatusSeeOther)
		r = citizen.get("/mzj/item/" + id)
		mustContain(t, "updated item", r.body, "活动时间延长至4月15日", "更新记录", "42130021/2026-00001")
		mustNotContain(t, "updated item", r.body, "活动时间3月1日至31日")
		r = officer.get(item + "/history?a=2&b=3")
		expect(t, "version history", r, http.StatusOK)
		mustContain(t, "diff", r.body, "第2版与第3版的区别", "− 第二段：活动时间3月1日至31日。", "+ 第二段：活动时间延长至4月15日。")

		// Repeal: still visible, with a banner.
		expect(t, "officer cannot repeal", officer.post(item+"/repeal", url.Values{"validity_date": {"2026-03-05"}}), http.StatusForbidden)
		expect(t, "publisher repeals", publisher.post(item+"/repeal", url.Values{"validity_date": {"2026-03-05"}}), http.StatusSeeOther)
		mustContain(t, "repealed item", citizen.get("/mzj/item/"+id).body, "本文件已废止", "2026-03-05")

		// Withdraw: gone from the site, reason on record.
		r = publisher.post(item+"/withdraw", url.Values{"reason": {""}})
		expect(t, "withdraw without reason", r, http.StatusUnprocessableEntity)
		expect(t, "publisher withdraws", publisher.post(item+"/withdraw", url.Values{"reason": {"已被新通知替代"}}), http.StatusSeeOther)
		r = citizen.get("/mzj/item/" + id)
		expect(t, "citizen reads a withdrawn item", r, http.StatusGone)
		mustContain(t, "withdrawn item", r.body, "已撤回")
		mustNotContain(t, "withdrawn item", r.body, "活动时间延长至4月15日", "已被新通知替代")
		r = citizen.get("/api/v1/items/" + id)
		expect(t, "withdrawn item through the API", r, http.StatusGone)
		mustContain(t, "withdrawn item JSON", r.body, `"leaf":"/log/leaf/`)
		expect(t, "unknown item through the API", citizen.get("/api/v1/items/999999"), http.StatusNotFound)
		mustNotContain(t, "column after withdrawal", citizen.get("/mzj/col/tzgg/").body, title)

		recs, err := e.app.DB.AuditRecords(t.Context(), audit.Filter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[audit.Action]string{}
		for _, rec := range recs {
			seen[rec.Action] = rec.ActorName
		}
		for act, who := range map[audit.Action]string{audit.ActItemCreate: "xinxiyuan", audit.ActItemReject: "baomi", audit.ActItemSectionApprove: "kezhang",
			audit.ActItemApprove: "baomi", audit.ActItemSchedule: "bangongshi", audit.ActItemPublish: "system:scheduler",
			audit.ActItemPublishUpdate: "bangongshi", audit.ActItemRepeal: "bangongshi", audit.ActItemWithdraw: "bangongshi"} {
			if seen[act] != who {
				t.Errorf("audit %s by %q, want %q", act, seen[act], who)
			}
		}
	})
}

// TestPublishingPermissions checks that other bureaus' staff cannot see or
// act on an item, and that its author cannot pass its confidentiality
// review even holding the reviewer role.
func TestPublishingPermissions(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		officer := e.browser()
		officer.loginFull("xinxiyuan")
		r := officer.post("/admin/items", e.itemForm("权限测试信息", "<p>正文</p>"))
		expect(t, "create item", r, http.StatusSeeOther)
		item := r.location
		expect(t, "submit", officer.post(item+"/submit", nil), http.StatusSeeOther)

		// A staff member of a unit below the bureau, and one who writes and
		// reviews in the bureau.
		bureau := e.org("42130021")
		u := &account.User{Username: "xinxi.baomi", DisplayName: "钱兼职", OrgID: bureau.ID,
			Grants: []account.Grant{{OrgID: bureau.ID, Role: account.RoleOfficer}, {OrgID: bureau.ID, Role: account.RoleReviewer}}}
		if _, err := e.app.Accounts.CreateUser(t.Context(), account.System("test"), u, "Xinxi-Baomi-2026"); err != nil {
			t.Fatal(err)
		}
		e.pw["xinxi.baomi"] = "Xinxi-Baomi-2026"
		both := e.browser()
		both.loginFull("xinxi.baomi")
		unit := e.browser()
		unit.loginFull("fly.xinxiyuan")
		section := e.browser()
		section.loginFull("kezhang")

		tests := []struct {
			name   string
			b      *browser
			method string
			path   string
			form   url.Values
			want   int
		}{
			{"unit officer cannot see the bureau's item", unit, "GET", item, nil, http.StatusNotFound},
			{"unit officer cannot approve it", unit, "POST", item + "/section-approve", nil, http.StatusNotFound},
			{"unit officer cannot edit it", unit, "POST", item, e.itemForm("改标题", "<p>改</p>"), http.StatusNotFound},
			{"unit officer's list hides it", unit, "GET", "/admin/items", nil, http.StatusOK},
			{"unit officer cannot create in the bureau", unit, "POST", "/admin/items", e.itemForm("越权新建", "<p>x</p>"), http.StatusForbidden},
			{"section head passes it on", section, "POST", item + "/section-approve", nil, http.StatusSeeOther},
		}
		for _, tt := range tests {
			var r resp
			if tt.method == "GET" {
				r = tt.b.get(tt.path)
			} else {
				r = tt.b.post(tt.path, tt.form)
			}
			if r.status != tt.want {
				t.Errorf("%s: %s %s = %d, want %d", tt.name, tt.method, tt.path, r.status, tt.want)
			}
			if tt.name == "unit officer's list hides it" {
				mustNotContain(t, tt.name, r.body, "权限测试信息")
			}
		}

		// The one who wrote an item cannot review it.
		r = both.post("/admin/items", e.itemForm("自己写的信息", "<p>正文</p>"))
		expect(t, "dual-role user creates", r, http.StatusSeeOther)
		own := r.location
		expect(t, "dual-role user submits", both.post(own+"/submit", nil), http.StatusSeeOther)
		expect(t, "section approves", section.post(own+"/section-approve", nil), http.StatusSeeOther)
		mustNotContain(t, "own item page", both.get(own).body, "保密审查通过</button>")
		expect(t, "author cannot pass own confidentiality review", both.post(own+"/approve", nil), http.StatusForbidden)
		// But the same user may review the officer's item.
		expect(t, "dual-role user reviews another's item", both.post(item+"/approve", nil), http.StatusSeeOther)
		it, err := e.app.DB.Item(t.Context(), mustID(t, item))
		if err != nil || it.State != publish.StateApproved {
			t.Fatalf("item after review: %+v, %v", it, err)
		}
	})
}

func mustID(t *testing.T, loc string) int64 {
	t.Helper()
	m := itemLocRe.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("not an item address: %q", loc)
	}
	var id int64
	for _, c := range m[1] {
		id = id*10 + int64(c-'0')
	}
	return id
}

// TestConcurrentDraftEdits checks that of two editors saving the same
// draft, the second is told and keeps what they typed.
func TestConcurrentDraftEdits(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		a, b := e.browser(), e.browser()
		a.loginFull("xinxiyuan")
		b.loginFull("kezhang")
		r := a.post("/admin/items", e.itemForm("两人同时编辑", "<p>原文</p>"))
		expect(t, "create", r, http.StatusSeeOther)
		id := strings.TrimPrefix(r.location, "/admin/items/")
		fa := editForm(t, a, e, id, "两人同时编辑", "<p>甲的修改</p>")
		fb := editForm(t, b, e, id, "两人同时编辑", "<p>乙的修改</p>")
		expect(t, "first save", a.post(r.location, fa), http.StatusSeeOther)
		r2 := b.post(r.location, fb)
		expect(t, "second save", r2, http.StatusConflict)
		mustContain(t, "conflict page", r2.body, "他人已修改并保存了此草稿", "乙的修改")
		v, err := e.app.DB.ItemVersion(t.Context(), mustID(t, r.location), 1)
		if err != nil || !strings.Contains(v.Body, "甲的修改") {
			t.Fatalf("stored body = %q, %v; want the first save kept", v.Body, err)
		}
	})
}

// actor returns a demo user as an Actor, for setting up through the service.
func (e *env) actor(name string) account.Actor {
	e.t.Helper()
	u, err := e.app.DB.UserByName(e.t.Context(), name)
	if err != nil {
		e.t.Fatalf("user %s: %v", name, err)
	}
	return account.ActorFor(u, "127.0.0.1")
}

// sampleItems creates a draft and a published item in the demo bureau
// through the service, as the demo users would.
func (e *env) sampleItems() (draft, published int64) {
	e.t.Helper()
	ctx, svc := e.t.Context(), e.app.Publish
	bureau := e.org("42130021").ID
	d := publish.Draft{Title: "样例草稿", Body: "<p>草稿正文</p>", ColumnID: e.column("42130021", "tzgg").ID, Issuer: "随州市民政局",
		Topic: "民政、扶贫、救灾", Genre: "通知", WrittenDate: "2026-02-27", FormedDate: "2026-02-27", Disclosure: publish.DiscloseProactive}
	dr, err := svc.Create(ctx, e.actor("xinxiyuan"), bureau, d)
	if err != nil {
		e.t.Fatalf("create sample draft: %v", err)
	}
	d.Title = "样例已发布信息"
	it, err := svc.Create(ctx, e.actor("xinxiyuan"), bureau, d)
	if err != nil {
		e.t.Fatalf("create sample item: %v", err)
	}
	steps := []error{
		svc.Submit(ctx, e.actor("xinxiyuan"), it.ID),
		svc.SectionApprove(ctx, e.actor("kezhang"), it.ID),
		svc.Approve(ctx, e.actor("baomi"), it.ID),
		svc.Publish(ctx, e.actor("bangongshi"), it.ID),
	}
	for _, err := range steps {
		if err != nil {
			e.t.Fatalf("publish sample item: %v", err)
		}
	}
	return dr.ID, it.ID
}

// TestLateReport checks that an item published more than 20 working days
// after the information was formed (条例 Art. 26) is listed as late.
func TestLateReport(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx, svc := t.Context(), e.app.Publish
		d := publish.Draft{Title: "迟到的信息", Body: "<p>正文</p>", ColumnID: e.column("42130021", "tzgg").ID, Issuer: "随州市民政局",
			Topic: "民政、扶贫、救灾", Genre: "通知", WrittenDate: "2026-01-05", FormedDate: "2026-01-05", Disclosure: publish.DiscloseProactive}
		it, err := svc.Create(ctx, e.actor("xinxiyuan"), e.org("42130021").ID, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{svc.Submit(ctx, e.actor("xinxiyuan"), it.ID), svc.SectionApprove(ctx, e.actor("kezhang"), it.ID),
			svc.Approve(ctx, e.actor("baomi"), it.ID), svc.Publish(ctx, e.actor("bangongshi"), it.ID)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		e.sampleItems() // formed 2026-02-27, published 2026-03-02: in time
		b := e.browser()
		b.loginFull("bangongshi")
		r := b.get("/admin/review")
		expect(t, "review page", r, http.StatusOK)
		late := r.body[strings.Index(r.body, "逾期公开的信息"):]
		// Due on 2026-02-02 (20 working days after 2026-01-05); published
		// on 2026-03-02.
		mustContain(t, "late report", late, "迟到的信息", "2026-01-05", "2026-02-02", "2026-03-02")
		mustNotContain(t, "late report", late, "样例已发布信息")
	})
}

// TestPublishRefusalShown checks that a refusal without a field of its own
// on the item page (here, the disclosure mode) is shown at the top.
func TestPublishRefusalShown(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx, svc := t.Context(), e.app.Publish
		d := publish.Draft{Title: "依申请公开的信息", Body: "<p>正文</p>", ColumnID: e.column("42130021", "tzgg").ID, Issuer: "随州市民政局",
			Topic: "民政、扶贫、救灾", Genre: "通知", WrittenDate: "2026-02-27", FormedDate: "2026-02-27", Disclosure: publish.DiscloseOnRequest}
		it, err := svc.Create(ctx, e.actor("xinxiyuan"), e.org("42130021").ID, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range []error{svc.Submit(ctx, e.actor("xinxiyuan"), it.ID), svc.SectionApprove(ctx, e.actor("kezhang"), it.ID),
			svc.Approve(ctx, e.actor("baomi"), it.ID)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		b := e.browser()
		b.loginFull("bangongshi")
		r := b.post("/admin/items/"+itoa(it.ID)+"/publish", nil)
		expect(t, "publish an on-request item", r, http.StatusUnprocessableEntity)
		mustContain(t, "refusal", r.body, `<div class="alert" role="alert">公开方式为“依申请公开”的信息不能在网站上发布`)
	})
}

// TestTopics checks that the city administrator changes the topic list the
// item form offers, and that a bureau administrator cannot.
func TestTopics(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		city, bureau, officer := e.browser(), e.browser(), e.browser()
		city.loginFull("admin")
		bureau.loginFull("mzj.admin")
		officer.loginFull("xinxiyuan")
		expect(t, "bureau admin cannot add", bureau.post("/admin/topics", url.Values{"name": {"乡村振兴"}}), http.StatusForbidden)
		r := city.post("/admin/topics", url.Values{"name": {"民政、扶贫、救灾"}})
		expect(t, "duplicate topic", r, http.StatusUnprocessableEntity)
		mustContain(t, "duplicate topic", r.body, "已存在")
		expect(t, "city admin adds", city.post("/admin/topics", url.Values{"name": {"乡村振兴"}}), http.StatusSeeOther)
		mustContain(t, "item form", officer.get("/admin/items/new?org="+itoa(e.org("42130021").ID)).body, "<option >乡村振兴</option>")
		expect(t, "city admin removes", city.post("/admin/topics/remove", url.Values{"name": {"国防"}}), http.StatusSeeOther)
		mustNotContain(t, "item form", officer.get("/admin/items/new?org="+itoa(e.org("42130021").ID)).body, ">国防<")
	})
}
