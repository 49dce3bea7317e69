package syndicate_test

import (
	"testing"
	"time"

	"gongkai/internal/syndicate"
	"gongkai/internal/workday"
)

func day(m time.Month, d int) workday.Date { return workday.NewDate(2026, m, d) }

func TestDue(t *testing.T) {
	tests := []struct {
		name     string
		kind     syndicate.Kind
		depth    int
		approved workday.Date
		want     workday.Date
	}{
		{"budget: 20 calendar days after approval (预算法 art. 14)", syndicate.KindBudget, 1, day(time.March, 2), day(time.March, 22)},
		{"unit final accounts across a month end (实施条例 art. 6)", syndicate.KindFinal, 2, day(time.January, 20), day(time.February, 9)},
		{"budget not approved yet has no deadline", syndicate.KindBudget, 2, workday.Date{}, workday.Date{}},
		{"department annual report by 31 January (条例 art. 49)", syndicate.KindAnnualReport, 1, workday.Date{}, workday.NewDate(2027, time.January, 31)},
		{"government annual report by 31 March", syndicate.KindAnnualReport, 0, workday.Date{}, workday.NewDate(2027, time.March, 31)},
	}
	for _, tt := range tests {
		if got := syndicate.Due(tt.kind, tt.depth, 2026, tt.approved); got != tt.want {
			t.Errorf("%s: Due = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	today := day(time.March, 25)
	tests := []struct {
		name     string
		rec      syndicate.Record
		want     syndicate.Status
		daysLeft int
	}{
		{"awaiting approval date", syndicate.Record{}, syndicate.StatusAwaiting, 0},
		{"due in 5 days", syndicate.Record{ApprovedOn: day(time.March, 10)}, syndicate.StatusDue, 5},
		{"due today", syndicate.Record{ApprovedOn: day(time.March, 5)}, syndicate.StatusDue, 0},
		{"overdue by 3 days", syndicate.Record{ApprovedOn: day(time.March, 2)}, syndicate.StatusOverdue, -3},
		{"published on time", syndicate.Record{ApprovedOn: day(time.March, 2), ItemID: 7, PublishedOn: day(time.March, 20)}, syndicate.StatusPublished, 0},
		{"published on the last day", syndicate.Record{ApprovedOn: day(time.March, 2), ItemID: 7, PublishedOn: day(time.March, 22)}, syndicate.StatusPublished, 0},
		{"published late", syndicate.Record{ApprovedOn: day(time.March, 2), ItemID: 7, PublishedOn: day(time.March, 23)}, syndicate.StatusLate, 0},
	}
	for _, tt := range tests {
		c := syndicate.Evaluate(syndicate.KindBudget, 2, 2026, tt.rec, today)
		if c.Status != tt.want || c.DaysLeft != tt.daysLeft {
			t.Errorf("%s: Evaluate = %s, %d days left; want %s, %d", tt.name, c.Status, c.DaysLeft, tt.want, tt.daysLeft)
		}
	}
}

func TestBoardAndStage(t *testing.T) {
	today := day(time.March, 25)
	recs := []syndicate.Record{{OrgID: 3, Year: 2026, Kind: syndicate.KindBudget, ApprovedOn: day(time.March, 2)}}
	rows := syndicate.Board(orgs, 2, 2026, recs, today)
	if len(rows) != 2 || rows[0].Org.ID != 2 || rows[1].Org.ID != 3 {
		t.Fatalf("Board rows = %+v, want the bureau then its unit", rows)
	}
	unit := rows[1]
	if unit.Cells[0].Status != syndicate.StatusOverdue || syndicate.Stage(unit.Cells[0]) != "overdue" {
		t.Errorf("unit budget = %+v, want overdue", unit.Cells[0])
	}
	if unit.Cells[2].Status != "" {
		t.Errorf("unit annual report = %+v, want not required", unit.Cells[2])
	}
	if rows[0].Cells[2].Status != syndicate.StatusDue || syndicate.Stage(rows[0].Cells[2]) != "" {
		t.Errorf("bureau annual report = %+v, want due without a reminder yet", rows[0].Cells[2])
	}
}
