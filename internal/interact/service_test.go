package interact_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/interact"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/workday"
)

// world is a database with a city, two bureaus and staff.
type world struct {
	db     *store.DB
	clock  *storetest.Clock
	svc    *interact.Service
	city   *org.Org
	bureau *org.Org
	other  *org.Org
	users  map[string]*account.User
}

func (w *world) act(name string) account.Actor { return account.ActorFor(w.users[name], "127.0.0.1") }

// at sets the clock to 09:00 China time on day s.
func (w *world) at(s string) {
	v := d(s)
	w.clock.T = time.Date(v.Year(), v.Month(), v.Day(), 1, 0, 0, 0, time.UTC)
}

func eachDB(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		ck := &storetest.Clock{}
		fn(t, newWorld(t, store.Options{DataDir: filepath.Join(t.TempDir(), "data"), Now: ck.Now}, ck))
	})
	t.Run("postgres", func(t *testing.T) {
		u := storetest.PostgresURL(t)
		t.Parallel()
		ck := &storetest.Clock{}
		fn(t, newWorld(t, store.Options{URL: storetest.CreateSchema(t, u), Now: ck.Now}, ck))
	})
}

func newWorld(t *testing.T, so store.Options, ck *storetest.Clock) *world {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, so)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	w := &world{db: db, clock: ck, users: map[string]*account.User{}}
	w.svc = interact.NewService(db, interact.Config{Now: ck.Now})
	err = db.Update(ctx, func(tx *store.Tx) error {
		w.city = &org.Org{Code: "42130000", Name: "随州市人民政府", Site: org.Site{PathPrefix: "szf"}}
		if err := tx.CreateOrg(ctx, w.city); err != nil {
			return err
		}
		w.bureau = &org.Org{ParentID: w.city.ID, Code: "42130021", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		w.other = &org.Org{ParentID: w.city.ID, Code: "42130022", Name: "随州市教育局", Site: org.Site{PathPrefix: "jyj"}}
		for _, o := range []*org.Org{w.bureau, w.other} {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
		}
		for _, s := range []struct {
			name string
			o    *org.Org
			role account.Role
		}{{"mzj.office", w.bureau, account.RolePublisher}, {"mzj.kezhang", w.bureau, account.RoleSection}, {"mzj.xinxiyuan", w.bureau, account.RoleOfficer},
			{"jyj.office", w.other, account.RolePublisher}, {"jyj.kezhang", w.other, account.RoleSection}, {"jyj.jingban", w.other, account.RoleHandler},
			{"jyj.kezhang2", w.other, account.RoleSection}, {"mzj.admin", w.bureau, account.RoleAdmin}} {
			u := &account.User{Username: s.name, DisplayName: s.name, OrgID: s.o.ID, PasswordHash: "x", Grants: []account.Grant{{OrgID: s.o.ID, Role: s.role}}}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			w.users[s.name] = u
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create orgs and users: %v", err)
	}
	w.at("2026-03-02")
	return w
}

func (w *world) submit(t *testing.T, m interact.Message, ip string) *interact.Receipt {
	t.Helper()
	rc, err := w.svc.Submit(t.Context(), &m, ip)
	if err != nil {
		t.Fatalf("Submit: %v", err)
	}
	return rc
}

// must returns v, and fails the test (by panicking, which the testing
// package reports with the caller's line) when err is not nil.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestForwardedQuestionAnsweredInTimeAndRated walks a question from the
// citizen through forwarding, triage, assignment, a refused and a good
// draft, approval with publication, tracking and rating.
func TestForwardedQuestionAnsweredInTimeAndRated(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		m := valid()
		m.OrgID, m.Consent = w.bureau.ID, true
		m.Subject = "孩子入学咨询"
		m.Body = "我叫张三丰，手机13912345678，想咨询孩子转学到随州的手续。"
		rc := w.submit(t, m, "203.0.113.5")
		if rc.Code == "" || rc.Message.DueOn.String() != "2026-03-09" || rc.Message.State != interact.StateReceived {
			t.Fatalf("receipt = %+v", rc.Message)
		}
		id := rc.Message.ID

		// The same text from the same address a minute later is refused.
		w.clock.Add(time.Minute)
		again := m
		_, err := w.svc.Submit(ctx, &again, "203.0.113.5")
		if inv, ok := apperr.AsInvalid(err); !ok || !strings.Contains(inv.Fields[""], rc.QueryNo) {
			t.Fatalf("duplicate Submit = %v, want a message naming %s", err, rc.QueryNo)
		}
		// From another address it is a new message.
		other := m
		w.submit(t, other, "198.51.100.7")

		// The other bureau cannot see it; the officer cannot triage it.
		if _, _, err := w.svc.View(ctx, w.act("jyj.office"), id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("other bureau View = %v, want not found", err)
		}
		if _, err := w.svc.Forward(ctx, w.act("mzj.xinxiyuan"), id, w.other.ID, ""); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("officer Forward = %v, want forbidden", err)
		}
		if _, err := w.svc.Forward(ctx, w.act("mzj.office"), id, w.bureau.ID, ""); err == nil {
			t.Error("forward to the same org accepted")
		}
		must(w.svc.Forward(ctx, w.act("mzj.office"), id, w.other.ID, "入学事宜属教育局职责"))
		if _, _, err := w.svc.View(ctx, w.act("mzj.office"), id); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("forwarding bureau still sees the message: %v", err)
		}

		w.at("2026-03-03")
		must(w.svc.Accept(ctx, w.act("jyj.office"), id))
		if _, err := w.svc.Assign(ctx, w.act("jyj.office"), id, "基础教育科", w.users["mzj.xinxiyuan"].ID); err == nil {
			t.Error("assigned to an officer of another bureau")
		}
		must(w.svc.Assign(ctx, w.act("jyj.office"), id, "基础教育科", w.users["jyj.jingban"].ID))
		if _, err := w.svc.ApproveReply(ctx, w.act("jyj.kezhang"), id, true); err == nil {
			t.Error("approved without a draft")
		}
		_, err = w.svc.DraftReply(ctx, w.act("jyj.jingban"), id, "张三丰您好，我们将致电13912345678与您联系。")
		if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["body"] == "" {
			t.Fatalf("draft with the sender's mobile = %v, want refused", err)
		}
		must(w.svc.DraftReply(ctx, w.act("jyj.jingban"), id, "张三丰您好：转学请携带户口簿到拟转入学校办理，详见教育局网站。"))
		w.at("2026-03-05")
		if _, err := w.svc.ApproveReply(ctx, w.act("jyj.jingban"), id, true); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("handler approves own reply: %v, want forbidden", err)
		}
		got := must(w.svc.ApproveReply(ctx, w.act("jyj.kezhang"), id, true))
		if got.State != interact.StateAnswered || got.Late || !got.Published || got.AnsweredOn.String() != "2026-03-05" {
			t.Fatalf("after approval: state %s late %v published %v answered %s", got.State, got.Late, got.Published, got.AnsweredOn)
		}
		pub := got.PublicName + got.PublicSubject + got.PublicBody + got.PublicReply
		for _, secret := range []string{"张三丰", "13912345678", "zhang@example.com"} {
			if strings.Contains(pub, secret) {
				t.Errorf("published text contains %q", secret)
			}
		}

		// Tracking: a wrong code reveals nothing.
		if _, _, err := w.svc.Track(ctx, rc.QueryNo, "WRONGCODE1"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("Track with a wrong code = %v", err)
		}
		tm, evs := must2(w.svc.Track(ctx, strings.ToLower(rc.QueryNo), rc.Code))
		if tm.Reply == nil || tm.Reply.Status != interact.ReplyApproved {
			t.Errorf("tracked message has no approved reply")
		}
		for _, e := range evs {
			if e.Internal {
				t.Errorf("sender sees internal event %s", e.Action)
			}
		}
		if err := w.svc.Rate(ctx, rc.QueryNo, "WRONGCODE1", interact.LevelSatisfied, ""); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("Rate with a wrong code = %v", err)
		}
		if err := w.svc.Rate(ctx, rc.QueryNo, rc.Code, interact.LevelSatisfied, "答复及时"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Rate(ctx, rc.QueryNo, rc.Code, interact.LevelUnsatisfied, ""); err == nil {
			t.Error("rated twice")
		}

		list := must(w.db.Messages(ctx, interact.Filter{Published: true}))
		if len(list) != 1 || list[0].ID != id || list[0].Rating == nil {
			t.Fatalf("public list = %d messages", len(list))
		}
		recs := must(w.db.AuditRecords(ctx, audit.Filter{}))
		seen := map[audit.Action]bool{}
		for _, r := range recs {
			seen[r.Action] = true
			if strings.Contains(r.Detail, "13912345678") || strings.Contains(r.Detail, "张三丰") {
				t.Errorf("audit detail carries personal data: %s", r.Detail)
			}
		}
		for _, a := range []audit.Action{audit.ActInteractSubmit, audit.ActInteractForward, audit.ActInteractAccept, audit.ActInteractAssign,
			audit.ActInteractDraft, audit.ActInteractAnswer, audit.ActInteractRate} {
			if !seen[a] {
				t.Errorf("no audit record %s", a)
			}
		}
	})
}

