package demo

import (
	"context"
	"fmt"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/org"
	"gongkai/internal/publish"
)

// ItemStore is what LoadItems reads.
type ItemStore interface {
	UserByName(ctx context.Context, name string) (*account.User, error)
	OrgByCode(ctx context.Context, code string) (*org.Org, error)
	ColumnBySlug(ctx context.Context, orgID int64, slug string) (*org.Column, error)
}

type itemSpec struct {
	column  string
	also    []string
	draft   publish.Draft
	repeal  string // date: repealed after publishing
	update  string // body of a public update, with change note note
	note    string
	pending bool // left waiting for confidentiality review, to fill the queue
}

// The items below are invented for the demonstration, in the style of a
// civil affairs bureau's site; dates are relative to the day of loading.
func itemSpecs(today time.Time) []itemSpec {
	d := func(days int) string { return today.AddDate(0, 0, -days).Format("2006-01-02") }
	base := func(title, genre, topic, docNo, body string, age int) publish.Draft {
		return publish.Draft{Title: title, Body: body, Issuer: "随州市民政局", Topic: topic, Genre: genre, DocNo: docNo,
			WrittenDate: d(age), FormedDate: d(age), Disclosure: publish.DiscloseProactive}
	}
	return []itemSpec{
		{column: "fdzdgknr", draft: base("随州市民政局关于调整城乡最低生活保障标准的通知（2025年）", "规范性文件", "民政、扶贫、救灾", "随民发〔2025〕6号",
			"<p>各县（市、区）民政局：</p><p>经市人民政府同意，自2025年1月1日起，城市居民最低生活保障标准调整为每人每月720元，农村居民最低生活保障标准调整为每人每年6000元。</p><p>（演示数据）</p>", 400),
			repeal: d(10)},
		{column: "fdzdgknr", also: []string{"jzfp"}, draft: base("随州市民政局关于调整城乡最低生活保障标准的通知", "规范性文件", "民政、扶贫、救灾", "随民发〔2026〕2号",
			`<p>各县（市、区）民政局：</p><p>经市人民政府同意，现将城乡最低生活保障标准调整事项通知如下：</p><h2>一、调整标准</h2><table><tr><th scope="col">类别</th><th scope="col">原标准</th><th scope="col">新标准</th></tr><tr><td>城市居民（元/人·月）</td><td>720</td><td>760</td></tr><tr><td>农村居民（元/人·年）</td><td>6000</td><td>6360</td></tr></table><h2>二、执行时间</h2><p>新标准自2026年1月1日起执行。《随州市民政局关于调整城乡最低生活保障标准的通知（2025年）》（随民发〔2025〕6号）同时废止。</p><p>（演示数据）</p>`, 12)},
		{column: "tzgg", draft: base("关于开展2026年社会救助政策宣传月活动的通知", "通知", "民政、扶贫、救灾", "随民办〔2026〕3号",
			"<p>各县（市、区）民政局，局属各单位：</p><p>为进一步提高社会救助政策知晓率，定于3月在全市开展社会救助政策宣传月活动。</p><ol><li>宣传最低生活保障、特困人员救助供养政策；</li><li>公布各地社会救助服务热线；</li><li>走访困难群众，现场受理救助申请。</li></ol><p>（演示数据）</p>", 5),
			update: "<p>各县（市、区）民政局，局属各单位：</p><p>为进一步提高社会救助政策知晓率，定于3月在全市开展社会救助政策宣传月活动，活动时间延长至4月15日。</p><ol><li>宣传最低生活保障、特困人员救助供养政策；</li><li>公布各地社会救助服务热线；</li><li>走访困难群众，现场受理救助申请。</li></ol><p>（演示数据）</p>",
			note:   "活动时间延长至4月15日"},
		{column: "tzgg", draft: base("随州市民政局关于公布2025年度养老机构等级评定结果的公告", "公告", "民政、扶贫、救灾", "",
			"<p>根据《养老机构等级划分与评定》国家标准，经组织评定，现将结果公告如下：随州市社会福利院为四级养老机构。</p><p>公示期内如有异议，请向市民政局养老服务科反映。</p><p>（演示数据）</p>", 3)},
		{column: "bszn", draft: base("内地居民结婚登记办事指南", "办事指南", "民政、扶贫、救灾", "",
			"<h2>办理条件</h2><p>男女双方自愿结婚，达到法定婚龄，且无禁止结婚的情形。</p><h2>所需材料</h2><ul><li>本人的居民身份证；</li><li>本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明。</li></ul><h2>办理地点</h2><p>市政务服务中心民政窗口。办理时限：即时办结。不收费。</p><p>（演示数据）</p>", 30)},
		{column: "bszn", draft: base("社会团体成立登记办事指南", "办事指南", "民政、扶贫、救灾", "",
			"<h2>办理依据</h2><p>《社会团体登记管理条例》。</p><h2>所需材料</h2><ul><li>登记申请书；</li><li>业务主管单位的批准文件；</li><li>验资报告、场所使用权证明；</li><li>章程草案。</li></ul><p>办理时限：自收到全部有效文件之日起60日内。（演示数据）</p>", 30)},
		{column: "dmpc", draft: base("我市第二次全国地名普查成果转化应用工作取得阶段性进展", "工作动态", "民政、扶贫、救灾", "",
			"<p>近日，市民政局召开地名普查成果转化应用推进会，标准地名图录典志编纂、地名信息服务平台建设等工作取得阶段性进展。</p><p>（演示数据）</p>", 8)},
		// The bureau's 2017 annual report, the seed of this project, as a
		// published item of the annual-report column (the single page
		// /col/nb2017/ shows the same text). Formed in 2018, it is listed
		// as published late, which is what a back-filled archive is.
		{column: "xxgknb", draft: publish.Draft{Title: "随州市民政局2017年政府信息公开工作年度报告", Body: report2017,
			Issuer: "随州市民政局", Topic: "综合政务", Genre: "工作报告", WrittenDate: "2018-01-31", FormedDate: "2018-01-31",
			Disclosure: publish.DiscloseProactive, Keywords: "政府信息公开 年度报告 2017"}},
		{column: "tzgg", draft: base("关于征集2026年民生实事项目意见建议的通知", "通知", "综合政务", "",
			"<p>为做好2026年民生实事项目谋划，现面向社会公开征集意见建议。</p><p>（演示数据，待保密审查）</p>", 1), pending: true},
	}
}

