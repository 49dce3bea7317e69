package report_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/apply"
	"gongkai/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatalf("write %s: %v", path, err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s (run with -update to create): %v", path, err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

// sample is a consistent year: every cell has a distinct count.
func sample() report.Input {
	in := report.Input{Year: 2026,
		Rules:     report.DocCounts{Issued: 1, Repealed: 2, Valid: 3},
		Normative: report.DocCounts{Issued: 4, Repealed: 5, Valid: 6},
	}
	for a := range report.NumApplicants {
		ap := report.Applicant(a)
		var handled int64
		for i, row := range report.RequestRows() {
			if row.Outcome {
				n := int64(i + a)
				in.Add(row.Key, ap, n)
				handled += n
			}
		}
		in.Add(report.RowCarriedIn, ap, int64(a+1))
		in.Add(report.RowCarriedOut, ap, int64(2*a+1))
		// new + carried in = handled + carried out
		in.Add(report.RowNew, ap, handled+int64(2*a+1)-int64(a+1))
	}
	for k := range 3 {
		for r := range 4 {
			in.Cases[k][r] = int64(10*k + r)
		}
	}
	return in
}

func TestTablesGolden(t *testing.T) {
	r := report.Build(sample(), map[string]report.Manual{
		report.KeyLicensing: {Value: "120", Source: "省政务服务网审批系统导出"},
		report.KeyPenalty:   {Value: "35", Source: "行政执法平台"},
		report.KeyCoercion:  {Value: "0", Source: "行政执法平台"},
		report.KeyFees:      {Value: "12.35", Source: "财务科台账"},
	})
	if len(r.Mismatches) != 0 {
		t.Fatalf("Build(sample) mismatches = %v, want none", r.Mismatches)
	}
	if len(r.Missing) != 0 {
		t.Errorf("Build(sample).Missing = %v, want none", r.Missing)
	}
	var b strings.Builder
	for _, g := range r.Grids() {
		b.WriteString(g.Text())
		b.WriteString("\n")
	}
	golden(t, "tables.golden", b.String())
}

func TestGridsFillTheirColumns(t *testing.T) {
	r := report.Build(sample(), nil)
	for _, g := range r.Grids() {
		placed, err := g.Place()
		if err != nil {
			t.Fatalf("Place(%s): %v", g.Heading, err)
		}
		keys := 0
		for _, p := range placed {
			if p.Key != "" {
				keys++
			}
		}
		if keys == 0 {
			t.Errorf("%s has no value cells", g.Heading)
		}
	}
}

func TestEveryKeyIsPrintedOnce(t *testing.T) {
	r := report.Build(sample(), nil)
	seen := map[string]int{}
	for _, g := range r.Grids() {
		for _, row := range g.Rows {
			for _, c := range row {
				if c.Key != "" {
					seen[c.Key]++
				}
			}
		}
	}
	for _, k := range report.Keys() {
		if seen[k] != 1 {
			t.Errorf("key %s printed %d times, want 1", k, seen[k])
		}
		if _, ok := r.Values[k]; !ok {
			t.Errorf("Values lacks %s", k)
		}
	}
	if len(seen) != len(report.Keys()) {
		t.Errorf("printed %d keys, Keys() has %d", len(seen), len(report.Keys()))
	}
}

func TestTemplateStructure(t *testing.T) {
	rows := report.RequestRows()
	if len(rows) != 25 {
		t.Fatalf("RequestRows() has %d rows, want 25 (一, 二, 22 under 三, 四)", len(rows))
	}
	under3 := 0
	for _, r := range rows {
		if r.Outcome || r.Key == report.RowHandled {
			under3++
		}
	}
	if under3 != 22 {
		t.Errorf("rows under 三 = %d, want 22 (2021 format)", under3)
	}
	// Labels the template prints, REGULATIONS.md §2.3, in order.
	want := []string{
		"一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
		"（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
		"1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
		"5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
		"1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
		"1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
		"1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
		"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
		"3.其他", "（七）总计", "四、结转下年度继续办理",
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Label)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("row labels (-want +got):\n%s", diff)
	}
	var cols []string
	for _, a := range report.Applicants() {
		cols = append(cols, a.Label())
	}
	if diff := cmp.Diff([]string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}, cols); diff != "" {
		t.Errorf("columns (-want +got):\n%s", diff)
	}
}

func TestApplicantOf(t *testing.T) {
	tests := []struct {
		kind apply.ApplicantKind
		typ  apply.OrgType
		want report.Applicant
	}{
		{apply.ApplicantPerson, "", report.Person},
		{apply.ApplicantPerson, apply.OrgLegal, report.Person},
		{apply.ApplicantOrg, apply.OrgBusiness, report.Business},
		{apply.ApplicantOrg, apply.OrgResearch, report.Research},
		{apply.ApplicantOrg, apply.OrgCharity, report.Charity},
		{apply.ApplicantOrg, apply.OrgLegal, report.Legal},
		{apply.ApplicantOrg, apply.OrgOther, report.OtherOrg},
		{apply.ApplicantOrg, "", report.OtherOrg},
	}
	for _, tt := range tests {
		if got := report.ApplicantOf(tt.kind, tt.typ); got != tt.want {
			t.Errorf("ApplicantOf(%s, %q) = %s, want %s", tt.kind, tt.typ, got.Label(), tt.want.Label())
		}
	}
}

