package demo

import (
	"context"
	"fmt"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apply"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/workday"
)

// ReportStore is what LoadReport reads.
type ReportStore interface {
	OrgByCode(ctx context.Context, code string) (*org.Org, error)
	UserByName(ctx context.Context, name string) (*account.User, error)
}

// LoadReport gives the demo bureau a plausible year of disclosure on
// application for the annual report of the current year (issue 8):
// applications from every kind of applicant through the year with
// outcomes of most rows of the template, some carried over from last year
// and some into next year, reconsideration and lawsuits, the figures that
// come from other systems with their sources, the narrative parts staff
// write, and work records. Everything goes through the services as the
// system actor. Dates stay before today, so a year that has just begun
// is thinner. It runs after LoadApplications.
func LoadReport(ctx context.Context, st ReportStore, applySvc *apply.Service, reportSvc *report.Service, now time.Time) error {
	bureau, err := st.OrgByCode(ctx, "42130021")
	if err != nil {
		return fmt.Errorf("demo report: %w", err)
	}
	handler, err := st.UserByName(ctx, "yishenqing")
	if err != nil {
		return err
	}
	sys := account.System("demo")
	today := apply.Today(now)
	year := today.Year()
	jan1 := workday.NewDate(year, 1, 1)
	// span is the number of days from 2 January to two weeks before today
	// over which the year's applications are spread.
	span := int(today.Time().Sub(jan1.Time()).Hours()/24) - 16
	if span < 1 {
		span = 1
	}

	person := func(name string) apply.Applicant {
		return apply.Applicant{Kind: apply.ApplicantPerson, Name: name, IDType: apply.IDResident, IDNumber: "11010519491231002X",
			Phone: "13900000010", Address: "湖北省随州市曾都区（演示地址）"}
	}
	company := func(name string, t apply.OrgType) apply.Applicant {
		return apply.Applicant{Kind: apply.ApplicantOrg, Name: name, CreditCode: "91350100M000100Y43", LegalRep: "王某", Contact: "赵某",
			OrgType: t, Phone: "0722-0000201", Address: "湖北省随州市（演示地址）"}
	}
	applicants := []apply.Applicant{
		person("周某"), person("吴某"), person("郑某"), company("随州某建材有限公司（演示）", apply.OrgBusiness), person("冯某"),
		company("湖北某大学社会保障研究中心（演示）", apply.OrgResearch), person("陈某某"), company("随州某公益基金会（演示）", apply.OrgCharity),
		company("湖北某律师事务所（演示）", apply.OrgLegal), person("褚某"), company("随州某村民委员会（演示）", apply.OrgOther), person("卫某"),
	}
	outcome := func(c apply.Category, r apply.Reason, note string) apply.Outcome {
		return apply.Outcome{Category: c, Reason: r, Note: note}
	}
	outcomes := []apply.Outcome{
		outcome(apply.CatDisclosed, "", "所申请信息予以公开。"),
		outcome(apply.CatDisclosed, "", "所申请信息已在本机关网站主动公开，告知获取方式。"),
		outcome(apply.CatPartial, "", "所申请信息中涉及个人隐私的部分不予公开，其余部分予以公开。"),
		outcome(apply.CatDisclosed, "", "所申请信息予以公开。"),
		outcome(apply.CatUnavailable, apply.UnavailableNotHeld, "经检索，本机关未制作或获取所申请的信息。"),
		outcome(apply.CatRefused, apply.RefusedThirdParty, "所申请信息涉及第三方商业秘密，第三方不同意公开。"),
		outcome(apply.CatDisclosed, "", "所申请信息予以公开。"),
		outcome(apply.CatRefused, apply.RefusedProcess, "所申请信息属于讨论记录，为过程性信息。"),
		outcome(apply.CatNotProcessed, apply.NotProcPetition, "所提事项属于信访投诉，已转信访渠道办理。"),
		outcome(apply.CatUnavailable, apply.UnavailableCreate, "所申请信息需要另行汇总制作。"),
		outcome(apply.CatDisclosed, "", "所申请信息予以公开。"),
		outcome(apply.CatNotProcessed, apply.NotProcPublication, "所申请信息为公开出版物，告知获取途径。"),
		outcome(apply.CatPartial, "", "涉及第三方个人信息的部分不予公开。"),
		outcome(apply.CatRefused, apply.RefusedInternal, "所申请信息属于内部管理信息。"),
		outcome(apply.CatDisclosed, "", "所申请信息予以公开。"),
		outcome(apply.CatNotProcessed, apply.NotProcRepeated, "申请人重复申请同一信息，已告知此前答复。"),
		outcome(apply.CatNotProcessed, apply.NotProcConfirm, "申请人要求确认已获取信息的真实性，不予处理。"),
		outcome(apply.CatUnavailable, apply.UnavailableNotHeld, "本机关不掌握所申请的信息，告知负责公开的机关。"),
		outcome(apply.CatDisclosed, "", "所申请信息予以公开。"),
		outcome(apply.CatOther, apply.OtherOther, "申请人撤回申请。"),
	}
	subjects := []string{"2026年城乡低保资金发放情况", "养老机构补贴资金分配明细", "社会组织年检结果", "殡葬设施规划", "临时救助审批名单统计",
		"地名命名批复文件", "婚姻登记服务窗口工作制度", "福利彩票公益金使用情况"}
	channels := []apply.Channel{apply.ChannelInPerson, apply.ChannelLetter, apply.ChannelPost, apply.ChannelFax}

	register := func(i int, a apply.Applicant, received workday.Date) (int64, error) {
		app := apply.Application{OrgID: bureau.ID, Channel: channels[i%len(channels)], Applicant: a,
			Description: subjects[i%len(subjects)] + "（演示）", Form: apply.FormPaper, Way: apply.WayPost}
		reg, _, err := applySvc.Register(ctx, sys, apply.Registration{Application: app, ReceivedOn: received, Note: "演示数据（年报）"})
		if err != nil {
			return 0, err
		}
		if _, err := applySvc.Assign(ctx, sys, reg.ID, handler.ID); err != nil {
			return 0, err
		}
		return reg.ID, nil
	}
	answer := func(id int64, o apply.Outcome, on workday.Date) error {
		o.AnsweredOn = on
		if _, _, err := applySvc.RecordOutcome(ctx, sys, id, o, "", bureau.Name); err != nil {
			return err
		}
		_, err := applySvc.RecordDelivery(ctx, sys, id, apply.Delivery{Way: apply.WayPost, On: on})
		return err
	}

	// Carried over from last year: received in December, answered in
	// January (or still open early in January).
	for i := range 3 {
		id, err := register(i, applicants[(i*5)%len(applicants)], workday.NewDate(year-1, 12, 18+i*3))
		if err != nil {
			return fmt.Errorf("demo report: carried-over application: %w", err)
		}
		if on := workday.NewDate(year, 1, 10+i); !on.After(today) {
			if err := answer(id, outcomes[i], on); err != nil {
				return fmt.Errorf("demo report: carried-over answer: %w", err)
			}
		}
	}
	// The year's applications, answered within about ten days.
	var answered []int64
	for i := range 24 {
		received := jan1.AddDays(1 + i*span/24)
		if received.After(today) {
			break
		}
		id, err := register(i, applicants[i%len(applicants)], received)
		if err != nil {
			return fmt.Errorf("demo report: application %d: %w", i, err)
		}
		on := received.AddDays(7 + i%6)
		if on.After(today) {
			continue
		}
		if err := answer(id, outcomes[i%len(outcomes)], on); err != nil {
			return fmt.Errorf("demo report: answer %d: %w", i, err)
		}
		answered = append(answered, id)
	}
	// Reconsideration and lawsuits following some answers.
	cases := []struct {
		kind   apply.CaseKind
		body   string
		result apply.CaseResult
	}{
		{apply.CaseReconsideration, "随州市人民政府（演示）", apply.ResultUpheld},
		{apply.CaseReconsideration, "随州市人民政府（演示）", apply.ResultOther},
		{apply.CaseLawsuitDirect, "随州市曾都区人民法院（演示）", apply.ResultPending},
		{apply.CaseLawsuitAfter, "随州市中级人民法院（演示）", apply.ResultCorrect},
	}
	for i, c := range cases {
		if len(answered) <= 4+i*3 {
			break
		}
		filed := today.AddDays(-10 + i)
		if filed.Year() != year {
			filed = today
		}
		k := &apply.Case{ApplicationID: answered[4+i*3], Kind: c.kind, Body: c.body, FiledOn: filed, Result: c.result}
		if c.result != apply.ResultPending {
			k.DecidedOn = today
		}
		if err := applySvc.SaveCase(ctx, sys, k); err != nil {
			return fmt.Errorf("demo report: case: %w", err)
		}
	}

	// What staff enter: figures from other systems, text, work records.
	for cell, m := range map[string]report.Manual{
		report.KeyLicensing: {Value: "126", Source: "湖北政务服务网审批系统统计（演示）"},
		report.KeyPenalty:   {Value: "3", Source: "湖北省行政执法监督平台（演示）"},
		report.KeyCoercion:  {Value: "0", Source: "湖北省行政执法监督平台（演示）"},
		report.KeyFees:      {Value: "0", Source: "局财务科收费台账：本局无行政事业性收费项目（演示）"},
	} {
		if err := reportSvc.SetFigure(ctx, sys, bureau.ID, year, cell, m); err != nil {
			return fmt.Errorf("demo report: figure %s: %w", cell, err)
		}
	}
	if err := reportSvc.SaveNarrative(ctx, sys, bureau.ID, year, report.Narrative{
		Problems: "一是部分科室对政府信息公开工作的重视程度不够，信息报送不够及时；二是政策解读形式较为单一，图表、音视频解读较少。\n" +
			"下一步，我局将进一步健全信息发布审核机制，把信息公开纳入科室年度考核；丰富政策解读形式，提高解读质量。（演示）",
		Other: "依据《政府信息公开信息处理费管理办法》，本年度未收取信息处理费。\n本年度无人大代表建议和政协提案涉及政府信息公开的办理事项。（演示）",
	}); err != nil {
		return fmt.Errorf("demo report: narrative: %w", err)
	}
	works := []report.Work{
		{Kind: report.WorkTeam, Title: "刘发布", Detail: "政府信息公开工作统筹、信息发布（办公室）"},
		{Kind: report.WorkTeam, Title: "赵保密", Detail: "信息发布前保密审查"},
		{Kind: report.WorkTeam, Title: "陈经办", Detail: "依申请公开登记、办理和答复"},
		{Kind: report.WorkTraining, Title: "《中华人民共和国政府信息公开条例》专题培训", Day: jan1.AddDays(span / 3).String(), Attendees: 36},
		{Kind: report.WorkTraining, Title: "政府网站信息发布与保密审查培训", Day: jan1.AddDays(2 * span / 3).String(), Attendees: 28},
		{Kind: report.WorkFunding, Title: "政府网站运行维护和安全防护", Amount: "8.5"},
	}
	for i := range works {
		w := works[i]
		w.OrgID, w.Year = bureau.ID, year
		if err := reportSvc.AddWork(ctx, sys, &w); err != nil {
			return fmt.Errorf("demo report: work record: %w", err)
		}
	}
	return nil
}