// LoadItems publishes the demo bureau's items through the publishing
// service as the demo users (officer, section head, reviewer, publisher),
// so that the audit trail and the publication log are real. Load must
// have run first.
func LoadItems(ctx context.Context, st ItemStore, svc *publish.Service, now time.Time) error {
	bureau, err := st.OrgByCode(ctx, "42130021")
	if err != nil {
		return err
	}
	as := map[string]account.Actor{}
	for _, name := range []string{"xinxiyuan", "kezhang", "baomi", "bangongshi"} {
		u, err := st.UserByName(ctx, name)
		if err != nil {
			return err
		}
		as[name] = account.ActorFor(u, "")
	}
	colID := func(slug string) (int64, error) {
		c, err := st.ColumnBySlug(ctx, bureau.ID, slug)
		if err != nil {
			return 0, fmt.Errorf("demo column %s: %w", slug, err)
		}
		return c.ID, nil
	}
	review := func(id int64) error {
		if err := svc.Submit(ctx, as["xinxiyuan"], id); err != nil {
			return err
		}
		if err := svc.SectionApprove(ctx, as["kezhang"], id); err != nil {
			return err
		}
		return svc.Approve(ctx, as["baomi"], id)
	}
	for _, s := range itemSpecs(now.In(time.FixedZone("CST", 8*3600))) {
		d := s.draft
		if d.ColumnID, err = colID(s.column); err != nil {
			return err
		}
		for _, a := range s.also {
			id, err := colID(a)
			if err != nil {
				return err
			}
			d.Columns = append(d.Columns, id)
		}
		it, err := svc.Create(ctx, as["xinxiyuan"], bureau.ID, d)
		if err != nil {
			return fmt.Errorf("demo item %s: %w", d.Title, err)
		}
		if s.pending {
			if err := svc.Submit(ctx, as["xinxiyuan"], it.ID); err != nil {
				return err
			}
			if err := svc.SectionApprove(ctx, as["kezhang"], it.ID); err != nil {
				return err
			}
			continue
		}
		if err := review(it.ID); err != nil {
			return fmt.Errorf("demo item %s: %w", d.Title, err)
		}
		if err := svc.Publish(ctx, as["bangongshi"], it.ID); err != nil {
			return fmt.Errorf("demo item %s: %w", d.Title, err)
		}
		if s.repeal != "" {
			if err := svc.SetValidity(ctx, as["bangongshi"], it.ID, publish.ActRepeal, s.repeal); err != nil {
				return err
			}
		}
		if s.update != "" {
			if err := svc.StartUpdate(ctx, as["xinxiyuan"], it.ID); err != nil {
				return err
			}
			d.Body, d.ChangeNote = s.update, s.note
			if err := svc.Save(ctx, as["xinxiyuan"], it.ID, 1, d); err != nil {
				return err
			}
			if err := review(it.ID); err != nil {
				return err
			}
			if err := svc.Publish(ctx, as["bangongshi"], it.ID); err != nil {
				return err
			}
		}
	}
	return nil
}
