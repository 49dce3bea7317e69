package demo

import (
	"context"
	"fmt"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apply"
	"gongkai/internal/org"
)

// ApplyStore is what LoadApplications reads.
type ApplyStore interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	UserByName(ctx context.Context, name string) (*account.User, error)
}

// LoadApplications files a few disclosure applications with the demo
// bureau in different states: one submitted online awaiting confirmation,
// one open, one overdue, one awaiting correction, one under consultation,
// and one answered and delivered that was taken to reconsideration. Names
// and numbers are invented (the identity numbers are the standard's sample
// numbers). It runs after Load, as the system actor.
func LoadApplications(ctx context.Context, st ApplyStore, svc *apply.Service, now time.Time) error {
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
		return fmt.Errorf("demo applications: no demo bureau (run Load first)")
	}
	handler, err := st.UserByName(ctx, "yishenqing")
	if err != nil {
		return err
	}
	sys := account.System("demo")
	today := apply.Today(now)
	person := func(name, id, phone string) apply.Applicant {
		return apply.Applicant{Kind: apply.ApplicantPerson, Name: name, IDType: apply.IDResident, IDNumber: id, Phone: phone, Address: "湖北省随州市曾都区（演示地址）"}
	}
	online := &apply.Application{OrgID: bureau, Applicant: person("张某某", "11010519491231002X", "13900000001"),
		Description: "本市2025年度城乡最低生活保障资金的发放总额和保障人数（演示）", Form: apply.FormElectronic, Way: apply.WayOnline}
	if _, err := svc.Submit(ctx, online, nil); err != nil {
		return fmt.Errorf("demo online application: %w", err)
	}
	type step func(id int64) error
	specs := []struct {
		ch       apply.Channel
		ago      int
		app      apply.Application
		steps    []step
		describe string
	}{
		{apply.ChannelLetter, 8, apply.Application{Applicant: person("李某", "11010519491231002X", "13900000002"),
			Description: "随民发〔2025〕12号文件全文（演示）", DocNo: "随民发〔2025〕12号", Form: apply.FormPaper, Way: apply.WayPost}, nil, "open"},
		{apply.ChannelInPerson, 40, apply.Application{Applicant: apply.Applicant{Kind: apply.ApplicantOrg, Name: "随州某律师事务所（演示）", CreditCode: "91350100M000100Y43",
			LegalRep: "王某", Contact: "赵某", OrgType: apply.OrgLegal, Phone: "0722-0000101"},
			Description: "2025年社会组织年度检查结果（演示）", Form: apply.FormPaper, Way: apply.WayPickup}, nil, "overdue"},
		{apply.ChannelFax, 5, apply.Application{Applicant: person("陈某", "11010519491231002X", "13900000003"),
			Description: "关于养老服务的文件（演示）", Form: apply.FormPaper, Way: apply.WayPost},
			[]step{func(id int64) error {
				_, err := svc.RequestCorrection(ctx, sys, id, today.AddDays(-3), today.AddDays(10), "请说明所需文件的名称、年份或文号")
				return err
			}}, "correction"},
		{apply.ChannelPost, 12, apply.Application{Applicant: apply.Applicant{Kind: apply.ApplicantOrg, Name: "随州某养老服务有限公司（演示）", CreditCode: "91350100M000100Y43",
			LegalRep: "孙某", Contact: "周某", OrgType: apply.OrgBusiness, Phone: "0722-0000102", Email: "demo@example.cn"},
			Description: "2025年养老机构运营补贴的分配明细（演示）", Form: apply.FormElectronic, Way: apply.WayEmail},
			[]step{func(id int64) error {
				_, err := svc.StartConsultation(ctx, sys, id, today.AddDays(-4), apply.PartyThird, "征求涉及的养老机构意见（演示）")
				return err
			}}, "consulting"},
		{apply.ChannelInPerson, 30, apply.Application{Applicant: person("刘某", "11010519491231002X", "13900000004"),
			Description: "本人户籍所在社区的低保公示名单（演示）", Form: apply.FormPaper, Way: apply.WayPickup},
			[]step{func(id int64) error {
				_, _, err := svc.RecordOutcome(ctx, sys, id, apply.Outcome{Category: apply.CatDisclosed, Note: "所申请信息已于社区公示栏和本网站公开。", AnsweredOn: today.AddDays(-20)}, "", "随州市民政局")
				return err
			}, func(id int64) error {
				_, err := svc.RecordDelivery(ctx, sys, id, apply.Delivery{Way: apply.WayPickup, On: today.AddDays(-19)})
				return err
			}, func(id int64) error {
				return svc.SaveCase(ctx, sys, &apply.Case{ApplicationID: id, Kind: apply.CaseReconsideration, Body: "随州市人民政府（演示）",
					FiledOn: today.AddDays(-10), Result: apply.ResultPending})
			}}, "closed"},
	}
	for _, s := range specs {
		a := s.app
		a.OrgID, a.Channel = bureau, s.ch
		if a.Applicant.Address == "" {
			a.Applicant.Address = "湖北省随州市（演示地址）"
		}
		reg, _, err := svc.Register(ctx, sys, apply.Registration{Application: a, ReceivedOn: today.AddDays(-s.ago), Note: "演示数据"})
		if err != nil {
			return fmt.Errorf("demo application (%s): %w", s.describe, err)
		}
		if _, err := svc.Assign(ctx, sys, reg.ID, handler.ID); err != nil {
			return fmt.Errorf("demo application (%s): %w", s.describe, err)
		}
		for _, st := range s.steps {
			if err := st(reg.ID); err != nil {
				return fmt.Errorf("demo application (%s): %w", s.describe, err)
			}
		}
	}
	return nil
}
