package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/apply"
	"gongkai/internal/demo"
	"gongkai/internal/org"
)

// staff returns a browser signed in as user at the current test time.
func (e *env) staff(user string) *browser {
	e.t.Helper()
	b := e.browser()
	b.loginFull(user)
	return b
}

func (e *env) appID(no string) int64 {
	e.t.Helper()
	apps, err := e.app.DB.Applications(e.t.Context(), []int64{e.org("42130021").ID}, false, 100)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, a := range apps {
		if a.TrackingNo == no {
			return a.ID
		}
	}
	e.t.Fatalf("no application %s", no)
	return 0
}

// TestApplicationEndToEnd: online application → confirmation → correction
// notice → corrected → third-party consultation → extension → 部分公开 with
// a generated reply notice → delivery, through the staff UI, with the due
// date checked at every step.
func TestApplicationEndToEnd(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		e.at("2026-03-01") // Sunday
		no, code, _ := submitOnline(t, e.browser(), applicationForm())
		if no == "" {
			t.Fatal("no tracking number")
		}
		id := e.appID(no)
		path := "/admin/apply/" + itoa(id)

		steps := []struct {
			name, at, user, action string
			form                   url.Values
			wantDue                string
			wantState              apply.State
		}{
			{"confirm receipt on Monday", "2026-03-02", "yishenqing", "receive", url.Values{"received_on": {"2026-03-02"}}, "2026-03-30", apply.StateOpen},
			{"correction notice", "2026-03-05", "yishenqing", "correction", url.Values{"on": {"2026-03-05"}, "until": {"2026-03-20"}, "note": {"请明确所需信息的年份和区域"}}, "", apply.StateCorrection},
			{"corrected application", "2026-03-16", "yishenqing", "corrected", url.Values{"on": {"2026-03-16"}, "note": {"补正为2025年曾都区"}}, "2026-04-14", apply.StateOpen},
			{"third-party consultation", "2026-03-18", "yishenqing", "consult", url.Values{"on": {"2026-03-18"}, "party": {"third_party"}, "note": {"征求某养老机构意见"}}, "2026-04-14", apply.StateConsulting},
			{"opinion received", "2026-03-25", "yishenqing", "consult-end", url.Values{"on": {"2026-03-25"}, "note": {"不同意公开其经营数据"}}, "2026-04-21", apply.StateOpen},
			{"extension by the leader", "2026-04-15", "lingdao", "extend", url.Values{"on": {"2026-04-15"}, "days": {"10"}, "notified_on": {"2026-04-15"}, "note": {"需逐页区分处理"}}, "2026-05-08", apply.StateOpen},
			{"partly disclosed", "2026-05-06", "yishenqing", "outcome", url.Values{"category": {"partial"}, "answered_on": {"2026-05-06"}, "note": {"涉及第三方经营数据的部分不予公开"}}, "2026-05-08", apply.StateAnswered},
			{"delivered by e-mail", "2026-05-07", "yishenqing", "delivery", url.Values{"way": {"email"}, "on": {"2026-05-07"}}, "2026-05-08", apply.StateClosed},
		}
		for _, s := range steps {
			e.at(s.at)
			b := e.staff(s.user)
			r := b.post(path+"/"+s.action, s.form)
			if r.status != http.StatusSeeOther {
				t.Fatalf("%s: POST %s = %d:\n%s", s.name, s.action, r.status, r.body)
			}
			if got := e.dueOf(id); got != s.wantDue {
				t.Errorf("%s: due = %q, want %q", s.name, got, s.wantDue)
			}
			page := b.get(path)
			if s.wantDue != "" && !strings.Contains(page.body, s.wantDue) {
				t.Errorf("%s: page does not show due date %s", s.name, s.wantDue)
			}
			a, _ := e.app.DB.Application(t.Context(), id)
			if a.State != s.wantState {
				t.Errorf("%s: state = %s, want %s", s.name, a.State, s.wantState)
			}
		}

		b := e.staff("yishenqing")
		page := html.UnescapeString(b.get(path).body)
		mustContain(t, "application page", page, "期限如何计算", "第三十一条", "收到补正后的申请，答复期限自该日起重新计算", "征求第三方意见",
			"延长答复期限10个工作日", "批准人：lingdao", "2026-04-04", "按期答复", "（二）部分公开")
		noticeLink := regexp.MustCompile(`/admin/apply/\d+/notices/(\d+)"`).FindStringSubmatch(page)
		if noticeLink == nil {
			t.Fatalf("no reply notice link:\n%s", page)
		}
		n := b.get(path + "/notices/" + noticeLink[1])
		mustContain(t, "printable notice", html.UnescapeString(n.body), "政府信息公开申请答复告知书（部分公开）", applicantName, "第三十七条", "涉及第三方经营数据", "六十日", "六个月")
		d := b.get(path + "/notices/" + noticeLink[1] + "/docx")
		if d.status != 200 || !strings.Contains(d.header.Get("Content-Type"), "wordprocessingml") {
			t.Fatalf("docx = %d %s", d.status, d.header.Get("Content-Type"))
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(d.body)), int64(len(d.body)))
		if err != nil {
			t.Fatalf("docx is not a zip: %v", err)
		}
		found := false
		for _, f := range zr.File {
			if f.Name == "word/document.xml" {
				rc, _ := f.Open()
				var buf bytes.Buffer
				buf.ReadFrom(rc)
				rc.Close()
				found = strings.Contains(buf.String(), "部分公开") && strings.Contains(buf.String(), no)
			}
		}
		if !found {
			t.Error("docx lacks the notice text")
		}

		// The public tracking page shows the timeline and the notice, no
		// personal data.
		tr := e.browser().post("/apply/track", url.Values{"no": {no}, "code": {code}})
		body := html.UnescapeString(tr.body)
		mustContain(t, "tracking page", body, "已办结", "告知补正", "收到补正后的申请", "征求意见", "延长答复期限", "部分公开", "行政复议")
		mustContain(t, "tracking page", body, "查看答复期限如何计算", "第三十三条")
		mustNotContain(t, "tracking page", body, applicantName, applicantPhone, applicantID, "oym@example.cn", "征求某养老机构意见", "lingdao", "yishenqing")
	})
}

