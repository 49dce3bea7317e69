package apply

import "gongkai/internal/workday"

// ReportColumns are the seven data columns of the national report's table
// 三 (REGULATIONS.md §2.3): 自然人, the five organisation sub-types, 总计.
func ReportColumns() []string {
	return []string{"自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"}
}

// Counts is one row of table 三: a count per column, the last the total.
type Counts [7]int

func (c *Counts) add(a *Application) {
	i := 0
	if a.Applicant.Kind == ApplicantOrg {
		for j, t := range OrgTypes() {
			if t == a.Applicant.OrgType {
				i = j + 1
			}
		}
		if i == 0 {
			i = 5 // an organisation without a known sub-type counts as 其他
		}
	}
	c[i]++
	c[6]++
}

// ReportRow is one outcome row of table 三 with its counts.
type ReportRow struct {
	Category Category
	Reason   Reason // empty for （一）and （二）
	Label    string // as printed, e.g. "4.保护第三方合法权益" or "（一）予以公开"
	Counts   Counts
}

// Table3 is table 三、收到和处理政府信息公开申请情况 of one year's report.
type Table3 struct {
	Year       int
	New        Counts      // 一、本年新收政府信息公开申请数量
	CarriedIn  Counts      // 二、上年结转政府信息公开申请数量
	Rows       []ReportRow // 三、本年度办理结果 （一）–（六）, sub-reasons in template order
	Total      Counts      // 三（七）总计
	CarriedOut Counts      // 四、结转下年度继续办理
}

// receivedDay is the day an application counts as received for the
// report: the date of receipt, or for an online application not yet
// confirmed the day it was submitted.
func receivedDay(a *Application) workday.Date {
	if !a.ReceivedOn.IsZero() {
		return a.ReceivedOn
	}
	return Today(a.SubmittedAt)
}

// Tally3 counts applications for year's table 三. An application counts as
// new in the year it was received, is carried into a year it was received
// before and not answered before, is counted under its outcome in the
// year it was answered, and is carried out of a year it was received by
// and not answered in. So for every column 一 + 二 = 三（七） + 四, the
// check the template prints in its corner.
func Tally3(apps []Application, year int) Table3 {
	t := Table3{Year: year}
	for _, c := range Categories() {
		rs := Reasons(c)
		if len(rs) == 0 {
			t.Rows = append(t.Rows, ReportRow{Category: c, Label: c.ReportLabel()})
		}
		for _, r := range rs {
			t.Rows = append(t.Rows, ReportRow{Category: c, Reason: r.Reason, Label: r.Label})
		}
	}
	for i := range apps {
		a := &apps[i]
		got := receivedDay(a).Year()
		answered := a.Outcome.AnsweredOn
		done := !a.Outcome.IsZero() && !answered.IsZero()
		switch {
		case got == year:
			t.New.add(a)
		case got < year && (!done || answered.Year() >= year):
			t.CarriedIn.add(a)
		default:
			continue
		}
		if done && answered.Year() == year {
			for j := range t.Rows {
				if t.Rows[j].Category == a.Outcome.Category && t.Rows[j].Reason == a.Outcome.Reason {
					t.Rows[j].Counts.add(a)
				}
			}
			t.Total.add(a)
		} else {
			t.CarriedOut.add(a)
		}
	}
	return t
}

// CaseCounts are the five numbers of one group of table 四: 结果维持,
// 结果纠正, 其他结果, 尚未审结, 总计.
type CaseCounts [5]int

// Table4 is table 四、政府信息公开行政复议、行政诉讼情况 (REGULATIONS.md §2.4).
type Table4 struct {
	Year            int
	Reconsideration CaseCounts // 行政复议
	LawsuitDirect   CaseCounts // 行政诉讼：未经复议直接起诉
	LawsuitAfter    CaseCounts // 行政诉讼：复议后起诉
}

// Tally4 counts the cases filed in year, each by its result as of the end
// of that year (a case decided later was 尚未审结 then).
func Tally4(cases []Case, year int) Table4 {
	t := Table4{Year: year}
	for _, c := range cases {
		if c.FiledOn.Year() != year {
			continue
		}
		var g *CaseCounts
		switch c.Kind {
		case CaseReconsideration:
			g = &t.Reconsideration
		case CaseLawsuitDirect:
			g = &t.LawsuitDirect
		case CaseLawsuitAfter:
			g = &t.LawsuitAfter
		default:
			continue
		}
		i := 3 // 尚未审结
		if c.Result != ResultPending && !c.DecidedOn.IsZero() && c.DecidedOn.Year() <= year {
			switch c.Result {
			case ResultUpheld:
				i = 0
			case ResultCorrect:
				i = 1
			case ResultOther:
				i = 2
			}
		}
		g[i]++
		g[4]++
	}
	return t
}
