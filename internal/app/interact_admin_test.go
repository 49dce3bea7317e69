package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/audit"
	"gongkai/internal/demo"
	"gongkai/internal/interact"
)

// messageID finds the stored message with the query number.
func (e *env) messageID(no string) int64 {
	e.t.Helper()
	ms, err := e.app.DB.Messages(e.t.Context(), interact.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range ms {
		if m.QueryNo == no {
			return m.ID
		}
	}
	e.t.Fatalf("no message %s", no)
	return 0
}

// signer signs demo users in again after the test clock has moved past
// the idle timeout, answering the second factor with the secret kept from
// enrolment.
type signer struct {
	e       *env
	secrets map[string]string
}

func (e *env) signer() *signer { return &signer{e: e, secrets: map[string]string{}} }

func (s *signer) in(user string) *browser {
	s.e.t.Helper()
	b := s.e.browser()
	r := b.login(user)
	switch r.location {
	case "/admin/":
	case "/admin/2fa/enrol":
		s.secrets[user] = b.enrol()
	case "/admin/2fa":
		code, err := account.TOTPCode(s.secrets[user], s.e.clock.Now())
		if err != nil {
			s.e.t.Fatal(err)
		}
		if r := b.post("/admin/2fa", url.Values{"code": {code}}); r.status != http.StatusSeeOther {
			s.e.t.Fatalf("second factor for %s = %d", user, r.status)
		}
	default:
		s.e.t.Fatalf("login %s: status %d location %q", user, r.status, r.location)
	}
	return b
}

func wantStatus(t *testing.T, what string, r resp, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s = %d, want %d\n%s", what, r.status, status, r.body)
	}
}

