package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gongkai/internal/apply"
)

// Applicant is a data column of table 三: the type of applicant. The
// template has no subtotal column for 法人或其他组织 (REGULATIONS.md §2.3).
type Applicant int

const (
	Person   Applicant = iota // 自然人
	Business                  // 商业企业
	Research                  // 科研机构
	Charity                   // 社会公益组织
	Legal                     // 法律服务机构
	OtherOrg                  // 其他
	AllTypes                  // 总计
)

// NumApplicants is the number of applicant columns that are counted; the
// 总计 column is their sum.
const NumApplicants = 6

// Applicants lists the seven data columns of table 三 in template order.
func Applicants() []Applicant {
	return []Applicant{Person, Business, Research, Charity, Legal, OtherOrg, AllTypes}
}

var applicantInfo = [...]struct{ key, label string }{
	{"person", "自然人"}, {"business", "商业企业"}, {"research", "科研机构"}, {"charity", "社会公益组织"},
	{"legal", "法律服务机构"}, {"other", "其他"}, {"total", "总计"},
}

// Key is the column's name in cell keys.
func (a Applicant) Key() string { return applicantInfo[a].key }

// Label is the column heading as the template prints it.
func (a Applicant) Label() string { return applicantInfo[a].label }

// ApplicantOf maps an application's applicant to its column. An
// organisation with no or an unknown type counts under 其他.
func ApplicantOf(kind apply.ApplicantKind, t apply.OrgType) Applicant {
	if kind == apply.ApplicantPerson {
		return Person
	}
	switch t {
	case apply.OrgBusiness:
		return Business
	case apply.OrgResearch:
		return Research
	case apply.OrgCharity:
		return Charity
	case apply.OrgLegal:
		return Legal
	}
	return OtherOrg
}

// Row keys of table 三 other than the outcome sub-reasons, which use the
// apply.Reason values.
const (
	RowNew        = "new"         // 一、本年新收政府信息公开申请数量
	RowCarriedIn  = "carried_in"  // 二、上年结转政府信息公开申请数量
	RowDisclosed  = "disclosed"   // 三（一）予以公开
	RowPartial    = "partial"     // 三（二）部分公开
	RowHandled    = "handled"     // 三（七）总计
	RowCarriedOut = "carried_out" // 四、结转下年度继续办理
)

// RequestRow is a data row of table 三.
type RequestRow struct {
	Key   string
	Label string // the row's own label, verbatim
	// Group is the label of the category the row belongs to, for the
	// sub-rows of （三）–（六）; empty otherwise.
	Group string
	// Outcome reports whether the row counts an outcome (sums into （七）).
	Outcome bool
}

// RequestRows lists the 25 data rows of table 三 in template order: 一, 二,
// the 22 rows under 三, and 四.
func RequestRows() []RequestRow {
	rows := []RequestRow{
		{Key: RowNew, Label: "一、本年新收政府信息公开申请数量"},
		{Key: RowCarriedIn, Label: "二、上年结转政府信息公开申请数量"},
		{Key: RowDisclosed, Label: apply.CatDisclosed.ReportLabel(), Outcome: true},
		{Key: RowPartial, Label: apply.CatPartial.ReportLabel(), Outcome: true},
	}
	for _, c := range apply.Categories()[2:] {
		for _, r := range apply.Reasons(c) {
			rows = append(rows, RequestRow{Key: string(r.Reason), Label: r.Label, Group: c.ReportLabel(), Outcome: true})
		}
	}
	return append(rows,
		RequestRow{Key: RowHandled, Label: "（七）总计"},
		RequestRow{Key: RowCarriedOut, Label: "四、结转下年度继续办理"},
	)
}

// OutcomeRow returns the row key under which an outcome is counted, or
// false for an outcome the template has no row for.
func OutcomeRow(c apply.Category, r apply.Reason) (string, bool) {
	switch c {
	case apply.CatDisclosed:
		return RowDisclosed, true
	case apply.CatPartial:
		return RowPartial, true
	}
	if i, ok := r.Info(); ok && i.Category == c {
		return string(r), true
	}
	return "", false
}

// CaseKind is a block of table 四.
type CaseKind int

const (
	Reconsideration CaseKind = iota // 行政复议
	LawsuitDirect                   // 行政诉讼：未经复议直接起诉
	LawsuitAfter                    // 行政诉讼：复议后起诉
)

// CaseKinds lists the blocks in template order.
func CaseKinds() []CaseKind { return []CaseKind{Reconsideration, LawsuitDirect, LawsuitAfter} }

var caseKindKeys = [...]string{"reconsideration", "lawsuit_direct", "lawsuit_after"}

// Key is the block's name in cell keys; it equals apply's case kind value.
func (k CaseKind) Key() string { return caseKindKeys[k] }

// CaseKindOf maps apply's stored case kind to its block.
func CaseKindOf(s string) (CaseKind, bool) {
	for i, k := range caseKindKeys {
		if k == s {
			return CaseKind(i), true
		}
	}
	return 0, false
}

// CaseResult is a column within a block of table 四.
type CaseResult int

