package report

import (
	"fmt"
	"strconv"
)

// Value is one cell of the tables as it will be printed.
type Value struct {
	N    int64  // the count; 0 for the fee amount, whose value is Text
	Text string // as printed
	// Manual reports that staff entered or overrode the figure; Source says
	// where it comes from. Computed is what the data gave before an
	// override (meaningless for the entered figures of table 二).
	Manual   bool
	Source   string
	Computed string
}

// Mismatch is a failed arithmetic check of the template: Left should equal
// Right. Cells lists the keys of every cell involved; Message says in
// Chinese which rows and columns disagree.
type Mismatch struct {
	Rule        string // "balance", "handled_total", "type_total" or "case_total"
	Cells       []string
	Left, Right int64
	Message     string
}

// Report is the three tables of one org's annual report for one year,
// with the result of the checks.
type Report struct {
	Year   int
	Values map[string]Value // by cell key; every key of Keys is present
	// Mismatches lists every failed check, in template order.
	Mismatches []Mismatch
	// Missing lists the keys of entered figures (EnteredKeys) staff have
	// not entered yet; they print as 0.
	Missing []string
}

// Build computes the tables from the data and the figures staff entered or
// overrode (by cell key; unknown keys and values ParseManual rejects are
// ignored), then runs the checks. Totals are the sums of the printed parts
// unless staff overrode a total, in which case the checks show where it
// disagrees.
func Build(in Input, manual map[string]Manual) *Report {
	r := &Report{Year: in.Year, Values: map[string]Value{}}
	setN := func(key string, n int64) {
		r.Values[key] = Value{N: n, Text: strconv.FormatInt(n, 10)}
	}
	override := func(key string) {
		m, ok := manual[key]
		if !ok {
			return
		}
		v, msg := ParseManual(key, m.Value)
		if msg != "" {
			return
		}
		old := r.Values[key]
		n, _ := strconv.ParseInt(v, 10, 64) // the fee amount keeps N = 0
		r.Values[key] = Value{N: n, Text: v, Manual: true, Source: m.Source, Computed: old.Text}
	}

	// Table 二.
	for key, n := range map[string]int64{
		KeyRulesIssued: in.Rules.Issued, KeyRulesRepealed: in.Rules.Repealed, KeyRulesValid: in.Rules.Valid,
		KeyNormativeIssued: in.Normative.Issued, KeyNormativeRepealed: in.Normative.Repealed, KeyNormativeValid: in.Normative.Valid,
		KeyLicensing: 0, KeyPenalty: 0, KeyCoercion: 0,
	} {
		setN(key, n)
		override(key)
	}
	r.Values[KeyFees] = Value{Text: "0"}
	override(KeyFees)
	for _, k := range EnteredKeys() {
		if !r.Values[k].Manual {
			r.Missing = append(r.Missing, k)
		}
	}

	// Table 三: the counted cells, then the （七）总计 row per applicant
	// column, then the 总计 column of every row.
	rows := RequestRows()
	for _, row := range rows {
		if row.Key == RowHandled {
			continue
		}
		counts := in.Requests[row.Key]
		for a := range NumApplicants {
			key := RequestKey(row.Key, Applicant(a))
			setN(key, counts[a])
			override(key)
		}
	}
	for a := range NumApplicants {
		var sum int64
		for _, row := range rows {
			if row.Outcome {
				sum += r.Values[RequestKey(row.Key, Applicant(a))].N
			}
		}
		key := RequestKey(RowHandled, Applicant(a))
		setN(key, sum)
		override(key)
	}
	for _, row := range rows {
		var sum int64
		for a := range NumApplicants {
			sum += r.Values[RequestKey(row.Key, Applicant(a))].N
		}
		key := RequestKey(row.Key, AllTypes)
		setN(key, sum)
		override(key)
	}

	// Table 四.
	for _, k := range CaseKinds() {
		var sum int64
		for res := range 4 {
			key := CaseKey(k, CaseResult(res))
			setN(key, in.Cases[k][res])
			override(key)
			sum += r.Values[key].N
		}
		key := CaseKey(k, CaseTotal)
		setN(key, sum)
		override(key)
	}

	r.Mismatches = r.check()
	return r
}