// TestCitizenAsksBureauForwardsUnitAnswersPublishedMaskedAndRated is the
// issue's end-to-end case: a citizen asks the bureau, the bureau forwards
// the question to its subordinate unit, the unit's officer drafts the
// answer, the section head approves it in time, the answer appears on the
// public list with the name masked and without contact data, and the
// citizen rates it.
func TestCitizenAsksBureauForwardsUnitAnswersPublishedMaskedAndRated(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureau, unit := e.org("42130021"), e.org("42130021-01")
		citizen := e.browser()
		no, code := submitMessage(t, citizen, "/interact/new", url.Values{"kind": {"question"}, "org_id": {itoa(bureau.ID)},
			"subject": {"福利院探视时间"}, "body": {"我叫孙大圣，电话13811112222，想问福利院周末能否探视老人？"},
			"name": {"孙大圣"}, "phone": {"13811112222"}, "email": {"sun@example.com"}, "consent": {"1"}})
		id := e.messageID(no)
		show := "/admin/interact/" + itoa(id)

		unitOfficer := e.browser()
		unitOfficer.loginFull("fly.xinxiyuan")
		wantStatus(t, "unit officer reads the bureau's message", unitOfficer.get(show), http.StatusNotFound)

		office := e.browser()
		office.loginFull("bangongshi")
		inbox := office.get("/admin/interact")
		mustContain(t, "office inbox", inbox.body, no, "福利院探视时间", "待受理")
		mustNotContain(t, "unit inbox of the office", office.get("/admin/interact?org="+itoa(unit.ID)).body, no)
		mustContain(t, "bureau inbox of the office", office.get("/admin/interact?org="+itoa(bureau.ID)).body, no)
		r := office.post(show+"/forward", url.Values{"to_org_id": {itoa(unit.ID)}, "note": {"请福利院答复"}})
		wantStatus(t, "forward", r, http.StatusSeeOther)

		wantStatus(t, "unit officer reads the forwarded message", unitOfficer.get(show), http.StatusOK)
		wantStatus(t, "unit officer accepts", unitOfficer.post(show+"/accept", nil), http.StatusForbidden)
		wantStatus(t, "office accepts", office.post(show+"/accept", nil), http.StatusSeeOther)
		officer := e.actor("fly.xinxiyuan")
		wantStatus(t, "assign without section", office.post(show+"/assign", url.Values{"section": {""}, "handler_id": {itoa(officer.UserID)}}), http.StatusUnprocessableEntity)
		wantStatus(t, "assign", office.post(show+"/assign", url.Values{"section": {"综合科"}, "handler_id": {itoa(officer.UserID)}}), http.StatusSeeOther)

		bad := unitOfficer.post(show+"/draft", url.Values{"body": {"孙大圣您好，我们会致电13811112222告知。"}})
		wantStatus(t, "draft with the sender's phone", bad, http.StatusUnprocessableEntity)
		mustContain(t, "refused draft", bad.body, "不得公开", "我们会致电")
		wantStatus(t, "draft", unitOfficer.post(show+"/draft", url.Values{"body": {"孙大圣您好：本院周六、周日上午9时至11时可探视，请提前电话预约。"}}), http.StatusSeeOther)
		wantStatus(t, "officer approves own draft", unitOfficer.post(show+"/approve", url.Values{"publish": {"1"}}), http.StatusForbidden)

		// Nothing is public before the section head approves.
		mustContain(t, "public list before approval", citizen.get("/interact/").body, "暂无符合条件")

		e.clock.Add(24 * 60 * 60 * 1e9) // the next day, well within 5 working days
		head := e.browser()
		head.loginFull("kezhang")
		wantStatus(t, "approve", head.post(show+"/approve", url.Values{"publish": {"1"}}), http.StatusSeeOther)
		mustContain(t, "approved message", head.get(show).body, "已答复", "审核通过并答复")

		list := citizen.get("/interact/")
		mustContain(t, "public list", list.body, "福利院探视时间", "随州市社会福利院")
		page := citizen.get("/interact/" + itoa(id))
		mustContain(t, "public message", page.body, "孙**", "周六、周日上午9时至11时可探视")
		for _, p := range []resp{list, page} {
			mustNotContain(t, "public pages", p.body, "孙大圣", "13811112222", "sun@example.com")
		}

		q := citizen.post("/interact/query", url.Values{"no": {no}, "code": {code}})
		mustContain(t, "query", q.body, "已答复", "可探视", "提交评价")
		rate := citizen.post("/interact/rate", url.Values{"no": {no}, "code": {code}, "level": {"satisfied"}, "comment": {"答复很及时"}})
		wantStatus(t, "rate", rate, http.StatusOK)
		mustContain(t, "rated", rate.body, "感谢您的评价", "您的评价：满意")
		again := citizen.post("/interact/rate", url.Values{"no": {no}, "code": {code}, "level": {"unsatisfied"}})
		wantStatus(t, "rate again", again, http.StatusUnprocessableEntity)
		mustContain(t, "figures", citizen.get("/interact/?org=0").body, "100%", "各单位办理情况", "<th scope=\"row\">随州市社会福利院</th><td>1</td><td>1</td>")

		// The section head can take it off the public list again, with a reason.
		wantStatus(t, "withdraw without a reason", head.post(show+"/withdraw", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
		unitOfficer = e.browser()
		unitOfficer.loginFull("fly.xinxiyuan") // the earlier session ran out when the clock moved on
		wantStatus(t, "unit officer withdraws", unitOfficer.post(show+"/withdraw", url.Values{"reason": {"x"}}), http.StatusForbidden)
		wantStatus(t, "withdraw", head.post(show+"/withdraw", url.Values{"reason": {"留言人要求不公开"}}), http.StatusSeeOther)
		mustNotContain(t, "public list after withdrawal", citizen.get("/interact/?org=0").body, "福利院探视时间")
		wantStatus(t, "withdrawn message page", citizen.get("/interact/"+itoa(id)), http.StatusNotFound)
		mustContain(t, "sender still reads the answer", citizen.post("/interact/query", url.Values{"no": {no}, "code": {code}}).body, "可探视")

		recs, err := e.app.DB.AuditRecords(t.Context(), audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[audit.Action]bool{}
		for _, rec := range recs {
			seen[rec.Action] = true
			mustNotContain(t, "audit detail", rec.Detail, "孙大圣", "13811112222")
		}
		for _, a := range []audit.Action{audit.ActInteractSubmit, audit.ActInteractForward, audit.ActInteractAccept, audit.ActInteractAssign,
			audit.ActInteractDraft, audit.ActInteractAnswer, audit.ActInteractRate} {
			if !seen[a] {
				t.Errorf("no audit record %s", a)
			}
		}
	})
}

// TestComplaintAnsweredLateShowsOverdue drives the daily job with the test
// clock: a complaint left unanswered past its deadline is marked overdue
// in the inbox and its history, and the late answer counts as late.
func TestComplaintAnsweredLateShowsOverdue(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		ctx := t.Context()
		bureau := e.org("42130021")
		e.at("2026-03-02")
		citizen := e.browser()
		no, _ := submitMessage(t, citizen, "/interact/new", url.Values{"kind": {"complaint"}, "org_id": {itoa(bureau.ID)},
			"subject": {"窗口工作人员态度差"}, "body": {"3月1日在婚姻登记窗口办事，工作人员态度生硬。"}, "name": {"周八"}, "phone": {"13922223333"}})
		id := e.messageID(no)
		show := "/admin/interact/" + itoa(id)
		sign := e.signer()
		office := sign.in("bangongshi")
		wantStatus(t, "accept", office.post(show+"/accept", nil), http.StatusSeeOther)

		e.at("2026-03-06") // due 2026-03-09: two working days left
		office = sign.in("bangongshi")
		mustContain(t, "inbox due soon", office.get("/admin/interact").body, "即将到期")
		e.at("2026-03-10")
		office = sign.in("bangongshi")
		if err := e.app.Jobs.Schedule(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		mustContain(t, "inbox overdue", office.get("/admin/interact").body, "已超期", "有 1 条留言已超过答复期限")
		mustContain(t, "history", office.get(show).body, "超期提醒", "已超过答复期限（2026-03-09）")

		wantStatus(t, "assign", office.post(show+"/assign", url.Values{"section": {"婚姻登记处"}, "handler_id": {itoa(e.actor("xinxiyuan").UserID)}}), http.StatusSeeOther)
		drafter := sign.in("xinxiyuan")
		mustContain(t, "drafter's own inbox", drafter.get("/admin/interact?mine=1").body, "窗口工作人员态度差")
		mustNotContain(t, "the office's own inbox", office.get("/admin/interact?mine=1").body, "窗口工作人员态度差")
		wantStatus(t, "draft", drafter.post(show+"/draft", url.Values{"body": {"经调查核实，已对相关工作人员批评教育。"}}), http.StatusSeeOther)
		head := sign.in("kezhang")
		wantStatus(t, "approve", head.post(show+"/approve", nil), http.StatusSeeOther)
		all := office.get("/admin/interact?all=1")
		mustContain(t, "inbox after the late answer", all.body, "超期答复")
		mustNotContain(t, "public list", citizen.get("/interact/").body, "窗口工作人员态度差")
	})
}

