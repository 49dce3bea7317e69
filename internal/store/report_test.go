package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/apply"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/workday"
)

var cst = time.FixedZone("CST", 8*3600)

// reportFixture inserts rows directly, as the other features store them
// (migrations 0003, 0004, 0006), so a test controls every date.
type reportFixture struct {
	t      *testing.T
	db     *store.DB
	orgID  int64
	colID  int64
	serial int
}

func (f *reportFixture) exec(q string, args ...any) {
	f.t.Helper()
	if err := f.db.ExecForTest(f.t.Context(), q, args...); err != nil {
		f.t.Fatalf("exec %.60s: %v", q, err)
	}
}

// ts stores an instant the way the store does on each backend.
func (f *reportFixture) ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if f.db.Dialect() == store.SQLite {
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	return t.UTC()
}

func newReportFixture(t *testing.T, db *store.DB, code string) *reportFixture {
	t.Helper()
	f := newReportFixtureTB(t, db, code)
	f.t = t
	return f
}

func newReportFixtureTB(t testing.TB, db *store.DB, code string) *reportFixture {
	t.Helper()
	ctx := t.Context()
	o := &org.Org{Code: code, Name: "随州市民政局" + code, Site: org.Site{PathPrefix: "p" + code}}
	col := &org.Column{Kind: org.ColumnList, Slug: "zcwj", Name: "政策文件", Visible: true}
	err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		col.OrgID = o.ID
		return tx.CreateColumn(ctx, col)
	})
	if err != nil {
		t.Fatalf("create org: %v", err)
	}
	return &reportFixture{db: db, orgID: o.ID, colID: col.ID}
}

type docSpec struct {
	genre     string
	state     string    // default published
	published time.Time // zero: never published
	validity  string    // default valid
	validOn   string
}