func TestOutcomeRowCoversEveryOutcome(t *testing.T) {
	rows := map[string]bool{}
	for _, c := range apply.Categories() {
		rs := apply.Reasons(c)
		if len(rs) == 0 {
			k, ok := report.OutcomeRow(c, "")
			if !ok {
				t.Errorf("OutcomeRow(%s) has no row", c)
			}
			rows[k] = true
			continue
		}
		for _, r := range rs {
			k, ok := report.OutcomeRow(c, r.Reason)
			if !ok {
				t.Errorf("OutcomeRow(%s, %s) has no row", c, r.Reason)
			}
			rows[k] = true
		}
		if _, ok := report.OutcomeRow(c, ""); ok {
			t.Errorf("OutcomeRow(%s, \"\") found a row; a reason is required", c)
		}
	}
	if len(rows) != 21 {
		t.Errorf("outcomes map to %d rows, want 21", len(rows))
	}
}

// TestChecks breaks the tables in every way the template's arithmetic can
// catch, through staff overrides, and checks each mismatch names the cells.
func TestChecks(t *testing.T) {
	type want struct {
		rule  string
		cells []string
	}
	rk := report.RequestKey
	ck := report.CaseKey
	tests := []struct {
		name   string
		manual map[string]report.Manual
		want   []want
	}{
		{name: "consistent year passes", manual: nil},
		{name: "overriding a total to the sum passes",
			manual: map[string]report.Manual{rk(report.RowNew, report.AllTypes): {Value: "", Source: "ignored: empty"}}},
		{name: "new this year overridden breaks the balance of its column and the total column",
			manual: map[string]report.Manual{rk(report.RowNew, report.Person): {Value: "1000", Source: "手工台账"}},
			want: []want{
				{"balance", []string{rk(report.RowNew, report.Person), rk(report.RowCarriedIn, report.Person), rk(report.RowHandled, report.Person), rk(report.RowCarriedOut, report.Person)}},
				{"balance", []string{rk(report.RowNew, report.AllTypes), rk(report.RowCarriedIn, report.AllTypes), rk(report.RowHandled, report.AllTypes), rk(report.RowCarriedOut, report.AllTypes)}},
			}},
		{name: "handled total overridden breaks its sum and the balance",
			manual: map[string]report.Manual{rk(report.RowHandled, report.Legal): {Value: "0", Source: "x"}},
			want: []want{
				{"balance", []string{rk(report.RowNew, report.Legal), rk(report.RowCarriedIn, report.Legal), rk(report.RowHandled, report.Legal), rk(report.RowCarriedOut, report.Legal)}},
				{"balance", []string{rk(report.RowNew, report.AllTypes), rk(report.RowCarriedIn, report.AllTypes), rk(report.RowHandled, report.AllTypes), rk(report.RowCarriedOut, report.AllTypes)}},
				{"handled_total", nil},
				{"handled_total", nil},
			}},
		{name: "total column overridden breaks the row sum and the handled sum of the total column",
			manual: map[string]report.Manual{rk(string(apply.NotProcRepeated), report.AllTypes): {Value: "999", Source: "x"}},
			want: []want{
				{"handled_total", nil},
				{"type_total", nil},
			}},
		{name: "an outcome overridden breaks the balance only",
			manual: map[string]report.Manual{rk(string(apply.RefusedThirdParty), report.Charity): {Value: "77", Source: "x"}},
			want:   []want{{"balance", nil}, {"balance", nil}}},
		{name: "case total overridden",
			manual: map[string]report.Manual{ck(report.LawsuitAfter, report.CaseTotal): {Value: "1", Source: "x"}},
			want: []want{{"case_total", []string{ck(report.LawsuitAfter, report.CaseTotal), ck(report.LawsuitAfter, report.Upheld),
				ck(report.LawsuitAfter, report.Corrected), ck(report.LawsuitAfter, report.OtherRes), ck(report.LawsuitAfter, report.Pending)}}}},
		{name: "case part overridden is summed, no mismatch",
			manual: map[string]report.Manual{ck(report.Reconsideration, report.Pending): {Value: "9", Source: "x"}}},
		{name: "carried over to next year overridden",
			manual: map[string]report.Manual{rk(report.RowCarriedOut, report.Business): {Value: "50", Source: "x"}},
			want:   []want{{"balance", nil}, {"balance", nil}}},
		{name: "invalid manual values are ignored",
			manual: map[string]report.Manual{rk(report.RowNew, report.Person): {Value: "-3"}, report.KeyFees: {Value: "abc"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := report.Build(sample(), tt.manual)
			if len(r.Mismatches) != len(tt.want) {
				t.Fatalf("Build() mismatches = %d %+v, want %d", len(r.Mismatches), r.Mismatches, len(tt.want))
			}
			for i, w := range tt.want {
				m := r.Mismatches[i]
				if m.Rule != w.rule {
					t.Errorf("mismatch %d rule = %s, want %s", i, m.Rule, w.rule)
				}
				if w.cells != nil {
					if diff := cmp.Diff(w.cells, m.Cells); diff != "" {
						t.Errorf("mismatch %d cells (-want +got):\n%s", i, diff)
					}
				}
				if m.Left == m.Right || m.Message == "" {
					t.Errorf("mismatch %d = %+v: sides equal or no message", i, m)
				}
				for _, c := range m.Cells {
					if !r.InMismatch(c) {
						t.Errorf("InMismatch(%s) = false", c)
					}
				}
			}
			for k, m := range tt.manual {
				if _, msg := report.ParseManual(k, m.Value); msg != "" {
					if r.Values[k].Manual {
						t.Errorf("invalid manual %s=%q was applied", k, m.Value)
					}
					continue
				}
				v := r.Values[k]
				if !v.Manual || v.Source != m.Source || v.Computed == "" {
					t.Errorf("Values[%s] = %+v, want marked manual with source %q and computed value", k, v, m.Source)
				}
			}
		})
	}
}

func TestEveryCellCanBreakTheBalance(t *testing.T) {
	// Overriding any counted cell of table 三 by one makes at least one
	// check fail: nothing the template sums escapes the checks.
	for _, row := range report.RequestRows() {
		for _, a := range report.Applicants() {
			key := report.RequestKey(row.Key, a)
			base := report.Build(sample(), nil).Values[key].N
			r := report.Build(sample(), map[string]report.Manual{key: {Value: itoa(base + 1), Source: "x"}})
			if len(r.Mismatches) == 0 {
				t.Errorf("overriding %s by +1 passed every check", report.CellName(key))
			}
		}
	}
}

func itoa(n int64) string {
	s := ""
	if n == 0 {
		return "0"
	}
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

func TestMissingEnteredFigures(t *testing.T) {
	r := report.Build(sample(), map[string]report.Manual{report.KeyPenalty: {Value: "3", Source: "执法平台"}})
	want := []string{report.KeyLicensing, report.KeyCoercion, report.KeyFees}
	if diff := cmp.Diff(want, r.Missing); diff != "" {
		t.Errorf("Missing (-want +got):\n%s", diff)
	}
	if r.Values[report.KeyFees].Text != "0" {
		t.Errorf("fees not entered print %q, want 0", r.Values[report.KeyFees].Text)
	}
}

func TestParseManual(t *testing.T) {
	tests := []struct {
		key, in, want string
		bad           bool
	}{
		{report.KeyLicensing, " 12 ", "12", false},
		{report.KeyLicensing, "007", "7", false},
		{report.KeyLicensing, "1.5", "", true},
		{report.KeyLicensing, "-1", "", true},
		{report.KeyLicensing, "", "", true},
		{report.KeyFees, "12.35", "12.35", false},
		{report.KeyFees, "0.0001", "0.0001", false},
		{report.KeyFees, "0.00001", "", true},
		{report.KeyFees, "１２", "", true},
		{report.KeyFees, "-2", "", true},
		{report.RequestKey(report.RowNew, report.Person), "3", "3", false},
	}
	for _, tt := range tests {
		got, msg := report.ParseManual(tt.key, tt.in)
		if (msg != "") != tt.bad || got != tt.want {
			t.Errorf("ParseManual(%s, %q) = %q, %q; want %q, bad=%v", tt.key, tt.in, got, msg, tt.want, tt.bad)
		}
	}
}

func TestCellNames(t *testing.T) {
	seen := map[string]string{}
	for _, k := range report.Keys() {
		n := report.CellName(k)
		if n == k {
			t.Errorf("CellName(%s) has no name", k)
		}
		if o, dup := seen[n]; dup {
			t.Errorf("CellName(%s) = CellName(%s) = %s", k, o, n)
		}
		seen[n] = k
	}
}

func TestDraftOverview(t *testing.T) {
	f := report.Facts{OrgName: "随州市民政局", Year: 2026, Published: 356,
		ByColumn:  []report.ColumnCount{{"工作动态", 200}, {"通知公告", 100}, {"政策文件", 56}},
		HasPortal: true, Pushed: 42, PushAccepted: 30, Topics: 2,
		Received: 30, Answered: 28, AnsweredOnTime: 27,
		MessagesReceived: 80, MessagesAnswered: 79,
		Team:      []report.Member{{"张三", "信息发布审核"}, {"李四", "依申请公开办理"}},
		Trainings: []report.Training{{"2026-03-02", "条例培训", 30}, {"2026-09-10", "保密审查培训", 25}},
		Funding:   []report.Funding{{"5.5", "网站运维"}},
	}
	golden(t, "overview.golden", report.DraftOverview(f))
	empty := report.DraftOverview(report.Facts{OrgName: "某局", Year: 2026})
	for _, bad := range []string{"留言", "报送", "专题", "按时答复率"} {
		if strings.Contains(empty, bad) {
			t.Errorf("draft for an empty year mentions %s:\n%s", bad, empty)
		}
	}
}