// TestConsultationFromOpeningToPublishedSummary runs a consultation
// through the staff UI and the public page.
func TestConsultationFromOpeningToPublishedSummary(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureau := e.org("42130021")
		e.at("2026-03-02")
		sign := e.signer()
		office := sign.in("bangongshi")
		bad := office.post("/admin/consult", url.Values{"org_id": {itoa(bureau.ID)}, "title": {""}, "start_on": {"2026-03-02"}, "end_on": {"2026-02-01"}, "draft": {"第一条"}})
		wantStatus(t, "bad consultation", bad, http.StatusUnprocessableEntity)
		mustContain(t, "bad consultation", bad.body, "请填写征集标题", "截止日期不能早于开始日期", "第一条")
		r := office.post("/admin/consult", url.Values{"org_id": {itoa(bureau.ID)}, "title": {"随州市困难群众救助办法（征求意见稿）"},
			"draft": {"第一条 为保障困难群众基本生活……"}, "start_on": {"2026-03-02"}, "end_on": {"2026-03-31"}})
		wantStatus(t, "open consultation", r, http.StatusSeeOther)
		admin := r.location
		cid := strings.TrimPrefix(admin, "/admin/consult/")

		citizen := e.browser()
		page := citizen.get("/interact/consult/" + cid)
		mustContain(t, "public consultation", page.body, "困难群众救助办法", "征集中", "公开的意见")
		q, tok := questionRe.FindStringSubmatch(page.body), tokenRe.FindStringSubmatch(page.body)
		empty := citizen.post("/interact/consult/"+cid, url.Values{"body": {""}, "name": {"吴九"}, "captcha": {solveCaptcha(t, q[1])}, "captcha_token": {tok[1]}})
		wantStatus(t, "empty comment", empty, http.StatusUnprocessableEntity)
		mustContain(t, "empty comment", empty.body, "请填写您的意见", `value="吴九"`)
		q, tok = questionRe.FindStringSubmatch(empty.body), tokenRe.FindStringSubmatch(empty.body)
		sent := citizen.post("/interact/consult/"+cid, url.Values{"body": {"建议把临时救助的审批时限写明，我的电话13700001111。"}, "name": {"吴九"},
			"captcha": {solveCaptcha(t, q[1])}, "captcha_token": {tok[1]}})
		mustContain(t, "comment", sent.body, "经审核后公开")

		staff := office.get(admin)
		mustContain(t, "staff consultation", staff.body, "审批时限", "待审核")
		cm, err := e.app.DB.Comments(t.Context(), mustAtoi(t, cid), false)
		if err != nil || len(cm) != 1 {
			t.Fatalf("comments = %v, %v", cm, err)
		}
		wantStatus(t, "moderate", office.post(admin+"/show", url.Values{"comment_id": {itoa(cm[0].ID)}}), http.StatusSeeOther)
		shown := citizen.get("/interact/consult/" + cid)
		mustContain(t, "shown comment", shown.body, "吴*", "审批时限")
		mustNotContain(t, "shown comment", shown.body, "吴九", "13700001111")

		wantStatus(t, "summary before the end", office.post(admin+"/summary", url.Values{"summary": {"采纳"}}), http.StatusUnprocessableEntity)
		e.at("2026-04-01")
		office = sign.in("bangongshi")
		// The summary goes through the publishing workflow as an item.
		tzgg := e.column("42130021", "tzgg")
		summary := url.Values{"summary": {"共收到意见1条，采纳1条：第十条写明临时救助审批时限为5个工作日。"}, "column_id": {itoa(tzgg.ID)},
			"topic": {"民政、扶贫、救灾"}, "genre": {"其他"}}
		wantStatus(t, "summary", office.post(admin+"/summary", summary), http.StatusSeeOther)
		wantStatus(t, "summary twice", office.post(admin+"/summary", summary), http.StatusUnprocessableEntity)
		c, err := e.app.DB.Consultation(t.Context(), mustAtoi(t, cid))
		if err != nil || c.SummaryItemID == 0 {
			t.Fatalf("consultation = %+v, %v; want a summary item", c, err)
		}
		mustContain(t, "staff consultation", office.get(admin).body, "/admin/items/"+itoa(c.SummaryItemID), "查看信息及审核进度")
		mustNotContain(t, "summary under review", citizen.get("/interact/consult/"+cid).body, "采纳1条")
		head := sign.in("kezhang")
		wantStatus(t, "approve outside the workflow", head.post(admin+"/approve", nil), http.StatusUnprocessableEntity)
		ctx, pub := t.Context(), e.app.Publish
		if err := pub.SectionApprove(ctx, e.actor("kezhang"), c.SummaryItemID); err != nil {
			t.Fatal(err)
		}
		mustNotContain(t, "summary in confidentiality review", citizen.get("/interact/consult/"+cid).body, "采纳1条")
		if err := pub.Approve(ctx, e.actor("baomi"), c.SummaryItemID); err != nil {
			t.Fatal(err)
		}
		if err := pub.Publish(ctx, e.actor("bangongshi"), c.SummaryItemID); err != nil {
			t.Fatal(err)
		}
		final := citizen.get("/interact/consult/" + cid)
		mustContain(t, "published summary", final.body, "意见采纳情况", "采纳1条", "已结束", "1 条", "/item/"+itoa(c.SummaryItemID))
		mustContain(t, "summary item", citizen.get("/item/"+itoa(c.SummaryItemID)).body, "征求意见采纳情况的说明", "采纳1条")
		mustNotContain(t, "closed consultation", final.body, "发表意见")
	})
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			t.Fatalf("not a number: %q", s)
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// TestInteractSettingsAndIsolation checks the deadline setting by role and
// that another org's staff cannot read or act on a message.
func TestInteractSettingsAndIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureau := e.org("42130021")
		adm := e.browser()
		adm.loginFull("mzj.admin")
		bad := adm.post("/admin/interact/settings", url.Values{"org_id": {itoa(bureau.ID)}, "deadline_days": {"90"}})
		wantStatus(t, "deadline 90", bad, http.StatusUnprocessableEntity)
		mustContain(t, "deadline 90", bad.body, "1至30个工作日", `value="90"`)
		wantStatus(t, "deadline 3", adm.post("/admin/interact/settings", url.Values{"org_id": {itoa(bureau.ID)}, "deadline_days": {"3"}}), http.StatusSeeOther)
		officer := e.browser()
		officer.loginFull("xinxiyuan")
		wantStatus(t, "officer settings", officer.get("/admin/interact/settings"), http.StatusForbidden)

		e.at("2026-03-02")
		no, _ := submitMessage(t, e.browser(), "/interact/new", url.Values{"kind": {"suggestion"}, "org_id": {itoa(bureau.ID)},
			"subject": {"建议延长窗口办公时间"}, "body": {"建议午间不休息。"}, "name": {"郑十"}, "phone": {"13633334444"}})
		id := e.messageID(no)
		m, _, err := e.app.Interact.View(t.Context(), e.actor("mzj.admin"), id)
		if err != nil || m.DueOn.String() != "2026-03-05" {
			t.Fatalf("due = %v, %v; want 2026-03-05 with 3 working days", m, err)
		}
		unit := e.browser()
		unit.loginFull("fly.xinxiyuan")
		wantStatus(t, "unit reads", unit.get("/admin/interact/"+itoa(id)), http.StatusNotFound)
		wantStatus(t, "unit notes", unit.post("/admin/interact/"+itoa(id)+"/note", url.Values{"note": {"x"}}), http.StatusNotFound)
		mustNotContain(t, "unit inbox", unit.get("/admin/interact").body, no)
	})
}

