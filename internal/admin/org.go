package admin

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
)

type dashboardPage struct {
	basePage
	Orgs       []org.Org
	HomeOrg    *org.Org
	Roles      []string
	UserCount  int
	ColumnRows int
	Recent     []audit.Record
	HasTOTP    bool
}

func (h *handler) dashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a := authOf(r)
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	p := dashboardPage{basePage: h.base(w, r, "工作台"), Roles: a.user.RoleLabels(), HasTOTP: a.user.TOTPSecret != ""}
	for i := range orgs {
		if orgs[i].ID == a.user.OrgID {
			p.HomeOrg = &orgs[i]
		}
	}
	scope := org.Scope(orgs, actor(r), account.RoleAdmin, account.RolePublisher)
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	if p.HomeOrg != nil {
		cols, err := h.Reader.Columns(ctx, p.HomeOrg.ID)
		if err != nil {
			return err
		}
		p.ColumnRows = len(cols)
	}
	if admScope := org.Scope(orgs, actor(r), account.RoleAdmin); len(admScope) > 0 {
		users, err := h.Reader.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			if slices.Contains(admScope, u.OrgID) {
				p.UserCount++
			}
		}
		recs, err := h.Reader.AuditRecords(ctx, audit.Filter{OrgIDs: append(admScope, 0), Limit: 10})
		if err != nil {
			return err
		}
		p.Recent = recs
	}
	return h.tmpl.Render(w, http.StatusOK, "dashboard", p)
}

type orgRow struct {
	org.Org
	Depth      int
	CanEdit    bool
	CanColumns bool
}

type orgListPage struct {
	basePage
	Rows   []orgRow
	CanAdd bool
}

// orgRows arranges orgs as an indented tree.
func orgRows(orgs []org.Org) []orgRow {
	children := map[int64][]org.Org{}
	ids := map[int64]bool{}
	for _, o := range orgs {
		ids[o.ID] = true
	}
	for _, o := range orgs {
		p := o.ParentID
		if !ids[p] {
			p = 0
		}
		children[p] = append(children[p], o)
	}
	var out []orgRow
	var walk func(int64, int)
	walk = func(id int64, depth int) {
		for _, o := range children[id] {
			out = append(out, orgRow{Org: o, Depth: depth})
			walk(o.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

func (h *handler) orgList(w http.ResponseWriter, r *http.Request) error {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return err
	}
	act := actor(r)
	admins := org.Scope(orgs, act, account.RoleAdmin)
	pubs := org.Scope(orgs, act, account.RolePublisher)
	var visible []org.Org
	for _, o := range orgs {
		if slices.Contains(admins, o.ID) || slices.Contains(pubs, o.ID) {
			visible = append(visible, o)
		}
	}
	if len(visible) == 0 {
		return apperr.ErrForbidden
	}
	p := orgListPage{basePage: h.base(w, r, "机构与站点"), CanAdd: len(admins) > 0}
	for _, row := range orgRows(visible) {
		row.CanEdit = slices.Contains(admins, row.ID)
		row.CanColumns = row.CanEdit || slices.Contains(pubs, row.ID)
		p.Rows = append(p.Rows, row)
	}
	return h.tmpl.Render(w, http.StatusOK, "org/list", p)
}

type orgFormPage struct {
	basePage
	Themes  []org.Theme
	Org     org.Org
	Parents []orgRow
	Errors  map[string]string
	New     bool
}

func parseOrgForm(r *http.Request) org.Org {
	sort, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("sort")))
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	return org.Org{
		ParentID: parent, Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), ShortName: r.PostFormValue("short_name"), Sort: sort,
		Site: org.Site{
			Name: r.PostFormValue("site_name"), SiteCode: r.PostFormValue("site_code"), ICP: r.PostFormValue("icp"), PSB: r.PostFormValue("psb"),
			Address: r.PostFormValue("address"), Phone: r.PostFormValue("phone"), Host: r.PostFormValue("host"),
			PathPrefix: r.PostFormValue("path_prefix"), IsDefault: r.PostFormValue("is_default") == "1", Theme: r.PostFormValue("theme"),
		},
	}
}

func (h *handler) orgFormPage(w http.ResponseWriter, r *http.Request, o org.Org, isNew bool, errs map[string]string) (orgFormPage, error) {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return orgFormPage{}, err
	}
	admins := org.Scope(orgs, actor(r), account.RoleAdmin)
	var parents []org.Org
	exclude := []int64{}
	if !isNew {
		exclude = org.Subtree(orgs, []int64{o.ID}) // no cycles offered
	}
	for _, x := range orgs {
		if slices.Contains(admins, x.ID) && !slices.Contains(exclude, x.ID) {
			parents = append(parents, x)
		}
	}
	title := "新建机构"
	if !isNew {
		title = "编辑机构：" + o.Name
	}
	return orgFormPage{basePage: h.base(w, r, title), Themes: org.Themes(), Org: o, Parents: orgRows(parents), Errors: errs, New: isNew}, nil
}

func (h *handler) orgNew(w http.ResponseWriter, r *http.Request) error {
	o := org.Org{ParentID: authOf(r).user.OrgID}
	p, err := h.orgFormPage(w, r, o, true, nil)
	if err != nil {
		return err
	}
	if len(p.Parents) == 0 {
		return apperr.ErrForbidden
	}
	return h.tmpl.Render(w, http.StatusOK, "org/form", p)
}

func (h *handler) orgCreate(w http.ResponseWriter, r *http.Request) error {
	o := parseOrgForm(r)
	err := h.Orgs.CreateOrg(r.Context(), actor(r), &o)
	if inv, ok := apperr.AsInvalid(err); ok {
		p, err := h.orgFormPage(w, r, o, true, inv.Fields)
		if err != nil {
			return err
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "org/form", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/orgs", "已新建机构“"+o.Name+"”")
	return nil
}

func (h *handler) orgEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.Reader.Org(r.Context(), id)
	if err != nil {
		return err
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return err
	}
	if err := actor(r).Require(org.Path(orgs, id), account.RoleAdmin); err != nil {
		return err
	}
	p, err := h.orgFormPage(w, r, *o, false, nil)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "org/form", p)
}

func (h *handler) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o := parseOrgForm(r)
	o.ID = id
	err = h.Orgs.UpdateOrg(r.Context(), actor(r), &o)
	if inv, ok := apperr.AsInvalid(err); ok {
		p, err := h.orgFormPage(w, r, o, false, inv.Fields)
		if err != nil {
			return err
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "org/form", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/orgs", "已保存机构“"+o.Name+"”")
	return nil
}
