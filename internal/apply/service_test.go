package apply_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/apply"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/workday"
)

// world is a database with two bureaus and staff in the first.
type world struct {
	db       *store.DB
	clock    *storetest.Clock
	svc      *apply.Service
	verifier note.Verifier
	city     *org.Org
	bureau   *org.Org
	other    *org.Org
	handler  account.Actor
	leader   account.Actor
	officer  account.Actor
	rival    account.Actor // handler of the other bureau
	cityAdm  account.Actor
	bureauAd account.Actor
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
	skey, vkey, err := note.GenerateKey(nil, "receipts")
	if err != nil {
		t.Fatal(err)
	}
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	w := &world{db: db, clock: ck, verifier: verifier}
	w.svc = apply.NewService(db, apply.Config{Now: ck.Now, Origin: "test/apply",
		Signer: func(context.Context) (note.Signer, error) { return signer, nil }})
	users := map[string]*account.User{}
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
		}{{"yishenqing", w.bureau, account.RoleHandler}, {"lingdao", w.bureau, account.RoleLeader}, {"xinxiyuan", w.bureau, account.RoleOfficer},
			{"jyj.yishenqing", w.other, account.RoleHandler}, {"admin", w.city, account.RoleAdmin}, {"mzj.admin", w.bureau, account.RoleAdmin}} {
			u := &account.User{Username: s.name, DisplayName: s.name, OrgID: s.o.ID, PasswordHash: "x", Grants: []account.Grant{{OrgID: s.o.ID, Role: s.role}}}
			if err := tx.CreateUser(ctx, u); err != nil {
				return err
			}
			users[s.name] = u
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create orgs and users: %v", err)
	}
	act := func(n string) account.Actor { return account.ActorFor(users[n], "127.0.0.1") }
	w.handler, w.leader, w.officer, w.rival = act("yishenqing"), act("lingdao"), act("xinxiyuan"), act("jyj.yishenqing")
	w.cityAdm, w.bureauAd = act("admin"), act("mzj.admin")
	return w
}

func (w *world) onlineApp() *apply.Application {
	a := person()
	a.OrgID = w.bureau.ID
	return &a
}