// visitInteractPages renders every staff page of public interaction with
// real data, for TestEveryTemplateRenders, and returns the templates it
// covered. pub is a browser signed in as the demo publisher.
func visitInteractPages(t *testing.T, e *env, pub *browser, msgID, consultID int64) map[string]bool {
	t.Helper()
	head, leader := e.browser(), e.browser()
	head.loginFull("kezhang")
	leader.loginFull("lingdao")
	visits := []struct {
		name string
		b    *browser
		path string
	}{
		{"interact/inbox", head, "/admin/interact?all=1"},
		{"interact/show", head, "/admin/interact/" + itoa(msgID)},
		{"interact/settings", leader, "/admin/interact/settings"},
		{"interact/stats", head, "/admin/interact/stats"},
		{"interact/consults", head, "/admin/consult"},
		{"interact/consult", head, "/admin/consult/" + itoa(consultID)},
		{"interact/consult_new", pub, "/admin/consult/new"},
	}
	covered := map[string]bool{}
	for _, v := range visits {
		if r := v.b.get(v.path); r.status != http.StatusOK {
			t.Errorf("template %s: GET %s = %d, want 200", v.name, v.path, r.status)
		}
		covered[v.name] = true
	}
	return covered
}

// TestDemoInteract loads the demo messages and consultation and checks
// they show where they should.
func TestDemoInteract(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		if err := demo.LoadInteract(t.Context(), e.app.DB, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		list := b.get("/interact/")
		mustContain(t, "public list", list.body, "高龄津贴如何申领", "100%")
		mustNotContain(t, "public list", list.body, "婚姻登记处开通网上预约", "张某某", "13900000101")
		mustContain(t, "consultations", b.get("/interact/consult/").body, "社区养老服务设施管理办法", "征集中")
		r := b.get("/col/gzhd/")
		if r.status != http.StatusSeeOther || r.location != "/mzj/interact/" {
			t.Errorf("公众互动 column = %d %q, want a redirect to the interaction pages", r.status, r.location)
		}
		head := e.browser()
		head.loginFull("kezhang")
		inbox := head.get("/admin/interact")
		mustContain(t, "inbox", inbox.body, "已超期", "答复待审核", "社会组织年检时间")
		stats := head.get("/admin/interact/stats")
		mustContain(t, "statistics", stats.body, "2026年公众互动统计", "随州市民政局", "<td>6</td>")
	})
}