// check runs the template's arithmetic (REGULATIONS.md §2.3, §2.4).
func (r *Report) check() []Mismatch {
	var out []Mismatch
	n := func(key string) int64 { return r.Values[key].N }
	rows := RequestRows()
	rowLabel := map[string]string{}
	for _, row := range rows {
		rowLabel[row.Key] = row.Label
	}
	handledLabel := "三、本年度办理结果（七）总计"

	for _, a := range Applicants() {
		// The note of the template: 第一项加第二项之和，等于第三项加第四项之和.
		cells := []string{RequestKey(RowNew, a), RequestKey(RowCarriedIn, a), RequestKey(RowHandled, a), RequestKey(RowCarriedOut, a)}
		left, right := n(cells[0])+n(cells[1]), n(cells[2])+n(cells[3])
		if left != right {
			out = append(out, Mismatch{Rule: "balance", Cells: cells, Left: left, Right: right,
				Message: fmt.Sprintf("“%s”列：一、本年新收（%d）加二、上年结转（%d）之和为 %d，不等于%s（%d）加四、结转下年度继续办理（%d）之和 %d",
					a.Label(), n(cells[0]), n(cells[1]), left, handledLabel, n(cells[2]), n(cells[3]), right)})
		}
	}
	for _, a := range Applicants() {
		var sum int64
		cells := []string{RequestKey(RowHandled, a)}
		for _, row := range rows {
			if row.Outcome {
				cells = append(cells, RequestKey(row.Key, a))
				sum += n(RequestKey(row.Key, a))
			}
		}
		if got := n(cells[0]); got != sum {
			out = append(out, Mismatch{Rule: "handled_total", Cells: cells, Left: got, Right: sum,
				Message: fmt.Sprintf("“%s”列：%s为 %d，不等于（一）至（六）各项之和 %d", a.Label(), handledLabel, got, sum)})
		}
	}
	for _, row := range rows {
		var sum int64
		cells := []string{RequestKey(row.Key, AllTypes)}
		for a := range NumApplicants {
			cells = append(cells, RequestKey(row.Key, Applicant(a)))
			sum += n(RequestKey(row.Key, Applicant(a)))
		}
		if got := n(cells[0]); got != sum {
			label := row.Label
			if row.Group != "" {
				label = row.Group + label
			}
			out = append(out, Mismatch{Rule: "type_total", Cells: cells, Left: got, Right: sum,
				Message: fmt.Sprintf("“%s”行：总计为 %d，不等于六类申请人之和 %d", label, got, sum)})
		}
	}
	for _, k := range CaseKinds() {
		var sum int64
		cells := []string{CaseKey(k, CaseTotal)}
		for res := range 4 {
			cells = append(cells, CaseKey(k, CaseResult(res)))
			sum += n(CaseKey(k, CaseResult(res)))
		}
		if got := n(cells[0]); got != sum {
			out = append(out, Mismatch{Rule: "case_total", Cells: cells, Left: got, Right: sum,
				Message: fmt.Sprintf("“%s”：总计为 %d，不等于结果维持、结果纠正、其他结果、尚未审结之和 %d", k.Label(), got, sum)})
		}
	}
	return out
}

// Label is the block's heading, with its parent for the lawsuits.
func (k CaseKind) Label() string {
	switch k {
	case Reconsideration:
		return "行政复议"
	case LawsuitDirect:
		return "行政诉讼（未经复议直接起诉）"
	}
	return "行政诉讼（复议后起诉）"
}

// InMismatch reports whether cell key takes part in a failed check.
func (r *Report) InMismatch(key string) bool {
	for _, m := range r.Mismatches {
		for _, c := range m.Cells {
			if c == key {
				return true
			}
		}
	}
	return false
}

// Manual lists the cells staff entered or overrode, in template order.
func (r *Report) Manual() []string {
	var out []string
	for _, k := range Keys() {
		if r.Values[k].Manual {
			out = append(out, k)
		}
	}
	return out
}