// TestPaperApplicationRegisteredByStaff registers a letter and checks the
// due date, the query code shown once, and that bad input comes back with
// every problem next to its field.
func TestPaperApplicationRegisteredByStaff(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.staff("yishenqing")
		bureau := e.org("42130021")
		form := url.Values{"org_id": {itoa(bureau.ID)}, "channel": {"post"}, "received_on": {"2026-02-10"}, "kind": {"org"},
			"name": {"某律师事务所"}, "credit_code": {"91350100M000100Y43"}, "legal_rep": {"李律师"}, "contact": {"王助理"}, "org_type": {"legal"},
			"phone": {"0722-1234567"}, "address": {"随州市某路1号"}, "description": {"2025年社会组织年检结果"}, "form": {"paper"}, "way": {"post"}, "note": {"挂号信XA123"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("credit_code", "91350100M000100Y44")
		bad.Set("received_on", "2026/02/10")
		bad.Set("description", "")
		r := b.post("/admin/apply", bad)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("bad registration = %d", r.status)
		}
		mustContain(t, "registration errors", r.body, "统一社会信用代码不正确", "日期格式应为YYYY-MM-DD", "请描述所需政府信息", `value="某律师事务所"`, `value="91350100M000100Y44"`)

		r = b.post("/admin/apply", form)
		if r.status != 200 {
			t.Fatalf("registration = %d:\n%s", r.status, r.body)
		}
		// Received 2026-02-10: the Spring Festival is skipped and its two
		// make-up Saturdays count.
		mustContain(t, "registered page", r.body, "申请已登记", "2026-03-16", "查询码")
		list := b.get("/admin/apply")
		mustContain(t, "dashboard", list.body, "2026-03-16", "邮寄（签收）")
	})
}