func must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		panic(err)
	}
	return a, b
}

// TestComplaintAnsweredLateIsOverdue checks the daily job marks an open
// complaint overdue once, and the answer after the deadline counts late.
func TestComplaintAnsweredLateIsOverdue(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		if err := w.svc.SetSettings(ctx, w.act("mzj.xinxiyuan"), interact.Settings{OrgID: w.bureau.ID, DeadlineDays: 3}); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("officer SetSettings = %v", err)
		}
		if err := w.svc.SetSettings(ctx, w.act("mzj.admin"), interact.Settings{OrgID: w.bureau.ID, DeadlineDays: 3}); err != nil {
			t.Fatal(err)
		}
		m := valid()
		m.OrgID, m.Kind = w.bureau.ID, interact.KindComplaint
		rc := w.submit(t, m, "203.0.113.5")
		if rc.Message.DueOn.String() != "2026-03-05" {
			t.Fatalf("due %s, want 2026-03-05 (3 working days)", rc.Message.DueOn)
		}
		id := rc.Message.ID
		must(w.svc.Accept(ctx, w.act("mzj.office"), id))
		must(w.svc.Assign(ctx, w.act("mzj.kezhang"), id, "社会救助科", w.users["mzj.xinxiyuan"].ID))
		w.at("2026-03-05")
		if n := must(w.svc.CheckDeadlines(ctx)); n != 0 {
			t.Errorf("CheckDeadlines on the due day marked %d", n)
		}
		w.at("2026-03-06")
		if n := must(w.svc.CheckDeadlines(ctx)); n != 1 {
			t.Errorf("CheckDeadlines after the due day marked %d, want 1", n)
		}
		if n := must(w.svc.CheckDeadlines(ctx)); n != 0 {
			t.Errorf("CheckDeadlines marked again: %d", n)
		}
		cal, today, _ := w.svc.CalendarNow(ctx)
		msg, _ := must2(w.svc.View(ctx, w.act("mzj.kezhang"), id))
		if mk := interact.MarkOf(cal, msg, today); mk != interact.MarkOverdue {
			t.Errorf("mark = %q, want overdue", mk)
		}
		must(w.svc.DraftReply(ctx, w.act("mzj.xinxiyuan"), id, "经核查，您反映的问题属实，已责令整改。"))
		must(w.svc.ReturnReply(ctx, w.act("mzj.kezhang"), id, "请写明整改期限"))
		must(w.svc.DraftReply(ctx, w.act("mzj.xinxiyuan"), id, "经核查，您反映的问题属实，已责令于3月底前整改。"))
		w.at("2026-03-09")
		got := must(w.svc.ApproveReply(ctx, w.act("mzj.kezhang"), id, true))
		if !got.Late || got.Published {
			t.Errorf("late %v published %v; want late and not published (no consent)", got.Late, got.Published)
		}
		st := must(w.db.InteractStats(ctx, cal, nil, d("2026-03-01"), d("2026-03-31"), d("2026-03-09")))
		if st.Total.Late != 1 || st.Total.Answered != 1 || st.ByOrg[w.bureau.ID].ByKind[interact.KindComplaint] != 1 {
			t.Errorf("stats = %+v", st.Total)
		}
	})
}

