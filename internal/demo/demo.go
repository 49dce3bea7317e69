// Package demo loads a demonstration site group into an empty database:
// 随州市人民政府 with 随州市民政局 and two of its subordinate units, the
// bureau's columns as its 2017 annual report names them, one staff user per
// role, and the report itself as the bureau's 2017 annual report page. It
// goes through the domain services, so the audit trail records it all.
package demo

import (
	"context"
	_ "embed"
	"errors"
	"fmt"

	"gongkai/internal/account"
	"gongkai/internal/org"
)

//go:embed content/report-2017.txt
var report2017 string

// Report2017 is the bureau's 2017 annual report in Simplified Chinese,
// converted from the seed's Traditional text without its pinyin
// annotations.
func Report2017() string { return report2017 }

// Store is what Load needs to read.
type Store interface {
	Orgs(ctx context.Context) ([]org.Org, error)
}

// Credential is a demo user's sign-in, printed once by the demo command.
type Credential struct {
	Username string
	Name     string
	Roles    string
	Password string
}

// ErrNotEmpty reports that the database already holds orgs.
var ErrNotEmpty = errors.New("demo: database is not empty")

type orgSpec struct {
	key    string
	parent string
	org    org.Org
	cols   []colSpec
}

type colSpec struct {
	parent string // slug of the parent column
	col    org.Column
}

func page(slug, name, body string) colSpec {
	return colSpec{col: org.Column{Kind: org.ColumnPage, Slug: slug, Name: name, Visible: true, Body: body}}
}

func list(slug, name string, days int) colSpec {
	return colSpec{col: org.Column{Kind: org.ColumnList, Slug: slug, Name: name, Visible: true, UpdateDays: days}}
}

func under(parent string, c colSpec) colSpec { c.parent = parent; return c }

// The site identification codes, record numbers and addresses below are
// invented for the demo; a real deployment enters its own.
func specs() []orgSpec {
	disclosure := func(unit string) []colSpec {
		return []colSpec{
			list("zwgk", "政务公开", 0),
			under("zwgk", page("xxgkzn", "政府信息公开指南", unit+"政府信息公开指南。\n本指南依据《中华人民共和国政府信息公开条例》第十二条编制，说明政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、办公时间、联系电话、传真号码、互联网联系方式等内容，并及时更新。")),
			under("zwgk", page("xxgkzd", "政府信息公开制度", unit+"政府信息公开制度包括：政府信息公开保密审查制度、主动公开制度、依申请公开办理制度、政府信息公开工作年度报告制度。")),
			under("zwgk", list("fdzdgknr", "法定主动公开内容", 180)),
			under("zwgk", list("xxgknb", "政府信息公开年报", 365)),
		}
	}
	bureau := []colSpec{
		page("ldbz", "领导班子", "局党组书记、局长：主持局全面工作。\n局党组成员、副局长：分管社会救助、社会福利和慈善事业促进工作。\n局党组成员、副局长：分管基层政权和社区建设、区划地名工作。\n（演示数据，部署后由本单位填写。）"),
		page("jgzn", "机构职能", "随州市民政局是市人民政府工作部门，主要职责是：贯彻落实国家、省关于民政工作的方针政策和法律法规；负责社会救助、养老服务、儿童福利、社会事务、行政区划和地名管理、社会组织登记管理等工作；指导局属单位开展工作。\n内设机构：办公室、社会救助科、养老服务科、区划地名科、社会组织管理科等。\n局属单位：随州市社会福利院、随州市救助管理站等。"),
		list("bszn", "办事指南", 180),
		list("tzgg", "通知公告", 180),
		list("jgdj", "机关党建", 14),
		page("fwck", "服务窗口", "民政服务窗口设在市政务服务中心，办理婚姻登记、社会组织登记、地名命名更名等事项。\n办公时间：工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）。"),
	}
	bureau = append(bureau, disclosure("随州市民政局")...)
	bureau = append(bureau,
		under("xxgknb", page("nb2017", "随州市民政局2017年政府信息公开工作年度报告", report2017)),
		// 公众互动 leads to the interaction pages (site/interact.go).
		colSpec{col: org.Column{Kind: org.ColumnLink, Slug: "gzhd", Name: "公众互动", Visible: true, LinkURL: "/mzj/interact/"}},
		colSpec{col: org.Column{Kind: org.ColumnTopic, Slug: "jzfp", Name: "发挥民政职能，助力精准扶贫", Visible: true}},
		colSpec{col: org.Column{Kind: org.ColumnTopic, Slug: "dmpc", Name: "开展地名普查，共建文明随州", Visible: true}},
	)
	unit := func(name string) []colSpec {
		return append([]colSpec{
			page("jggk", "机构概况", name+"是随州市民政局所属公益性事业单位。（演示数据）"),
			list("tzgg", "通知公告", 180),
		}, append(disclosure(name), under("zwgk", list("yjsgk", "预算决算", 365)))...)
	}
	return []orgSpec{
		{key: "city", org: org.Org{Code: "42130000", Name: "随州市人民政府", ShortName: "市政府", Sort: 10,
			Site: org.Site{Name: "随州市人民政府门户网站", SiteCode: "4213000001", ICP: "鄂ICP备00000000号（演示）", PSB: "鄂公网安备00000000000000号（演示）",
				Address: "湖北省随州市（演示地址）", Phone: "0722-0000000（演示）", PathPrefix: "szf", Host: "szf.gongkai.test"}},
			cols: append([]colSpec{list("zwdt", "政务动态", 14), list("tzgg", "通知公告", 180)}, disclosure("随州市人民政府")...)},
		{key: "bureau", parent: "city", org: org.Org{Code: "42130021", Name: "随州市民政局", ShortName: "市民政局", Sort: 20,
			Site: org.Site{Name: "随州市民政局", SiteCode: "4213000021", ICP: "鄂ICP备00000021号（演示）", PSB: "鄂公网安备00000000000021号（演示）",
				Address: "湖北省随州市（演示地址）", Phone: "0722-0000021（演示）", PathPrefix: "mzj", IsDefault: true}},
			cols: bureau},
		{key: "welfare", parent: "bureau", org: org.Org{Code: "42130021-01", Name: "随州市社会福利院", ShortName: "市社会福利院", Sort: 30,
			Site: org.Site{Name: "随州市社会福利院", PathPrefix: "flj", Address: "湖北省随州市（演示地址）", Phone: "0722-0000031（演示）"}},
			cols: unit("随州市社会福利院")},
		{key: "rescue", parent: "bureau", org: org.Org{Code: "42130021-02", Name: "随州市救助管理站", ShortName: "市救助管理站", Sort: 40,
			Site: org.Site{Name: "随州市救助管理站", PathPrefix: "jzz", Address: "湖北省随州市（演示地址）", Phone: "0722-0000032（演示）"}},
			cols: unit("随州市救助管理站")},
	}
}