func (w *world) due(t *testing.T, id int64) string {
	t.Helper()
	a, err := w.db.Application(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if a.DueOn.IsZero() {
		return ""
	}
	return a.DueOn.String()
}

// at sets the clock to 09:00 China time on day s.
func (w *world) at(s string) {
	d := day(s)
	w.clock.T = time.Date(d.Year(), d.Month(), d.Day(), 1, 0, 0, 0, time.UTC)
}

// TestOnlineApplicationLifecycle walks an online application through
// confirmation, correction, consultation, extension, a 部分公开 answer and
// delivery, checking the stored due date at every step.
func TestOnlineApplicationLifecycle(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		w.at("2026-03-01") // a Sunday: submitted, not yet received
		rc, err := w.svc.Submit(ctx, w.onlineApp(), nil)
		if err != nil {
			t.Fatalf("Submit: %v", err)
		}
		if rc.Code == "" || rc.Duplicate || !strings.HasPrefix(rc.TrackingNo, "YSQ20260301-") {
			t.Fatalf("receipt = %+v", rc)
		}
		n, err := note.Open([]byte(rc.Signed), note.VerifierList(w.verifier))
		if err != nil || !strings.Contains(n.Text, rc.Digest) || !strings.Contains(n.Text, rc.TrackingNo) {
			t.Fatalf("receipt does not verify: %v\n%s", err, rc.Signed)
		}
		id := rc.Application.ID
		if got := w.due(t, id); got != "" {
			t.Errorf("due before receipt = %s, want none", got)
		}

		// The same application again moments later is recognised.
		w.clock.Add(2 * time.Minute)
		again, err := w.svc.Submit(ctx, w.onlineApp(), nil)
		if err != nil || !again.Duplicate || again.TrackingNo != rc.TrackingNo || again.Code != "" {
			t.Fatalf("second Submit = %+v, %v; want the same application recognised", again, err)
		}

		steps := []struct {
			name    string
			at      string
			do      func() error
			wantDue string
			state   apply.State
		}{
			{"confirmed: 20 working days from Monday", "2026-03-02", func() error {
				_, err := w.svc.ConfirmReceipt(ctx, w.handler, id, day("2026-03-02"))
				return err
			}, "2026-03-30", apply.StateOpen},
			{"correction notice stops the clock", "2026-03-05", func() error {
				_, err := w.svc.RequestCorrection(ctx, w.handler, id, day("2026-03-05"), day("2026-03-20"), "请说明所需信息的年份")
				return err
			}, "", apply.StateCorrection},
			{"corrected application restarts it", "2026-03-16", func() error {
				_, err := w.svc.RecordCorrected(ctx, w.handler, id, day("2026-03-16"), "申请人补正为2025年")
				return err
			}, "2026-04-14", apply.StateOpen},
			{"third-party consultation", "2026-03-18", func() error {
				_, err := w.svc.StartConsultation(ctx, w.handler, id, day("2026-03-18"), apply.PartyThird, "征求某公司意见")
				return err
			}, "2026-04-14", apply.StateConsulting},
			{"opinion after 5 working days", "2026-03-25", func() error {
				_, err := w.svc.EndConsultation(ctx, w.handler, id, day("2026-03-25"), "第三方不同意公开其商业信息")
				return err
			}, "2026-04-21", apply.StateOpen},
			{"extension of 10 by the leader", "2026-04-15", func() error {
				_, err := w.svc.Extend(ctx, w.leader, id, day("2026-04-15"), 10, day("2026-04-15"), "需逐页区分处理")
				return err
			}, "2026-05-08", apply.StateOpen},
		}
		for _, s := range steps {
			w.at(s.at)
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if got := w.due(t, id); got != s.wantDue {
				t.Errorf("%s: due = %q, want %q", s.name, got, s.wantDue)
			}
			a, _ := w.db.Application(ctx, id)
			if a.State != s.state {
				t.Errorf("%s: state = %s, want %s", s.name, a.State, s.state)
			}
		}

		w.at("2026-05-06")
		a, notice, err := w.svc.RecordOutcome(ctx, w.handler, id, apply.Outcome{Category: apply.CatPartial, Note: "涉及第三方商业秘密的部分不予公开", AnsweredOn: day("2026-05-06")}, "", w.bureau.Name)
		if err != nil {
			t.Fatalf("RecordOutcome: %v", err)
		}
		if a.State != apply.StateAnswered || a.Late {
			t.Errorf("after answer: state %s late %v", a.State, a.Late)
		}
		for _, want := range []string{"张三", rc.TrackingNo, "2026-03-02", "第三十七条", "涉及第三方商业秘密", "六十日", "六个月", "随州市民政局"} {
			if !strings.Contains(notice.Body, want) {
				t.Errorf("reply notice lacks %q:\n%s", want, notice.Body)
			}
		}
		w.at("2026-05-07")
		a, err = w.svc.RecordDelivery(ctx, w.handler, id, apply.Delivery{Way: apply.WayEmail, On: day("2026-05-07")})
		if err != nil || a.State != apply.StateClosed {
			t.Fatalf("RecordDelivery = %v, %v", a, err)
		}

		got, clk, err := w.svc.Track(ctx, rc.TrackingNo, strings.ToLower(rc.Code))
		if err != nil || got.ID != id || clk.Answered.String() != "2026-05-06" {
			t.Fatalf("Track = %v, %v", got, err)
		}
		if _, _, err := w.svc.Track(ctx, rc.TrackingNo, "WRONGCODE1"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("Track with a wrong code = %v, want not found", err)
		}
		if _, _, err := w.svc.Track(ctx, "YSQ20990101-000000", rc.Code); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("Track of an unknown number = %v, want not found", err)
		}
		recs, err := w.db.AuditRecords(ctx, audit.Filter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[audit.Action]bool{}
		for _, r := range recs {
			seen[r.Action] = true
			if strings.Contains(r.Detail, "张三") || strings.Contains(r.Detail, "11010519491231002X") {
				t.Errorf("audit detail holds personal data: %s", r.Detail)
			}
		}
		for _, act := range []audit.Action{audit.ActApplySubmit, audit.ActApplyReceive, audit.ActApplyCorrection, audit.ActApplyCorrected,
			audit.ActApplyConsult, audit.ActApplyConsultEnd, audit.ActApplyExtend, audit.ActApplyAnswer, audit.ActApplyDeliver} {
			if !seen[act] {
				t.Errorf("no audit record %s", act)
			}
		}
	})
}