// TestOverdueFlaggedByDailyJob runs the daily job with the test clock.
func TestOverdueFlaggedByDailyJob(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		u, _ := e.app.DB.UserByName(ctx, "yishenqing")
		handler := account.ActorFor(u, "127.0.0.1")
		x := apply.Application{OrgID: e.org("42130021").ID, Channel: apply.ChannelInPerson,
			Applicant:   apply.Applicant{Kind: apply.ApplicantPerson, Name: "李四", IDType: apply.IDPassport, IDNumber: "E12345678", Phone: "13800000000"},
			Description: "某项目批复文件", Form: apply.FormPaper, Way: apply.WayPickup}
		a, _, err := e.app.Apply.Register(ctx, handler, apply.Registration{Application: x, ReceivedOn: apply.Today(e.clock.Now())})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Apply.Assign(ctx, handler, a.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		e.at("2026-04-01") // due 2026-03-30
		if err := e.app.Jobs.Schedule(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		b := e.staff("yishenqing")
		list := b.get("/admin/apply")
		mustContain(t, "dashboard", list.body, "已超期", a.TrackingNo+" 已超过答复期限")
		ns, _ := e.app.DB.ApplyNotifications(ctx, []int64{a.OrgID}, u.ID, 10)
		if len(ns) != 2 {
			t.Errorf("notifications = %d, want 2 (office and handler)", len(ns))
		}
		// Running the job again the same day adds nothing.
		if _, err := e.app.Apply.CheckDeadlines(ctx, false); err != nil {
			t.Fatal(err)
		}
		if again, _ := e.app.DB.ApplyNotifications(ctx, []int64{a.OrgID}, u.ID, 10); len(again) != 2 {
			t.Errorf("notifications after a second run = %d, want 2", len(again))
		}
	})
}

