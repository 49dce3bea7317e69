package demo

import (
	"context"
	"fmt"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/interact"
	"gongkai/internal/org"
)

// InteractStore is what LoadInteract reads and writes. *store.DB
// implements it.
type InteractStore interface {
	interact.Store
	Orgs(ctx context.Context) ([]org.Org, error)
	UserByName(ctx context.Context, name string) (*account.User, error)
}

// LoadInteract leaves a few messages with the demo bureau in different
// states — one answered and published with a rating, one answered
// privately, one refused as out of scope, one awaiting the section head's
// approval, one overdue, one just received — and opens one consultation on
// a draft. Senders' names and numbers are invented. Messages are dated in
// the past by running the service on a clock set back, so deadlines and
// overdue marks are real. It runs after Load.
func LoadInteract(ctx context.Context, st InteractStore, now time.Time) error {
	orgs, err := st.Orgs(ctx)
	if err != nil {
		return err
	}
	var bureau int64
	for _, o := range orgs {
		if o.Code == "42130021" {
			bureau = o.ID
		}
	}
	if bureau == 0 {
		return fmt.Errorf("demo messages: no demo bureau (run Load first)")
	}
	staff := map[string]account.Actor{}
	for _, n := range []string{"bangongshi", "kezhang", "xinxiyuan"} {
		u, err := st.UserByName(ctx, n)
		if err != nil {
			return err
		}
		staff[n] = account.ActorFor(u, "")
	}
	at := now
	svc := interact.NewService(st, interact.Config{Now: func() time.Time { return at }})
	type msg struct {
		daysAgo int
		kind    interact.Kind
		subject string
		body    string
		name    string
		phone   string
		consent bool
		reply   string
		steps   []string // accept, assign, draft, approve, reject
		rating  interact.Level
	}
	msgs := []msg{
		{daysAgo: 20, kind: interact.KindQuestion, subject: "高龄津贴如何申领", body: "家里老人今年满80周岁，请问高龄津贴在哪里申请、需要什么材料？",
			name: "张某某", phone: "13900000101", consent: true, reply: "您好：年满80周岁的本市户籍老人，可由本人或家属持户口簿、身份证到户籍所在地社区居委会申请高龄津贴，经街道（乡镇）审核、市民政局审批后按月发放。",
			steps: []string{"accept", "assign", "draft", "approve"}, rating: interact.LevelSatisfied},
		{daysAgo: 15, kind: interact.KindSuggestion, subject: "建议婚姻登记处开通网上预约", body: "婚姻登记处排队时间较长，建议开通网上预约，错峰办理。",
			name: "李某", phone: "13900000102", consent: false, reply: "感谢您的建议。我局已于本月在政务服务网开通婚姻登记预约，欢迎使用。",
			steps: []string{"accept", "assign", "draft", "approve"}},
		{daysAgo: 12, kind: interact.KindHelp, subject: "房屋买卖纠纷", body: "我与开发商的房屋买卖合同纠纷，请民政局帮忙协调。",
			name: "王某", phone: "13900000103", steps: []string{"reject"}},
		{daysAgo: 4, kind: interact.KindComplaint, subject: "社区养老服务站下午无人值守", body: "东城社区养老服务站工作日下午经常无人值守，老人无处休息。",
			name: "赵某", phone: "13900000104", consent: true, reply: "您好：经核查，该服务站确有下午人员不足的情况，已责成运营单位增派人员，保证开放时间内有人值守。",
			steps: []string{"accept", "assign", "draft"}},
		{daysAgo: 14, kind: interact.KindDisclosure, subject: "政府信息公开年报何时发布", body: "请问贵局2025年政府信息公开工作年度报告什么时候在网站公布？",
			name: "钱某", phone: "13900000105", consent: true, steps: []string{"accept", "assign"}},
		{daysAgo: 0, kind: interact.KindQuestion, subject: "社会组织年检时间", body: "请问今年社会组织年度检查什么时候开始，需要提交哪些材料？",
			name: "孙某", phone: "13900000106", consent: true},
	}
	for i, m := range msgs {
		at = now.AddDate(0, 0, -m.daysAgo)
		in := &interact.Message{OrgID: bureau, Kind: m.kind, Subject: m.subject, Body: m.body, Consent: m.consent,
			Sender: interact.Sender{Name: m.name, Phone: m.phone}}
		rc, err := svc.Submit(ctx, in, fmt.Sprintf("demo-%d", i))
		if err != nil {
			return fmt.Errorf("demo message %d: %w", i, err)
		}
		id := rc.Message.ID
		for _, s := range m.steps {
			at = at.Add(2 * 24 * time.Hour)
			if at.After(now) {
				at = now
			}
			switch s {
			case "accept":
				_, err = svc.Accept(ctx, staff["bangongshi"], id)
			case "assign":
				_, err = svc.Assign(ctx, staff["bangongshi"], id, "办公室", staff["xinxiyuan"].UserID)
			case "draft":
				_, err = svc.DraftReply(ctx, staff["xinxiyuan"], id, m.reply)
			case "approve":
				_, err = svc.ApproveReply(ctx, staff["kezhang"], id, true)
			case "reject":
				_, err = svc.Reject(ctx, staff["bangongshi"], id, "您反映的房屋买卖合同纠纷不属于民政部门职责，建议向住房和城乡建设部门反映或依法向人民法院起诉。")
			}
			if err != nil {
				return fmt.Errorf("demo message %d %s: %w", i, s, err)
			}
		}
		if m.rating != "" {
			// The sender rates with the code from the receipt.
			if err := svc.Rate(ctx, rc.QueryNo, rc.Code, m.rating, "答复清楚，谢谢。"); err != nil {
				return fmt.Errorf("demo rating: %w", err)
			}
		}
	}
	at = now
	today := interact.Today(now)
	c := &interact.Consultation{OrgID: bureau, Title: "随州市社区养老服务设施管理办法（征求意见稿）",
		Draft:   "第一条 为加强社区养老服务设施的建设和管理，根据有关法律法规，结合本市实际，制定本办法。\n第二条 本办法适用于本市行政区域内社区养老服务设施的规划、建设、使用和管理。\n第三条 社区养老服务设施应当在工作日全天开放，并配备必要的服务人员。（演示数据）",
		StartOn: today.AddDays(-5), EndOn: today.AddDays(25)}
	at = now.AddDate(0, 0, -5)
	if err := svc.OpenConsultation(ctx, staff["bangongshi"], c); err != nil {
		return fmt.Errorf("demo consultation: %w", err)
	}
	at = now
	return nil
}