func TestRejectWithReason(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		m := valid()
		m.OrgID = w.bureau.ID
		rc := w.submit(t, m, "203.0.113.5")
		if _, err := w.svc.Reject(ctx, w.act("mzj.office"), rc.Message.ID, " "); err == nil {
			t.Error("rejected without a reason")
		}
		got := must(w.svc.Reject(ctx, w.act("mzj.office"), rc.Message.ID, "所询事项属司法程序，请向法院咨询"))
		if got.State != interact.StateRejected || got.RejectReason == "" {
			t.Errorf("state %s reason %q", got.State, got.RejectReason)
		}
		if _, err := w.svc.Accept(ctx, w.act("mzj.office"), rc.Message.ID); !errors.Is(err, interact.ErrState) {
			t.Errorf("accept after reject = %v", err)
		}
	})
}

// TestConsultationToPublishedSummary runs a consultation from opening to
// the published summary.
func TestConsultationToPublishedSummary(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		c := &interact.Consultation{OrgID: w.bureau.ID, Title: "《随州市最低生活保障实施细则（征求意见稿）》", Draft: "第一条 为规范……",
			StartOn: d("2026-03-02"), EndOn: d("2026-03-16")}
		if err := w.svc.OpenConsultation(ctx, w.act("mzj.xinxiyuan"), c); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("officer opens consultation: %v", err)
		}
		if err := w.svc.OpenConsultation(ctx, w.act("mzj.office"), c); err != nil {
			t.Fatal(err)
		}
		cm := &interact.Comment{Sender: interact.Sender{Name: "李四", Phone: "13800001111"}, Body: "建议第五条增加对残疾人的照顾，联系我13800001111。"}
		if err := w.svc.AddComment(ctx, c.ID, cm, "203.0.113.5"); err != nil {
			t.Fatal(err)
		}
		dup := &interact.Comment{Sender: cm.Sender, Body: cm.Body}
		if err := w.svc.AddComment(ctx, c.ID, dup, "203.0.113.5"); err == nil {
			t.Error("duplicate comment accepted")
		}
		if n := len(must(w.db.Comments(ctx, c.ID, true))); n != 0 {
			t.Errorf("%d comments shown before moderation", n)
		}
		if err := w.svc.ModerateComment(ctx, w.act("jyj.office"), cm.ID, true); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("other bureau moderates: %v", err)
		}
		if err := w.svc.ModerateComment(ctx, w.act("mzj.office"), cm.ID, true); err != nil {
			t.Fatal(err)
		}
		shown := must(w.db.Comments(ctx, c.ID, true))
		if len(shown) != 1 || strings.Contains(shown[0].PublicBody, "13800001111") || shown[0].PublicName != "李*" {
			t.Errorf("shown comment = %+v", shown)
		}
		if _, err := w.svc.SubmitSummary(ctx, w.act("mzj.office"), c.ID, "采纳", 0); err == nil {
			t.Error("summary accepted before the end")
		}
		w.at("2026-03-17")
		if err := w.svc.AddComment(ctx, c.ID, &interact.Comment{Sender: cm.Sender, Body: "迟到的意见"}, "203.0.113.9"); err == nil {
			t.Error("comment accepted after the end")
		}
		must(w.svc.SubmitSummary(ctx, w.act("mzj.office"), c.ID, "共收到意见1条，采纳1条：第五条增加对残疾人的照顾。", 0))
		if _, err := w.svc.ApproveSummary(ctx, w.act("mzj.office"), c.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("publisher approves summary: %v", err)
		}
		got := must(w.svc.ApproveSummary(ctx, w.act("mzj.kezhang"), c.ID))
		if got.SummaryState != interact.SummaryPublished || got.Comments != 1 {
			t.Errorf("consultation = %+v", got)
		}
	})
}

