package report

import (
	"fmt"
	"strings"
)

// Narrative is the text of parts 一, 五 and 六, written by staff.
type Narrative struct {
	Overview string // 一、总体情况
	Problems string // 五、存在的主要问题及改进情况
	Other    string // 六、其他需要报告的事项
}

// ColumnCount is the number of items published in a main column.
type ColumnCount struct {
	Name  string
	Count int64
}

// Member is one person of the disclosure team and what they do.
type Member struct {
	Name string
	Duty string
}

// Training is a training session on disclosure work.
type Training struct {
	Day       string // YYYY-MM-DD
	Title     string
	Attendees int64
}

// Funding is special funding for disclosure work, in 万元 as entered.
type Funding struct {
	Amount string
	Note   string
}

// Facts are the year's figures the draft of 一、总体情况 is written from.
type Facts struct {
	OrgName   string
	Year      int
	Published int64         // items first published in the year
	ByColumn  []ColumnCount // per main column, largest first
	// Pushed is the number of items pushed to upper orgs' sites (the city
	// portal), PushAccepted how many of them were taken; HasPortal reports
	// whether pushing exists at all (nothing is said otherwise).
	Pushed       int64
	PushAccepted int64
	HasPortal    bool
	Topics       int64 // special topics (专题专栏) opened in the year
	// Submitted is the number of items or texts submitted to upper bodies
	// (信息报送), SubmitAdopted how many of them were adopted (采用).
	Submitted     int64
	SubmitAdopted int64
	// SecurityFound counts the site's security findings found in the year
	// (assessments, self-checks, inspections), SecurityClosed how many of
	// them were remediated and closed (销号).
	SecurityFound  int64
	SecurityClosed int64

	Received       int64 // applications received in the year
	Answered       int64 // applications answered in the year
	AnsweredOnTime int64 // of those, within the statutory time limit

	MessagesReceived int64
	MessagesAnswered int64

	Team      []Member
	Trainings []Training
	Funding   []Funding
}

// DraftOverview writes a draft of 一、总体情况 from the facts, for staff to
// edit. It states only what the data shows; the parts the template also
// asks for (政府信息管理, 平台建设, 监督保障) are left as prompts in brackets.
func DraftOverview(f Facts) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d年，%s深入贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、不公开为例外，扎实做好政府信息公开各项工作。现将有关情况报告如下。\n\n", f.Year, f.OrgName)

	fmt.Fprintf(&b, "（一）主动公开。全年通过政府信息公开平台主动公开政府信息%d条", f.Published)
	if len(f.ByColumn) > 0 {
		var parts []string
		for _, c := range f.ByColumn {
			parts = append(parts, fmt.Sprintf("%s%d条", c.Name, c.Count))
		}
		fmt.Fprintf(&b, "，其中%s", strings.Join(parts, "，"))
	}
	b.WriteString("。")
	if f.HasPortal {
		fmt.Fprintf(&b, "向上级政府网站报送信息%d条，被采用%d条。", f.Pushed, f.PushAccepted)
	}
	if f.Submitted > 0 {
		fmt.Fprintf(&b, "向上级机关报送政务信息%d条，被采用%d条。", f.Submitted, f.SubmitAdopted)
	}
	if f.Topics > 0 {
		fmt.Fprintf(&b, "新开设专题专栏%d个。", f.Topics)
	}
	b.WriteString("\n\n")

	fmt.Fprintf(&b, "（二）依申请公开。全年新收政府信息公开申请%d件，办结%d件", f.Received, f.Answered)
	if f.Answered > 0 {
		fmt.Fprintf(&b, "，其中在法定期限内答复%d件，按时答复率%s", f.AnsweredOnTime, percent(f.AnsweredOnTime, f.Answered))
	}
	b.WriteString("。\n\n")

	if f.MessagesReceived > 0 || f.MessagesAnswered > 0 {
		fmt.Fprintf(&b, "（三）回应关切。全年收到网上留言%d件，答复%d件。\n\n", f.MessagesReceived, f.MessagesAnswered)
	}

	b.WriteString("（四）政府信息管理和平台建设。")
	if f.SecurityFound > 0 {
		fmt.Fprintf(&b, "全年网站安全评估、自查和检查发现安全隐患%d个，已整改销号%d个。", f.SecurityFound, f.SecurityClosed)
	}
	b.WriteString("［请补充政府信息管理、政府信息公开平台建设情况。］\n\n")

	b.WriteString("（五）监督保障。")
	if len(f.Team) > 0 {
		var parts []string
		for _, m := range f.Team {
			parts = append(parts, m.Name+"负责"+m.Duty)
		}
		fmt.Fprintf(&b, "本机关政府信息公开工作由%d人承担：%s。", len(f.Team), strings.Join(parts, "，"))
	}
	if len(f.Trainings) > 0 {
		var people int64
		for _, t := range f.Trainings {
			people += t.Attendees
		}
		fmt.Fprintf(&b, "全年举办政府信息公开业务培训%d次，参训%d人次。", len(f.Trainings), people)
	}
	for _, fu := range f.Funding {
		fmt.Fprintf(&b, "安排政府信息公开工作专项经费%s万元（%s）。", fu.Amount, fu.Note)
	}
	b.WriteString("［请补充工作考核、社会评议和责任追究结果情况。］")
	return b.String()
}

func percent(a, b int64) string {
	if b == 0 {
		return "0%"
	}
	p := float64(a) * 100 / float64(b)
	s := fmt.Sprintf("%.1f", p)
	s = strings.TrimSuffix(s, ".0")
	return s + "%"
}