func TestPermissions(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: func() apply.Application {
			x := *w.onlineApp()
			x.Channel = apply.ChannelLetter
			return x
		}(), ReceivedOn: day("2026-03-02")})
		if err != nil {
			t.Fatalf("Register: %v", err)
		}
		if a.DueOn.String() != "2026-03-30" || a.State != apply.StateOpen {
			t.Errorf("registered: due %s state %s", a.DueOn, a.State)
		}
		outcome := apply.Outcome{Category: apply.CatDisclosed, AnsweredOn: day("2026-03-02")}
		tests := []struct {
			name string
			do   func() error
			want error
		}{
			{"another bureau's handler cannot see it", func() error {
				_, err := w.svc.ConfirmReceipt(ctx, w.rival, a.ID, day("2026-03-02"))
				return err
			}, apperr.ErrNotFound},
			{"an officer cannot register", func() error {
				x := *w.onlineApp()
				x.Channel = apply.ChannelFax
				_, _, err := w.svc.Register(ctx, w.officer, apply.Registration{Application: x, ReceivedOn: day("2026-03-02")})
				return err
			}, apperr.ErrForbidden},
			{"an officer cannot record outcomes", func() error {
				_, _, err := w.svc.RecordOutcome(ctx, w.officer, a.ID, outcome, "", "")
				return err
			}, apperr.ErrNotFound},
			{"the leader cannot record outcomes", func() error {
				_, _, err := w.svc.RecordOutcome(ctx, w.leader, a.ID, outcome, "", "")
				return err
			}, apperr.ErrForbidden},
			{"a handler cannot approve an extension", func() error {
				_, err := w.svc.Extend(ctx, w.handler, a.ID, day("2026-03-02"), 5, day("2026-03-02"), "理由")
				return err
			}, apperr.ErrForbidden},
			{"a handler cannot defer the deadline", func() error {
				_, err := w.svc.Defer(ctx, w.handler, a.ID, day("2026-03-02"), day("2026-06-30"), "理由")
				return err
			}, apperr.ErrForbidden},
			{"a bureau admin cannot change the calendar", func() error {
				_, err := w.svc.SetCalendarYear(ctx, w.bureauAd, workday.Year{Year: 2028, Notices: []workday.Notice{{Title: "通知"}}, Holidays: days("2028-01-01")})
				return err
			}, apperr.ErrForbidden},
		}
		for _, tt := range tests {
			if err := tt.do(); !errors.Is(err, tt.want) {
				t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
			}
		}
	})
}

func TestInvalidSteps(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		x := *w.onlineApp()
		x.Channel = apply.ChannelInPerson
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: x, ReceivedOn: day("2026-03-02")})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			do    func() error
			field string
		}{
			{"extension beyond 20 working days", func() error {
				_, err := w.svc.Extend(ctx, w.leader, a.ID, day("2026-03-02"), 21, day("2026-03-02"), "理由")
				return err
			}, "days"},
			{"extension without telling the applicant", func() error {
				_, err := w.svc.Extend(ctx, w.leader, a.ID, day("2026-03-02"), 5, workday.Date{}, "理由")
				return err
			}, "notified_on"},
			{"refusal without reason", func() error {
				_, _, err := w.svc.RecordOutcome(ctx, w.handler, a.ID, apply.Outcome{Category: apply.CatRefused, Reason: apply.RefusedStateSecret, AnsweredOn: day("2026-03-02")}, "", "")
				return err
			}, "note"},
			{"refusal with another category's reason", func() error {
				_, _, err := w.svc.RecordOutcome(ctx, w.handler, a.ID, apply.Outcome{Category: apply.CatRefused, Reason: apply.NotProcRepeated, Note: "x", AnsweredOn: day("2026-03-02")}, "", "")
				return err
			}, "reason"},
			{"not corrected in time before the period ends", func() error {
				_, _, err := w.svc.RecordOutcome(ctx, w.handler, a.ID, apply.Outcome{Category: apply.CatOther, Reason: apply.OtherNotCorrected, AnsweredOn: day("2026-03-02")}, "", "")
				return err
			}, "reason"},
			{"delivery before an answer", func() error {
				_, err := w.svc.RecordDelivery(ctx, w.handler, a.ID, apply.Delivery{Way: apply.WayPost, On: day("2026-03-02")})
				return err
			}, "on"},
			{"correction without what to correct", func() error {
				_, err := w.svc.RequestCorrection(ctx, w.handler, a.ID, day("2026-03-02"), day("2026-03-10"), "")
				return err
			}, "note"},
			{"no correction notice during a consultation", func() error {
				if _, err := w.svc.StartConsultation(ctx, w.handler, a.ID, day("2026-03-02"), apply.PartyAgency, "征求某局意见"); err != nil {
					return err
				}
				_, err := w.svc.RequestCorrection(ctx, w.handler, a.ID, day("2026-03-02"), day("2026-03-10"), "请说明")
				return err
			}, "on"},
			{"deferral not later than the due date", func() error {
				_, err := w.svc.Defer(ctx, w.leader, a.ID, day("2026-03-02"), day("2026-03-03"), "申请量大")
				return err
			}, "until"},
			{"online channel cannot be registered by staff", func() error {
				y := *w.onlineApp()
				_, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: y, ReceivedOn: day("2026-03-02")})
				return err
			}, "channel"},
		}
		for _, tt := range tests {
			err := tt.do()
			inv, ok := apperr.AsInvalid(err)
			if !ok || inv.Fields[tt.field] == "" {
				t.Errorf("%s: error = %v, want a message on %s", tt.name, err, tt.field)
			}
		}
	})
}

