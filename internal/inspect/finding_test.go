package inspect_test

import (
	"testing"

	"gongkai/internal/inspect"
)

func TestSummarize(t *testing.T) {
	fs := []inspect.Finding{
		{FoundOn: "2026-01-10", Deadline: "2026-02-10", Severity: inspect.SeverityHigh, Source: inspect.SourceAssessment, State: inspect.FindingClosed},
		{FoundOn: "2026-02-01", Deadline: "2026-02-20", Severity: inspect.SeverityMedium, Source: inspect.SourceInspection, State: inspect.FindingOpen},
		{FoundOn: "2026-02-15", Deadline: "2026-04-01", Severity: inspect.SeverityLow, Source: inspect.SourceScan, State: inspect.FindingRemediated},
		{FoundOn: "2025-12-30", Deadline: "2026-01-05", Severity: inspect.SeverityHigh, Source: inspect.SourceSelfCheck, State: inspect.FindingOpen},
	}
	got := inspect.Summarize(fs, 2026, "2026-03-02")
	want := inspect.YearSummary{Year: 2026, Found: 3, Closed: 1, Open: 2, Overdue: 1, High: 1, Medium: 1, Low: 1}
	if got.Found != want.Found || got.Closed != want.Closed || got.Open != want.Open || got.Overdue != want.Overdue ||
		got.High != want.High || got.Medium != want.Medium || got.Low != want.Low || got.BySource[inspect.SourceInspection] != 1 {
		t.Errorf("Summarize() = %+v, want %+v", got, want)
	}
}

func TestFindingOverdue(t *testing.T) {
	tests := []struct {
		name  string
		state inspect.FindingState
		due   string
		want  bool
	}{
		{name: "open past the deadline", state: inspect.FindingOpen, due: "2026-03-01", want: true},
		{name: "open on the deadline day", state: inspect.FindingOpen, due: "2026-03-02", want: false},
		{name: "remediated but not closed past the deadline", state: inspect.FindingRemediated, due: "2026-03-01", want: true},
		{name: "closed past the deadline", state: inspect.FindingClosed, due: "2026-03-01", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := inspect.Finding{State: tt.state, Deadline: tt.due}
			if got := f.Overdue("2026-03-02"); got != tt.want {
				t.Errorf("Overdue() = %v, want %v", got, tt.want)
			}
		})
	}
}