// TestMessageFilters checks the list filters on both databases: org,
// kind, open, published, date range and a search that treats % and _
// literally.
func TestMessageFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		ids := map[string]int64{}
		for i, s := range []struct {
			key     string
			org     int64
			kind    interact.Kind
			day     string
			subject string
			publish bool
		}{
			{"a", w.bureau.ID, interact.KindQuestion, "2026-03-02", "低保标准提高了100%吗", true},
			{"b", w.bureau.ID, interact.KindComplaint, "2026-03-03", "低保审批太慢", true},
			{"c", w.other.ID, interact.KindQuestion, "2026-04-01", "转学手续", true},
			{"d", w.bureau.ID, interact.KindQuestion, "2026-04-02", "低保_标准", false},
		} {
			w.at(s.day)
			m := valid()
			m.OrgID, m.Kind, m.Subject, m.Consent = s.org, s.kind, s.subject, true
			rc := w.submit(t, m, "203.0.113."+itoa(i))
			ids[s.key] = rc.Message.ID
			if !s.publish {
				continue
			}
			office, head, drafter := "mzj.office", "mzj.kezhang", "mzj.xinxiyuan"
			if s.org == w.other.ID {
				office, head, drafter = "jyj.office", "jyj.kezhang", "jyj.jingban"
			}
			id := rc.Message.ID
			must(w.svc.Accept(ctx, w.act(office), id))
			must(w.svc.Assign(ctx, w.act(office), id, "科室", w.users[drafter].ID))
			must(w.svc.DraftReply(ctx, w.act(drafter), id, "答复"))
			must(w.svc.ApproveReply(ctx, w.act(head), id, true))
		}
		got := func(f interact.Filter) string {
			t.Helper()
			ms := must(w.db.Messages(ctx, f))
			var keys []string
			for _, m := range ms {
				for k, id := range ids {
					if id == m.ID {
						keys = append(keys, k)
					}
				}
			}
			return strings.Join(keys, ",")
		}
		for _, tt := range []struct {
			name string
			f    interact.Filter
			want string
		}{
			{"published, newest answer first", interact.Filter{Published: true}, "c,b,a"},
			{"search matches a literal percent sign", interact.Filter{Published: true, Query: "100%"}, "a"},
			{"percent is not a wildcard", interact.Filter{Published: true, Query: "低保%慢"}, ""},
			{"search in the public texts only", interact.Filter{Published: true, Query: "低保"}, "b,a"},
			{"underscore is not a wildcard", interact.Filter{Published: true, Query: "低_"}, ""},
			{"by org", interact.Filter{OrgIDs: []int64{w.other.ID}}, "c"},
			{"no orgs, no messages", interact.Filter{OrgIDs: []int64{}}, ""},
			{"by kind", interact.Filter{Kind: interact.KindComplaint}, "b"},
			{"open only", interact.Filter{Open: true}, "d"},
			{"received in April", interact.Filter{From: d("2026-04-01"), To: d("2026-04-30"), Open: true}, "d"},
			{"received in March", interact.Filter{From: d("2026-03-01"), To: d("2026-03-31"), Kind: interact.KindQuestion}, "a"},
		} {
			if g := got(tt.f); g != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, g, tt.want)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestConcurrentStepsConflict checks that a step working from a stale