// TestApplicationPermissions: another bureau's handler cannot see the
// application; an officer cannot record outcomes; only the leader extends.
func TestApplicationPermissions(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		sys := account.System("test")
		other := &org.Org{ParentID: e.org("42130000").ID, Code: "42130022", Name: "随州市教育局", Site: org.Site{PathPrefix: "jyj"}}
		if err := e.app.Orgs.CreateOrg(ctx, sys, other); err != nil {
			t.Fatal(err)
		}
		pw, err := e.app.Accounts.CreateUser(ctx, sys, &account.User{Username: "jyj.yishenqing", DisplayName: "教育局经办", OrgID: other.ID,
			Grants: []account.Grant{{OrgID: other.ID, Role: account.RoleHandler}}}, "Jyj-Handler-2026-long-passphrase")
		if err != nil {
			t.Fatal(err)
		}
		e.pw["jyj.yishenqing"] = pw
		no, _, _ := submitOnline(t, e.browser(), applicationForm())
		id := e.appID(no)
		path := "/admin/apply/" + itoa(id)
		tests := []struct {
			name, user, method, path string
			form                     url.Values
			want                     int
		}{
			{"own handler sees it", "yishenqing", "GET", path, nil, 200},
			{"leader sees it", "lingdao", "GET", path, nil, 200},
			{"another bureau's handler cannot see it", "jyj.yishenqing", "GET", path, nil, 404},
			{"another bureau's handler cannot act on it", "jyj.yishenqing", "POST", path + "/receive", url.Values{"received_on": {"2026-03-02"}}, 404},
			{"another bureau's list does not show it", "jyj.yishenqing", "GET", "/admin/apply", nil, 200},
			{"an officer cannot see the list", "xinxiyuan", "GET", "/admin/apply", nil, 403},
			{"an officer cannot record outcomes", "xinxiyuan", "POST", path + "/outcome", url.Values{"category": {"disclosed"}, "answered_on": {"2026-03-02"}}, 404},
			{"a handler cannot defer the deadline", "yishenqing", "POST", path + "/defer", url.Values{"on": {"2026-03-02"}, "until": {"2026-06-30"}, "note": {"x"}}, 403},
			{"a handler cannot approve an extension", "yishenqing", "POST", path + "/extend", url.Values{"on": {"2026-03-02"}, "days": {"5"}, "notified_on": {"2026-03-02"}, "note": {"x"}}, 403},
			{"a bureau admin cannot edit the calendar", "mzj.admin", "GET", "/admin/calendar", nil, 403},
			{"the city admin edits the calendar", "admin", "GET", "/admin/calendar/edit?year=2028", nil, 200},
			{"an officer cannot download the ID copy", "xinxiyuan", "GET", path + "/files/1", nil, 404},
		}
		for _, tt := range tests {
			b := e.staff(tt.user)
			var r resp
			if tt.method == "GET" {
				r = b.get(tt.path)
			} else {
				r = b.post(tt.path, tt.form)
			}
			if r.status != tt.want {
				t.Errorf("%s: %s %s = %d, want %d", tt.name, tt.method, tt.path, r.status, tt.want)
			}
			if tt.user == "jyj.yishenqing" && strings.Contains(r.body, no) {
				t.Errorf("%s: page shows the tracking number", tt.name)
			}
		}
		// The handler downloads the private ID copy.
		r := e.staff("yishenqing").get(path)
		m := regexp.MustCompile(`/admin/apply/\d+/files/(\d+)"`).FindStringSubmatch(r.body)
		if m == nil {
			t.Fatal("no file link for the handler")
		}
		f := e.staff("yishenqing").get(path + "/files/" + m[1])
		if f.status != 200 || !strings.HasPrefix(f.body, "\x89PNG") {
			t.Errorf("ID copy download = %d", f.status)
		}
	})
}

// TestCalendarEditRecomputes: the city administrator adds 2028 through the
// admin, and the provisional due date of an open application becomes
// final, noted on the application.
func TestCalendarEditRecomputes(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.at("2027-12-20")
		u, _ := e.app.DB.UserByName(t.Context(), "yishenqing")
		x := apply.Application{OrgID: e.org("42130021").ID, Channel: apply.ChannelInPerson,
			Applicant:   apply.Applicant{Kind: apply.ApplicantPerson, Name: "王五", IDType: apply.IDPassport, IDNumber: "E7654321", Phone: "13800000001"},
			Description: "年终资料", Form: apply.FormPaper, Way: apply.WayPickup}
		a, _, err := e.app.Apply.Register(ctx, account.ActorFor(u, ""), apply.Registration{Application: x, ReceivedOn: apply.Today(e.clock.Now())})
		if err != nil || !a.DueProvisional {
			t.Fatalf("register: %v provisional %v", err, a.DueProvisional)
		}
		b := e.staff("admin")
		bad := b.post("/admin/calendar", url.Values{"year": {"2028"}, "notices.0.title": {""}, "holidays": {"2028-13-01"}})
		if bad.status != 422 {
			t.Errorf("bad calendar = %d, want 422", bad.status)
		}
		mustContain(t, "calendar errors", bad.body, "请填写通知标题", "2028-13-01")
		r := b.post("/admin/calendar", url.Values{"year": {"2028"}, "notices.0.title": {"国务院办公厅关于2028年部分节假日安排的通知"},
			"holidays": {"2028-01-01..2028-01-03"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("save calendar = %d:\n%s", r.status, r.body)
		}
		if got := e.dueOf(a.ID); got != "2028-01-18" {
			t.Errorf("due after calendar change = %s, want 2028-01-18", got)
		}
		page := e.staff("yishenqing").get("/admin/apply/" + itoa(a.ID))
		mustContain(t, "application page", page.body, "节假日安排调整", "2028-01-18")
		mustNotContain(t, "application page", page.body, "暂定：")
	})
}