// TestNotCorrectedEndsAsOther: an application whose correction period
// passed ends as 其他处理 1 (条例 art. 30).
func TestNotCorrectedEndsAsOther(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		x := *w.onlineApp()
		x.Channel = apply.ChannelInPerson
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: x, ReceivedOn: day("2026-03-02")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RequestCorrection(ctx, w.handler, a.ID, day("2026-03-02"), day("2026-03-09"), "请明确所需信息"); err != nil {
			t.Fatal(err)
		}
		w.at("2026-03-10")
		a, _, err = w.svc.RecordOutcome(ctx, w.handler, a.ID, apply.Outcome{Category: apply.CatOther, Reason: apply.OtherNotCorrected, AnsweredOn: day("2026-03-10")}, "", w.bureau.Name)
		if err != nil {
			t.Fatalf("RecordOutcome: %v", err)
		}
		if a.State != apply.StateAnswered || a.Outcome.Reason != apply.OtherNotCorrected {
			t.Errorf("outcome = %+v state %s", a.Outcome, a.State)
		}
	})
}

// TestCalendarChangeRecomputesOpenApplications: a provisional due date in
// a year without a schedule becomes final when an administrator adds the
// year, and the change is noted on the application.
func TestCalendarChangeRecomputesOpenApplications(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		w.at("2027-12-20")
		x := *w.onlineApp()
		x.Channel = apply.ChannelInPerson
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: x, ReceivedOn: day("2027-12-20")})
		if err != nil {
			t.Fatal(err)
		}
		if !a.DueProvisional || a.DueOn.String() != "2028-01-17" {
			t.Fatalf("before: due %s provisional %v", a.DueOn, a.DueProvisional)
		}
		y := workday.Year{Year: 2028, Notices: []workday.Notice{{Title: "国务院办公厅关于2028年部分节假日安排的通知"}}, Holidays: days("2028-01-01", "2028-01-02", "2028-01-03")}
		n, err := w.svc.SetCalendarYear(ctx, w.cityAdm, y)
		if err != nil || n != 1 {
			t.Fatalf("SetCalendarYear = %d, %v", n, err)
		}
		got, _ := w.db.Application(ctx, a.ID)
		if got.DueProvisional || got.DueOn.String() != "2028-01-18" {
			t.Errorf("after: due %s provisional %v, want 2028-01-18 final", got.DueOn, got.DueProvisional)
		}
		last := got.Events[len(got.Events)-1]
		if last.Kind != apply.EvCalendarChanged || !strings.Contains(last.Note, "2028-01-18") {
			t.Errorf("last event = %+v, want the calendar change noted", last)
		}
		years, _ := w.db.CalendarYears(ctx)
		if len(years) != 1 || years[0].Year != 2028 {
			t.Errorf("stored years = %+v", years)
		}
	})
}