const (
	Upheld    CaseResult = iota // 结果维持
	Corrected                   // 结果纠正
	OtherRes                    // 其他结果
	Pending                     // 尚未审结
	CaseTotal                   // 总计
)

// CaseResults lists the five columns of a block in template order.
func CaseResults() []CaseResult { return []CaseResult{Upheld, Corrected, OtherRes, Pending, CaseTotal} }

var caseResultInfo = [...]struct{ key, label string }{
	{"upheld", "结果维持"}, {"corrected", "结果纠正"}, {"other", "其他结果"}, {"pending", "尚未审结"}, {"total", "总计"},
}

// Key is the column's name in cell keys; the first four equal apply's
// stored case results.
func (r CaseResult) Key() string { return caseResultInfo[r].key }

// Label is the column heading as printed.
func (r CaseResult) Label() string { return caseResultInfo[r].label }

// CaseResultOf maps apply's stored case result to its column.
func CaseResultOf(s string) (CaseResult, bool) {
	for i, x := range caseResultInfo[:4] {
		if x.key == s {
			return CaseResult(i), true
		}
	}
	return 0, false
}

// DocCounts are the figures of one row of 第二十条第（一）项.
type DocCounts struct {
	Issued   int64 // 本年制发件数
	Repealed int64 // 本年废止件数
	Valid    int64 // 现行有效件数 (at the end of the year)
}

// Input is what the data says for one org and one calendar year. The store
// computes it; tests fill it by hand.
type Input struct {
	Year int
	// Rules (规章) and Normative (行政规范性文件), from items by genre and
	// validity.
	Rules, Normative DocCounts
	// Requests maps a data row key of table 三 (except RowHandled, which is
	// computed) to the counts per applicant column (without 总计, which is
	// computed).
	Requests map[string][NumApplicants]int64
	// Cases counts cases per block and result (without 总计).
	Cases [3][4]int64
}

// Add counts n applications in row key for applicant a.
func (in *Input) Add(key string, a Applicant, n int64) {
	if in.Requests == nil {
		in.Requests = map[string][NumApplicants]int64{}
	}
	v := in.Requests[key]
	v[a] += n
	in.Requests[key] = v
}

// Manual is a figure that staff entered or overrode, with where it comes
// from (the system or register it was taken from, or why it was changed).
type Manual struct {
	Value  string
	Source string
}

// Cell keys of table 二.
const (
	KeyRulesIssued       = "2.rules.issued"
	KeyRulesRepealed     = "2.rules.repealed"
	KeyRulesValid        = "2.rules.valid"
	KeyNormativeIssued   = "2.normative.issued"
	KeyNormativeRepealed = "2.normative.repealed"
	KeyNormativeValid    = "2.normative.valid"
	KeyLicensing         = "2.licensing" // 行政许可: from the licensing system
	KeyPenalty           = "2.penalty"   // 行政处罚
	KeyCoercion          = "2.coercion"  // 行政强制
	KeyFees              = "2.fees"      // 行政事业性收费, 万元 with decimals
)

// EnteredKeys are the figures of table 二 that come from other systems and
// are always entered by staff with their source.
func EnteredKeys() []string { return []string{KeyLicensing, KeyPenalty, KeyCoercion, KeyFees} }

// RequestKey is the cell key of row and column of table 三.
func RequestKey(row string, a Applicant) string { return "3." + row + "." + a.Key() }

// CaseKey is the cell key of a block and column of table 四.
func CaseKey(k CaseKind, r CaseResult) string { return "4." + k.Key() + "." + r.Key() }

// Keys lists every cell key of the three tables in template order.
func Keys() []string {
	keys := []string{KeyRulesIssued, KeyRulesRepealed, KeyRulesValid, KeyNormativeIssued, KeyNormativeRepealed, KeyNormativeValid,
		KeyLicensing, KeyPenalty, KeyCoercion, KeyFees}
	for _, r := range RequestRows() {
		for _, a := range Applicants() {
			keys = append(keys, RequestKey(r.Key, a))
		}
	}
	for _, k := range CaseKinds() {
		for _, r := range CaseResults() {
			keys = append(keys, CaseKey(k, r))
		}
	}
	return keys
}

// ValidKey reports whether key names a cell of the tables.
func ValidKey(key string) bool {
	for _, k := range Keys() {
		if k == key {
			return true
		}
	}
	return false
}

var feesRe = regexp.MustCompile(`^[0-9]{1,9}(\.[0-9]{1,4})?$`)

// ParseManual checks a figure typed by staff for cell key and returns it
// normalised. Counts are whole numbers from 0; the fee amount is in 万元
// with up to four decimals (REGULATIONS.md §2.2). The message is for the
// form, in Chinese.
func ParseManual(key, value string) (string, string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return "", "请填写数字"
	}
	if key == KeyFees {
		if !feesRe.MatchString(value) {
			return "", "请填写金额（万元），最多四位小数，如 12.35"
		}
		return value, ""
	}
	n, err := strconv.ParseInt(value, 10, 64)
	if err != nil || n < 0 || n > 1e9 {
		return "", "请填写不小于 0 的整数"
	}
	return fmt.Sprint(n), ""
}