// visitApplyPages renders every staff template of disclosure on
// application with real data, for TestEveryTemplateRenders, and returns
// the names it covered.
func visitApplyPages(t *testing.T, e *env) map[string]bool {
	t.Helper()
	ctx := t.Context()
	u, _ := e.app.DB.UserByName(ctx, "yishenqing")
	handler := account.ActorFor(u, "")
	x := apply.Application{OrgID: e.org("42130021").ID, Channel: apply.ChannelFax,
		Applicant:   apply.Applicant{Kind: apply.ApplicantPerson, Name: "赵六", IDType: apply.IDPassport, IDNumber: "E1111111", Phone: "13800000002"},
		Description: "模板检查", Form: apply.FormPaper, Way: apply.WayPickup}
	today := apply.Today(e.clock.Now())
	a, _, err := e.app.Apply.Register(ctx, handler, apply.Registration{Application: x, ReceivedOn: today})
	if err != nil {
		t.Fatal(err)
	}
	_, n, err := e.app.Apply.RecordOutcome(ctx, handler, a.ID, apply.Outcome{Category: apply.CatUnavailable, Reason: apply.UnavailableNotHeld, AnsweredOn: today}, "", "随州市民政局")
	if err != nil {
		t.Fatal(err)
	}
	hb := e.staff("yishenqing")
	ab := e.browser()
	ab.loginFull("admin")
	pages := []struct {
		name string
		b    *browser
		r    func(b *browser) resp
	}{
		{"apply/list", hb, func(b *browser) resp { return b.get("/admin/apply?all=1") }},
		{"apply/new", hb, func(b *browser) resp { return b.get("/admin/apply/new") }},
		{"apply/registered", hb, func(b *browser) resp {
			f := url.Values{"org_id": {itoa(a.OrgID)}, "channel": {"in_person"}, "received_on": {today.String()}, "kind": {"person"}, "name": {"钱七"},
				"id_type": {"passport"}, "id_number": {"E2222222"}, "phone": {"13800000003"}, "description": {"某文件"}, "form": {"paper"}, "way": {"pickup"}}
			return b.post("/admin/apply", f)
		}},
		{"apply/show", hb, func(b *browser) resp { return b.get("/admin/apply/" + itoa(a.ID)) }},
		{"apply/notice", hb, func(b *browser) resp { return b.get("/admin/apply/" + itoa(a.ID) + "/notices/" + itoa(n.ID)) }},
		{"apply/templates", hb, func(b *browser) resp { return b.get("/admin/apply/templates?category=refused") }},
		{"apply/calendar", ab, func(b *browser) resp { return b.get("/admin/calendar") }},
		{"apply/calendar_edit", ab, func(b *browser) resp { return b.get("/admin/calendar/edit?year=2026") }},
	}
	out := map[string]bool{}
	for _, p := range pages {
		if r := p.r(p.b); r.status != 200 {
			t.Errorf("template %s: status %d", p.name, r.status)
		}
		out[p.name] = true
	}
	return out
}

// TestDemoApplications loads the demo applications and checks that the
// dashboard shows them in their states.
func TestDemoApplications(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		if err := demo.LoadApplications(t.Context(), e.app.DB, e.app.Apply, e.clock.Now()); err != nil {
			t.Fatalf("LoadApplications: %v", err)
		}
		list := e.staff("yishenqing").get("/admin/apply?all=1")
		mustContain(t, "dashboard", list.body, "待确认", "已超期", "待补正", "征求意见中", "已办结", "随州某律师事务所")
		apps, _ := e.app.DB.Applications(t.Context(), []int64{e.org("42130021").ID}, false, 100)
		if len(apps) != 6 {
			t.Errorf("demo applications = %d, want 6", len(apps))
		}
	})
}
