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

func TestDraftOverviewCountsSecurityFindings(t *testing.T) {
	got := report.DraftOverview(report.Facts{OrgName: "随州市民政局", Year: 2017, SecurityFound: 2, SecurityClosed: 2})
	if !strings.Contains(got, "发现安全隐患2个，已整改销号2个。") {
		t.Errorf("draft lacks the security findings: %s", got)
	}
}