func (f *reportFixture) item(d docSpec) {
	f.serial++
	idx := fmt.Sprintf("%d/%05d", f.orgID, f.serial)
	state, live := d.state, 1
	if state == "" {
		state = "published"
	}
	if d.published.IsZero() {
		live = 0
	}
	if d.validity == "" {
		d.validity = "valid"
	}
	now := f.ts(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	f.exec(`INSERT INTO items (org_id, state, current_version, live_version, index_no, column_id, title, validity, validity_date, first_published_at, last_published_at, created_at, updated_at)
		VALUES (?, ?, 1, ?, ?, ?, '文件', ?, ?, ?, ?, ?, ?)`,
		f.orgID, state, live, idx, f.colID, d.validity, d.validOn, f.ts(d.published), f.ts(d.published), now, now)
	f.exec(`INSERT INTO item_versions (item_id, number, title, body, column_id, genre, disclosure, created_at, updated_at)
		SELECT id, 1, '文件', '正文', ?, ?, 'proactive', ?, ? FROM items WHERE index_no = ?`, f.colID, d.genre, now, now, idx)
}

type appSpec struct {
	applicant report.Applicant
	received  string
	answered  string
	cat       apply.Category
	reason    apply.Reason
	late      bool
}

var applicantKinds = map[report.Applicant]struct {
	kind apply.ApplicantKind
	typ  apply.OrgType
}{
	report.Person: {apply.ApplicantPerson, ""}, report.Business: {apply.ApplicantOrg, apply.OrgBusiness},
	report.Research: {apply.ApplicantOrg, apply.OrgResearch}, report.Charity: {apply.ApplicantOrg, apply.OrgCharity},
	report.Legal: {apply.ApplicantOrg, apply.OrgLegal}, report.OtherOrg: {apply.ApplicantOrg, apply.OrgOther},
}

func (f *reportFixture) application(a appSpec) string {
	f.serial++
	no := fmt.Sprintf("T%d-%05d", f.orgID, f.serial)
	k := applicantKinds[a.applicant]
	state := "open"
	switch {
	case a.received == "":
		state = "pending"
	case a.answered != "":
		state = "closed"
	}
	now := f.ts(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	f.exec(`INSERT INTO apply_applications (org_id, tracking_no, code_hash, channel, applicant_kind, name, org_type, description, form, way,
		submitted_at, received_on, state, outcome, outcome_reason, answered_on, late, fingerprint, digest, created_at, updated_at)
		VALUES (?, ?, 'h', 'online', ?, '申请人', ?, '所需信息', 'paper', 'post', ?, ?, ?, ?, ?, ?, ?, 'fp', 'dg', ?, ?)`,
		f.orgID, no, k.kind, k.typ, now, a.received, state, a.cat, a.reason, a.answered, a.late, now, now)
	return no
}

func (f *reportFixture) kase(kind, result, filed, decided string) {
	no := f.application(appSpec{applicant: report.Person, received: "2020-01-02", answered: "2020-01-10", cat: apply.CatDisclosed})
	now := f.ts(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	f.exec(`INSERT INTO apply_cases (application_id, org_id, kind, filed_on, result, decided_on, created_at, updated_at)
		SELECT id, ?, ?, ?, ?, ?, ?, ? FROM apply_applications WHERE tracking_no = ?`, f.orgID, kind, filed, result, decided, now, now, no)
}

// TestReportInputFromData builds a year of data with known answers —
// every applicant type with every outcome, carried over in both
// directions, cases of every kind and result, regulatory documents in every
// state — plus rows that must not count, and checks every cell.
func TestReportInputFromData(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newReportFixture(t, db, "42130021")
		other := newReportFixture(t, db, "42130099")
		want := report.Input{Year: 2026}

		// Table 二.
		for _, g := range []struct {
			genre string
			dst   *report.DocCounts
		}{{"规章", &want.Rules}, {"规范性文件", &want.Normative}, {"行政规范性文件", &want.Normative}} {
			in2026 := time.Date(2026, 3, 1, 9, 0, 0, 0, cst)
			in2025 := time.Date(2025, 6, 1, 9, 0, 0, 0, cst)
			f.item(docSpec{genre: g.genre, published: in2026})                                              // issued, valid
			f.item(docSpec{genre: g.genre, published: in2025})                                              // valid
			f.item(docSpec{genre: g.genre, published: in2025, validity: "repealed", validOn: "2026-05-01"}) // repealed
			f.item(docSpec{genre: g.genre, published: in2026, validity: "repealed", validOn: "2027-02-01"}) // issued, valid at year end
			f.item(docSpec{genre: g.genre, published: in2025, validity: "expired", validOn: "2026-07-01"})  // neither
			f.item(docSpec{genre: g.genre, published: time.Date(2026, 12, 31, 23, 30, 0, 0, cst)})          // issued on the last evening, valid
			// Not counted: first published on 1 January in China (still
			// 2026 in UTC), withdrawn, never published, other genre,
			// other org.
			f.item(docSpec{genre: g.genre, published: time.Date(2027, 1, 1, 0, 30, 0, 0, cst)})
			f.item(docSpec{genre: g.genre, published: in2026, state: "withdrawn"})
			f.item(docSpec{genre: g.genre, state: "draft"})
			f.item(docSpec{genre: "通知", published: in2026})
			other.item(docSpec{genre: g.genre, published: in2026})
			g.dst.Issued += 3
			g.dst.Repealed++
			g.dst.Valid += 4
		}

		// Table 三: every applicant type × every outcome row, answered in
		// 2026; the n-th applicant column gets n+1 of each.
		for a := range report.NumApplicants {
			ap := report.Applicant(a)
			for _, c := range apply.Categories() {
				reasons := apply.Reasons(c)
				if len(reasons) == 0 {
					reasons = []apply.ReasonInfo{{}}
				}
				for _, r := range reasons {
					row, _ := report.OutcomeRow(c, r.Reason)
					for range a + 1 {
						f.application(appSpec{applicant: ap, received: "2026-02-03", answered: "2026-02-20", cat: c, reason: r.Reason})
					}
					want.Add(row, ap, int64(a+1))
					want.Add(report.RowNew, ap, int64(a+1))
				}
			}
			// Carried in: received in 2025, answered in 2026 (counts in
			// its outcome row too), and received in 2025, still open.
			f.application(appSpec{applicant: ap, received: "2025-12-25", answered: "2026-01-15", cat: apply.CatPartial})
			want.Add(report.RowCarriedIn, ap, 1)
			want.Add(report.RowPartial, ap, 1)
			f.application(appSpec{applicant: ap, received: "2025-11-02"})
			want.Add(report.RowCarriedIn, ap, 1)
			want.Add(report.RowCarriedOut, ap, 1)
			// Carried out: received in 2026, answered in 2027 or open.
			f.application(appSpec{applicant: ap, received: "2026-12-20", answered: "2027-01-10", cat: apply.CatDisclosed})
			f.application(appSpec{applicant: ap, received: "2026-12-30"})
			want.Add(report.RowNew, ap, 2)
			want.Add(report.RowCarriedOut, ap, 2)
			// Not counted: received and answered in 2025, received in
			// 2027, not received yet, another org.
			f.application(appSpec{applicant: ap, received: "2025-03-01", answered: "2025-03-20", cat: apply.CatDisclosed})
			f.application(appSpec{applicant: ap, received: "2027-01-04"})
			f.application(appSpec{applicant: ap})
			other.application(appSpec{applicant: ap, received: "2026-02-03", answered: "2026-02-20", cat: apply.CatDisclosed})
		}

		// Table 四: each kind and result, n+1 cases for result n of kind k.
		for _, k := range report.CaseKinds() {
			for r, result := range []string{"upheld", "corrected", "other"} {
				for range r + 1 + int(k) {
					f.kase(k.Key(), result, "2026-04-01", "2026-09-01")
				}
				want.Cases[k][r] += int64(r + 1 + int(k))
			}
			f.kase(k.Key(), "pending", "2026-05-01", "")
			f.kase(k.Key(), "upheld", "2026-11-01", "2027-02-01") // decided after the year: pending
			want.Cases[k][report.Pending] += 2
			f.kase(k.Key(), "upheld", "2025-05-01", "2025-09-01") // filed before the year
			other.kase(k.Key(), "upheld", "2026-05-01", "2026-09-01")
		}

		got, err := db.ReportInput(t.Context(), f.orgID, 2026)
		if err != nil {
			t.Fatalf("ReportInput: %v", err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ReportInput (-want +got):\n%s", diff)
		}
		r := report.Build(got, nil)
		if len(r.Mismatches) != 0 {
			t.Errorf("tables built from consistent data have mismatches: %+v", r.Mismatches)
		}
		// Spot checks written out by hand, from the template's point of view.
		for key, n := range map[string]int64{
			report.KeyRulesIssued: 3, report.KeyRulesRepealed: 1, report.KeyRulesValid: 4,
			report.KeyNormativeIssued: 6, report.KeyNormativeRepealed: 2, report.KeyNormativeValid: 8,
			report.RequestKey(report.RowNew, report.Person):                  21 + 2,
			report.RequestKey(report.RowCarriedIn, report.AllTypes):          12,
			report.RequestKey(report.RowHandled, report.Legal):               21*5 + 1,
			report.RequestKey(report.RowCarriedOut, report.AllTypes):         18,
			report.RequestKey(string(apply.OtherFeeUnpaid), report.AllTypes): 21,
			report.RequestKey(report.RowPartial, report.OtherOrg):            6 + 1,
			report.CaseKey(report.LawsuitAfter, report.Corrected):            4,
			report.CaseKey(report.Reconsideration, report.Pending):           2,
			report.CaseKey(report.LawsuitDirect, report.CaseTotal):           2 + 3 + 4 + 2,
		} {
			if r.Values[key].N != n {
				t.Errorf("%s = %d, want %d", report.CellName(key), r.Values[key].N, n)
			}
		}

		empty, err := db.ReportInput(t.Context(), f.orgID, 2030)
		if err != nil {
			t.Fatalf("ReportInput(2030): %v", err)
		}
		if r := report.Build(empty, nil); r.Values[report.RequestKey(report.RowCarriedIn, report.AllTypes)].N != 18 {
			t.Errorf("2030 carried in = %d, want the 18 applications still open", r.Values[report.RequestKey(report.RowCarriedIn, report.AllTypes)].N)
		}
	})
}

func TestReportServiceDraftsFiguresAndWork(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := newReportFixture(t, db, "42130021")
		other := newReportFixture(t, db, "42130099")
		svc := report.NewService(db)
		office := account.Actor{UserID: 7, Name: "bangongshi", Grants: []account.Grant{{OrgID: f.orgID, Role: account.RolePublisher}}}
		officer := account.Actor{UserID: 8, Name: "xinxiyuan", Grants: []account.Grant{{OrgID: f.orgID, Role: account.RoleOfficer}}}
		stranger := account.Actor{UserID: 9, Name: "other", Grants: []account.Grant{{OrgID: other.orgID, Role: account.RolePublisher}}}

		for _, a := range []account.Actor{officer, stranger} {
			if err := svc.SaveNarrative(ctx, a, f.orgID, 2026, report.Narrative{Overview: "x"}); !errors.Is(err, apperr.ErrForbidden) {
				t.Errorf("SaveNarrative by %s: %v, want forbidden", a.Name, err)
			}
		}
		n := report.Narrative{Overview: "总体情况正文", Problems: "问题", Other: "收费0元"}
		if err := svc.SaveNarrative(ctx, office, f.orgID, 2026, n); err != nil {
			t.Fatalf("SaveNarrative: %v", err)
		}
		invalid := []struct {
			name, cell string
			m          report.Manual
			field      string
		}{
			{"unknown cell", "3.nope.person", report.Manual{Value: "1", Source: "x"}, "cell"},
			{"fees not a number", report.KeyFees, report.Manual{Value: "十二", Source: "财务"}, "value"},
			{"no source", report.KeyLicensing, report.Manual{Value: "12"}, "source"},
			{"negative count", report.KeyPenalty, report.Manual{Value: "-1", Source: "x"}, "value"},
		}
		for _, tt := range invalid {
			err := svc.SetFigure(ctx, office, f.orgID, 2026, tt.cell, tt.m)
			var inv *apperr.Invalid
			if !errors.As(err, &inv) || inv.Fields[tt.field] == "" {
				t.Errorf("SetFigure %s: %v, want invalid %s", tt.name, err, tt.field)
			}
		}
		figures := map[string]report.Manual{
			report.KeyLicensing: {Value: "120", Source: "省政务服务网"},
			report.KeyFees:      {Value: "3.25", Source: "财务科"},
			report.RequestKey(report.RowNew, report.Person): {Value: "5", Source: "纸质登记簿补录"},
		}
		for cell, m := range figures {
			if err := svc.SetFigure(ctx, office, f.orgID, 2026, cell, m); err != nil {
				t.Fatalf("SetFigure(%s): %v", cell, err)
			}
		}
		if err := svc.SetFigure(ctx, office, f.orgID, 2026, report.KeyPenalty, report.Manual{Value: "1", Source: "x"}); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetFigure(ctx, office, f.orgID, 2026, report.KeyPenalty, report.Manual{}); err != nil {
			t.Fatalf("clear figure: %v", err)
		}
		r, d, err := db.AnnualReport(ctx, f.orgID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(figures, d.Manual); diff != "" {
			t.Errorf("stored figures (-want +got):\n%s", diff)
		}
		if d.Narrative != n || d.UpdatedBy != "bangongshi" {
			t.Errorf("draft = %+v", d)
		}
		if v := r.Values[report.KeyFees]; v.Text != "3.25" || !v.Manual || v.Source != "财务科" {
			t.Errorf("fees = %+v", v)
		}
		if len(r.Mismatches) != 2 { // the person column and the 总计 column no longer balance
			t.Errorf("mismatches after override = %+v, want 2", r.Mismatches)
		}

		if err := svc.SetStatus(ctx, office, f.orgID, 2026, report.StatusFinal); err != nil {
			t.Fatal(err)
		}
		var inv *apperr.Invalid
		if err := svc.SaveNarrative(ctx, office, f.orgID, 2026, n); !errors.As(err, &inv) {
			t.Errorf("SaveNarrative on a final report: %v, want invalid", err)
		}

		works := []*report.Work{
			{OrgID: f.orgID, Year: 2026, Kind: report.WorkTeam, Title: "张三", Detail: "信息发布审核"},
			{OrgID: f.orgID, Year: 2026, Kind: report.WorkTraining, Title: "条例培训", Day: "2026-03-02", Attendees: 30},
			{OrgID: f.orgID, Year: 2026, Kind: report.WorkFunding, Title: "网站运维", Amount: "5.5"},
		}
		for _, w := range works {
			if err := svc.AddWork(ctx, office, w); err != nil {
				t.Fatalf("AddWork(%s): %v", w.Kind, err)
			}
		}
		bad := &report.Work{OrgID: f.orgID, Year: 2026, Kind: report.WorkTraining, Title: "x", Day: "2025-03-02"}
		if err := svc.AddWork(ctx, office, bad); !errors.As(err, &inv) || inv.Fields["day"] == "" {
			t.Errorf("AddWork with a day outside the year: %v", err)
		}
		if err := svc.DeleteWork(ctx, stranger, f.orgID, 2026, works[0].ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("DeleteWork by another bureau: %v", err)
		}
		if err := svc.DeleteWork(ctx, office, other.orgID, 2026, works[0].ID); err == nil {
			t.Errorf("DeleteWork through another org's id succeeded")
		}
		for _, st := range []string{"accepted", "declined"} {
			f.exec(`INSERT INTO pushes (from_org_id, to_org_id, state, pushed_at) VALUES (?, ?, ?, ?)`,
				f.orgID, other.orgID, st, f.ts(time.Date(2026, 5, 1, 9, 0, 0, 0, cst)))
		}
		f.exec(`INSERT INTO pushes (from_org_id, to_org_id, state, pushed_at) VALUES (?, ?, 'accepted', ?)`,
			f.orgID, other.orgID, f.ts(time.Date(2025, 5, 1, 9, 0, 0, 0, cst)))
		facts, err := db.ReportFacts(ctx, f.orgID, 2026)
		if err != nil {
			t.Fatal(err)
		}
		if !facts.HasPortal || facts.Pushed != 2 || facts.PushAccepted != 1 {
			t.Errorf("facts pushes = %d, accepted %d, want 2 and 1", facts.Pushed, facts.PushAccepted)
		}
		if len(facts.Team) != 1 || len(facts.Trainings) != 1 || len(facts.Funding) != 1 || facts.OrgName == "" {
			t.Errorf("facts = %+v", facts)
		}
		if err := svc.DeleteWork(ctx, office, f.orgID, 2026, works[0].ID); err != nil {
			t.Errorf("DeleteWork: %v", err)
		}
		list, err := db.ReportWork(ctx, f.orgID, 2026)
		if err != nil || len(list) != 2 {
			t.Errorf("ReportWork = %v, %v; want 2 records", list, err)
		}
	})
}

func TestReportStats(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newReportFixture(t, db, "42130021")
		unit := newReportFixture(t, db, "42130021-01")
		f.item(docSpec{genre: "通知", published: time.Date(2026, 1, 31, 23, 0, 0, 0, cst)}) // January in China
		f.item(docSpec{genre: "通知", published: time.Date(2026, 3, 1, 0, 30, 0, 0, cst)})  // March in China, February in UTC
		f.item(docSpec{genre: "通知", published: time.Date(2026, 3, 9, 9, 0, 0, 0, cst)})
		f.item(docSpec{genre: "通知", published: time.Date(2026, 3, 9, 9, 0, 0, 0, cst), state: "withdrawn"})
		f.item(docSpec{genre: "通知", published: time.Date(2025, 3, 9, 9, 0, 0, 0, cst)})
		unit.item(docSpec{genre: "通知", published: time.Date(2026, 12, 9, 9, 0, 0, 0, cst)})
		f.application(appSpec{applicant: report.Person, received: "2026-02-02", answered: "2026-02-16", cat: apply.CatDisclosed})
		f.application(appSpec{applicant: report.Legal, received: "2026-03-02", answered: "2026-04-20", cat: apply.CatRefused, reason: apply.RefusedProcess, late: true})
		f.application(appSpec{applicant: report.Person, received: "2025-12-30", answered: "2026-01-05", cat: apply.CatUnavailable, reason: apply.UnavailableNotHeld})
		no := f.application(appSpec{applicant: report.Person, received: "2026-05-06"}) // open, overdue below
		f.exec(`UPDATE apply_applications SET due_on = '2026-06-03' WHERE tracking_no = ?`, no)
		f.application(appSpec{applicant: report.Person, received: "2026-06-01"}) // open, no deadline yet
		unit.application(appSpec{applicant: report.Person, received: "2026-06-01", answered: "2026-06-10", cat: apply.CatDisclosed})

		s, err := db.ReportStats(t.Context(), []int64{f.orgID}, 2026, "2026-06-20")
		if err != nil {
			t.Fatal(err)
		}
		want := report.Stats{Year: 2026, ItemsByMonth: [12]int64{1, 0, 2}, ItemsByColumn: []report.ColumnCount{{Name: "政策文件", Count: 3}},
			Outcomes: [6]int64{1, 0, 1, 1, 0, 0}, Received: 4, Answered: 3, Late: 1, Open: 2, Overdue: 1,
			Handled: []report.Handled{{Received: "2026-02-02", Answered: "2026-02-16"}, {Received: "2026-03-02", Answered: "2026-04-20"},
				{Received: "2025-12-30", Answered: "2026-01-05"}}}
		if diff := cmp.Diff(want, s, cmpopts.SortSlices(func(a, b report.Handled) bool { return a.Received < b.Received })); diff != "" {
			t.Errorf("ReportStats (-want +got):\n%s", diff)
		}
		group, err := db.ReportStats(t.Context(), []int64{f.orgID, unit.orgID}, 2026, "2026-06-20")
		if err != nil {
			t.Fatal(err)
		}
		if group.ItemsByMonth[11] != 1 || group.Received != 5 || group.Outcomes[0] != 2 {
			t.Errorf("site group stats = %+v", group)
		}
		// 2026-02-02 → 2026-02-16: 14 calendar days, 10 working days (the
		// Saturday 14 February is a make-up working day, 15–16 February
		// are Spring Festival holidays; REGULATIONS.md §8).
		if d := (report.Stats{Handled: want.Handled[:1]}).AvgHandlingDays(workday.Embedded()); d != 10 {
			t.Errorf("AvgHandlingDays over the Spring Festival = %.1f", d)
		}
	})
}
