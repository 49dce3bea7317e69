package apply_test

import (
	"testing"
	"time"

	"gongkai/internal/apply"
)

func reportApp(kind apply.ApplicantKind, t apply.OrgType, received, answered string, c apply.Category, r apply.Reason) apply.Application {
	a := apply.Application{Applicant: apply.Applicant{Kind: kind, OrgType: t}, ReceivedOn: day(received)}
	if answered != "" {
		a.Outcome = apply.Outcome{Category: c, Reason: r, AnsweredOn: day(answered)}
	}
	return a
}

// TestTally3 counts table 三 for 2025 and checks the template's own
// balance: 一 + 二 = 三（七） + 四 in every column.
func TestTally3(t *testing.T) {
	P, O := apply.ApplicantPerson, apply.ApplicantOrg
	apps := []apply.Application{
		reportApp(P, "", "2024-12-20", "2025-01-10", apply.CatDisclosed, ""),                                // carried in, answered
		reportApp(P, "", "2024-11-01", "2024-11-20", apply.CatDisclosed, ""),                                // last year's business
		reportApp(O, apply.OrgLegal, "2025-03-02", "2025-03-20", apply.CatRefused, apply.RefusedThirdParty), // new, refused
		reportApp(O, apply.OrgBusiness, "2025-05-06", "2025-05-20", apply.CatPartial, ""),                   // new, partly
		reportApp(P, "", "2025-12-20", "2026-01-15", apply.CatDisclosed, ""),                                // new, carried out
		reportApp(O, apply.OrgResearch, "2025-06-01", "", "", ""),                                           // new, still open
		reportApp(P, "", "2026-01-05", "2026-01-06", apply.CatDisclosed, ""),                                // next year
		{Applicant: apply.Applicant{Kind: P}, SubmittedAt: time.Date(2025, 7, 1, 2, 0, 0, 0, time.UTC)},     // online, never confirmed
		reportApp(P, "", "2025-08-01", "2025-08-20", apply.CatOther, apply.OtherNotCorrected),
	}
	tb := apply.Tally3(apps, 2025)
	want := func(name string, got, want apply.Counts) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	want("一 new", tb.New, apply.Counts{3, 1, 1, 0, 1, 0, 6})
	want("二 carried in", tb.CarriedIn, apply.Counts{1, 0, 0, 0, 0, 0, 1})
	want("三（七） total", tb.Total, apply.Counts{2, 1, 0, 0, 1, 0, 4})
	want("四 carried out", tb.CarriedOut, apply.Counts{2, 0, 1, 0, 0, 0, 3})
	for col := range 7 {
		if tb.New[col]+tb.CarriedIn[col] != tb.Total[col]+tb.CarriedOut[col] {
			t.Errorf("column %s does not balance", apply.ReportColumns()[col])
		}
	}
	rows := map[string]apply.Counts{}
	sum := apply.Counts{}
	for _, r := range tb.Rows {
		rows[string(r.Category)+"/"+string(r.Reason)] = r.Counts
		for i := range sum {
			sum[i] += r.Counts[i]
		}
	}
	if len(tb.Rows) != 2+8+3+5+3 {
		t.Errorf("rows = %d, want 21", len(tb.Rows))
	}
	want("（一）予以公开", rows["disclosed/"], apply.Counts{1, 0, 0, 0, 0, 0, 1})
	want("（二）部分公开", rows["partial/"], apply.Counts{0, 1, 0, 0, 0, 0, 1})
	want("（三）4", rows["refused/third_party"], apply.Counts{0, 0, 0, 0, 1, 0, 1})
	want("（六）1", rows["other/not_corrected"], apply.Counts{1, 0, 0, 0, 0, 0, 1})
	want("sum of rows", sum, tb.Total)
}

func TestTally4(t *testing.T) {
	cases := []apply.Case{
		{Kind: apply.CaseReconsideration, FiledOn: day("2025-02-01"), Result: apply.ResultUpheld, DecidedOn: day("2025-04-01")},
		{Kind: apply.CaseReconsideration, FiledOn: day("2025-11-01"), Result: apply.ResultCorrect, DecidedOn: day("2026-01-10")}, // pending at year end
		{Kind: apply.CaseLawsuitDirect, FiledOn: day("2025-03-01"), Result: apply.ResultOther, DecidedOn: day("2025-09-01")},
		{Kind: apply.CaseLawsuitAfter, FiledOn: day("2025-05-01"), Result: apply.ResultPending},
		{Kind: apply.CaseLawsuitAfter, FiledOn: day("2024-05-01"), Result: apply.ResultUpheld, DecidedOn: day("2025-01-01")}, // filed last year
	}
	tb := apply.Tally4(cases, 2025)
	if tb.Reconsideration != (apply.CaseCounts{1, 0, 0, 1, 2}) || tb.LawsuitDirect != (apply.CaseCounts{0, 0, 1, 0, 1}) || tb.LawsuitAfter != (apply.CaseCounts{0, 0, 0, 1, 1}) {
		t.Errorf("Tally4 = %+v", tb)
	}
}