func TestCheckDeadlines(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		x := *w.onlineApp()
		x.Channel = apply.ChannelInPerson
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: x, ReceivedOn: day("2026-03-02")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Assign(ctx, w.handler, a.ID, w.handler.UserID); err != nil {
			t.Fatalf("Assign: %v", err)
		}
		if _, err := w.svc.Assign(ctx, w.handler, a.ID, w.officer.UserID); err == nil {
			t.Error("an officer was assigned as handler")
		}
		for _, tt := range []struct {
			at   string
			want int
			kind string
		}{{"2026-03-20", 0, ""}, {"2026-03-26", 1, "due_soon"}, {"2026-03-26", 0, ""}, {"2026-03-31", 1, "overdue"}} {
			w.at(tt.at)
			ws, err := w.svc.CheckDeadlines(ctx, true)
			if err != nil {
				t.Fatal(err)
			}
			if len(ws) != tt.want || (tt.want > 0 && ws[0].Kind != tt.kind) {
				t.Errorf("CheckDeadlines on %s = %+v, want %d %s", tt.at, ws, tt.want, tt.kind)
			}
		}
		ns, err := w.db.ApplyNotifications(ctx, []int64{w.bureau.ID}, w.handler.UserID, 10)
		if err != nil || len(ns) != 4 {
			t.Errorf("notifications = %d, %v; want 4 (office and handler, two days)", len(ns), err)
		}
		other, _ := w.db.ApplyNotifications(ctx, []int64{w.other.ID}, w.rival.UserID, 10)
		if len(other) != 0 {
			t.Errorf("the other bureau sees %d notifications", len(other))
		}
	})
}

func TestCases(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		x := *w.onlineApp()
		x.Channel = apply.ChannelInPerson
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: x, ReceivedOn: day("2026-03-02")})
		if err != nil {
			t.Fatal(err)
		}
		c := &apply.Case{ApplicationID: a.ID, Kind: apply.CaseReconsideration, Body: "随州市人民政府", FiledOn: day("2026-03-02"), Result: apply.ResultPending}
		if err := w.svc.SaveCase(ctx, w.handler, c); err != nil {
			t.Fatalf("SaveCase: %v", err)
		}
		c.Result, c.DecidedOn = apply.ResultUpheld, day("2026-03-02")
		if err := w.svc.SaveCase(ctx, w.leader, c); err != nil {
			t.Fatalf("update case: %v", err)
		}
		bad := &apply.Case{ApplicationID: a.ID, Kind: apply.CaseLawsuitAfter, FiledOn: day("2026-03-02"), Result: apply.ResultCorrect}
		if err := w.svc.SaveCase(ctx, w.handler, bad); err == nil {
			t.Error("a decided case without a decision date was accepted")
		}
		if err := w.svc.SaveCase(ctx, w.rival, &apply.Case{ApplicationID: a.ID, Kind: apply.CaseLawsuitDirect, FiledOn: day("2026-03-02"), Result: apply.ResultPending}); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("another bureau's handler: %v", err)
		}
		_, _, _, cs, err := w.db.ApplicationRecords(ctx, a.ID)
		if err != nil || len(cs) != 1 || cs[0].Result != apply.ResultUpheld || cs[0].DecidedOn.String() != "2026-03-02" {
			t.Errorf("cases = %+v, %v", cs, err)
		}
		all, err := w.db.ApplyCasesOf(ctx, []int64{w.bureau.ID})
		if err != nil || len(all) != 1 {
			t.Fatalf("ApplyCasesOf = %v, %v", all, err)
		}
		if tb := apply.Tally4(all, 2026); tb.Reconsideration != (apply.CaseCounts{1, 0, 0, 0, 1}) {
			t.Errorf("Tally4 = %+v", tb)
		}
		if other, _ := w.db.ApplyCasesOf(ctx, []int64{w.other.ID}); len(other) != 0 {
			t.Errorf("the other bureau has %d cases", len(other))
		}
	})
}

// TestDefer: the leader sets a later deadline under 条例 art. 35, and the
// due date follows it.
func TestDefer(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		ctx := t.Context()
		x := *w.onlineApp()
		x.Channel = apply.ChannelInPerson
		a, _, err := w.svc.Register(ctx, w.handler, apply.Registration{Application: x, ReceivedOn: day("2026-03-02")})
		if err != nil {
			t.Fatal(err)
		}
		a, err = w.svc.Defer(ctx, w.leader, a.ID, day("2026-03-02"), day("2026-05-29"), "同一申请人本月提交申请四十余件")
		if err != nil {
			t.Fatalf("Defer: %v", err)
		}
		if a.DueOn.String() != "2026-05-29" {
			t.Errorf("due = %s, want 2026-05-29", a.DueOn)
		}
	})
}
