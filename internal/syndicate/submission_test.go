package syndicate_test

import (
	"testing"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/syndicate"
	"gongkai/internal/workday"
)

func TestSubmissionValidate(t *testing.T) {
	today := workday.NewDate(2026, time.March, 2)
	ok := func() syndicate.Submission {
		return syndicate.Submission{Title: "我局开展冬季救助", Recipient: "省民政厅", SubmittedOn: workday.NewDate(2026, time.March, 1)}
	}
	tests := []struct {
		name   string
		change func(*syndicate.Submission)
		field  string
	}{
		{name: "complete record", change: func(*syndicate.Submission) {}},
		{name: "adopted with date and place", change: func(s *syndicate.Submission) {
			s.Adopted, s.AdoptedOn, s.AdoptedWhere = true, today, "《湖北民政信息》第5期"
		}},
		{name: "title missing", change: func(s *syndicate.Submission) { s.Title = "" }, field: "title"},
		{name: "recipient missing", change: func(s *syndicate.Submission) { s.Recipient = "" }, field: "recipient"},
		{name: "date missing", change: func(s *syndicate.Submission) { s.SubmittedOn = workday.Date{} }, field: "submitted_on"},
		{name: "date in the future", change: func(s *syndicate.Submission) { s.SubmittedOn = workday.NewDate(2026, time.March, 3) }, field: "submitted_on"},
		{name: "adopted without where", change: func(s *syndicate.Submission) { s.Adopted, s.AdoptedOn = true, today }, field: "adopted_where"},
		{name: "adopted before submitted", change: func(s *syndicate.Submission) {
			s.Adopted, s.AdoptedOn, s.AdoptedWhere = true, workday.NewDate(2026, time.February, 1), "简报"
		}, field: "adopted_on"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ok()
			tt.change(&s)
			err := s.Validate(today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields[tt.field] == "" {
				t.Fatalf("Validate = %v, want a message on %q", err, tt.field)
			}
		})
	}
}

func TestTallies(t *testing.T) {
	subs := []syndicate.Submission{
		{OrgID: 2, OfficerName: "xinxiyuan", Section: "办公室", Adopted: true},
		{OrgID: 2, OfficerName: "xinxiyuan", Section: "社会救助科"},
		{OrgID: 3, OfficerName: "fly.xinxiyuan", Section: ""},
	}
	names := map[int64]string{2: "市民政局", 3: "市社会福利院"}
	byOfficer, bySection, byOrg := syndicate.Tallies(subs, func(id int64) string { return names[id] })
	if byOfficer[0] != (syndicate.Tally{Name: "xinxiyuan", Submitted: 2, Adopted: 1}) {
		t.Errorf("byOfficer[0] = %+v", byOfficer[0])
	}
	if len(bySection) != 3 {
		t.Errorf("bySection = %+v, want three (one unnamed)", bySection)
	}
	if byOrg[0] != (syndicate.Tally{Name: "市民政局", Submitted: 2, Adopted: 1}) || byOrg[1].Name != "市社会福利院" {
		t.Errorf("byOrg = %+v", byOrg)
	}
}
