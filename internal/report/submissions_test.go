package report_test

import (
	"strings"
	"testing"

	"gongkai/internal/report"
)

func TestDraftOverviewCountsSubmissionsToUpperBodies(t *testing.T) {
	got := report.DraftOverview(report.Facts{OrgName: "随州市民政局", Year: 2026, Submitted: 57, SubmitAdopted: 12})
	if !strings.Contains(got, "向上级机关报送政务信息57条，被采用12条。") {
		t.Errorf("draft lacks the submissions: %s", got)
	}
	if strings.Contains(report.DraftOverview(report.Facts{OrgName: "随州市民政局", Year: 2026}), "报送政务信息") {
		t.Error("draft speaks of submissions when there were none")
	}
}