type userSpec struct {
	username, name, org string
	roles               []account.Role
}

func users() []userSpec {
	return []userSpec{
		{"admin", "王管理", "city", []account.Role{account.RoleAdmin}},
		{"xinxiyuan", "李信息", "bureau", []account.Role{account.RoleOfficer}},
		{"kezhang", "张科长", "bureau", []account.Role{account.RoleSection}},
		{"baomi", "赵保密", "bureau", []account.Role{account.RoleReviewer}},
		{"bangongshi", "刘发布", "bureau", []account.Role{account.RolePublisher}},
		{"yishenqing", "陈经办", "bureau", []account.Role{account.RoleHandler}},
		{"lingdao", "周领导", "bureau", []account.Role{account.RoleLeader}},
		{"mzj.admin", "孙管理", "bureau", []account.Role{account.RoleAdmin}},
		{"fly.xinxiyuan", "吴信息", "welfare", []account.Role{account.RoleOfficer}},
		// The city portal's office: accepts items the bureaus push (issue 9).
		{"szf.bangongshi", "郑门户", "city", []account.Role{account.RolePublisher}},
	}
}

// Load creates the demo site group through the services, as the system
// actor. It refuses a database that already has orgs (ErrNotEmpty) and
// returns the demo users' passwords, which are random and shown only once.
func Load(ctx context.Context, st Store, orgs *org.Service, accounts *account.Service) ([]Credential, error) {
	existing, err := st.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, ErrNotEmpty
	}
	sys := account.System("demo")
	ids := map[string]int64{}
	for _, s := range specs() {
		o := s.org
		o.ParentID = ids[s.parent]
		if err := orgs.CreateOrg(ctx, sys, &o); err != nil {
			return nil, fmt.Errorf("create demo org %s: %w", o.Name, err)
		}
		ids[s.key] = o.ID
		colIDs := map[string]int64{}
		for i, cs := range s.cols {
			c := cs.col
			c.OrgID = o.ID
			c.ParentID = colIDs[cs.parent]
			c.Sort = (i + 1) * 10
			if err := orgs.CreateColumn(ctx, sys, &c); err != nil {
				return nil, fmt.Errorf("create demo column %s: %w", c.Name, err)
			}
			colIDs[c.Slug] = c.ID
		}
	}
	var creds []Credential
	for _, us := range users() {
		u := &account.User{Username: us.username, DisplayName: us.name, OrgID: ids[us.org]}
		for _, r := range us.roles {
			u.Grants = append(u.Grants, account.Grant{OrgID: ids[us.org], Role: r})
		}
		pw := account.RandomPassword()
		if _, err := accounts.CreateUser(ctx, sys, u, pw); err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", us.username, err)
		}
		creds = append(creds, Credential{Username: u.Username, Name: u.DisplayName, Roles: joinLabels(u.RoleLabels()), Password: pw})
	}
	return creds, nil
}

func joinLabels(ls []string) string {
	out := ""
	for i, l := range ls {
		if i > 0 {
			out += "、"
		}
		out += l
	}
	return out
}