// read of a message is refused instead of overwriting the other.
func TestConcurrentStepsConflict(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		m := valid()
		m.OrgID = w.bureau.ID
		id := w.submit(t, m, "203.0.113.5").Message.ID
		var stale *interact.Message
		if err := w.db.View(ctx, func(tx *store.Tx) error {
			var err error
			stale, err = tx.Message(ctx, id)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		w.clock.Add(time.Second)
		must(w.svc.Accept(ctx, w.act("mzj.office"), id))
		stale.State = interact.StateRejected
		err := w.db.Update(ctx, func(tx *store.Tx) error { return tx.UpdateMessage(ctx, stale) })
		if !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale UpdateMessage = %v, want a conflict", err)
		}
		got, _ := must2(w.svc.View(ctx, w.act("mzj.office"), id))
		if got.State != interact.StateAccepted {
			t.Errorf("state = %s, want accepted", got.State)
		}
	})
}

// TestDeadlinesFollowCalendarCorrections checks that the daily job
// recomputes the due date of an open message when an administrator adds a
// holiday, and notes it in the history.
func TestDeadlinesFollowCalendarCorrections(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		m := valid()
		m.OrgID = w.bureau.ID
		rc := w.submit(t, m, "203.0.113.5")
		if rc.Message.DueOn.String() != "2026-03-09" {
			t.Fatalf("due = %s", rc.Message.DueOn)
		}
		y, ok := workday.Embedded().Year(2026)
		if !ok {
			t.Fatal("no 2026 in the calendar")
		}
		y.Holidays = append(y.Holidays, d("2026-03-04"))
		if err := w.db.Update(ctx, func(tx *store.Tx) error { return tx.SaveCalendarYear(ctx, y, "admin") }); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.CheckDeadlines(ctx); err != nil {
			t.Fatal(err)
		}
		got, evs := must2(w.svc.View(ctx, w.act("mzj.office"), rc.Message.ID))
		if got.DueOn.String() != "2026-03-10" {
			t.Errorf("due after the correction = %s, want 2026-03-10", got.DueOn)
		}
		if !slices.ContainsFunc(evs, func(e interact.Event) bool { return e.Action == "recomputed" && strings.Contains(e.Note, "2026-03-10") }) {
			t.Errorf("no recomputation in the history: %+v", evs)
		}
	})
}
