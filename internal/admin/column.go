package admin

import (
	"net/http"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

func pathID(r *http.Request) (int64, error) { return web.PathID(r, "id") }

// columnOrg loads the org and checks that the actor may manage its columns.
func (h *handler) columnOrg(r *http.Request, orgID int64) (*org.Org, error) {
	o, err := h.Reader.Org(r.Context(), orgID)
	if err != nil {
		return nil, err
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	if err := actor(r).Require(org.Path(orgs, orgID), account.RoleAdmin, account.RolePublisher); err != nil {
		return nil, err
	}
	return o, nil
}

type columnListPage struct {
	basePage
	Org  *org.Org
	Rows []*org.ColumnNode
}

func (h *handler) columnList(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.columnOrg(r, id)
	if err != nil {
		return err
	}
	cols, err := h.Reader.Columns(r.Context(), id)
	if err != nil {
		return err
	}
	p := columnListPage{basePage: h.base(w, r, "栏目管理："+o.Name), Org: o, Rows: org.Flatten(org.Tree(cols))}
	return h.tmpl.Render(w, http.StatusOK, "column/list", p)
}

type columnFormPage struct {
	basePage
	Org     *org.Org
	Column  org.Column
	Parents []*org.ColumnNode
	Kinds   []org.ColumnKind
	Errors  map[string]string
	New     bool
}

func parseColumnForm(r *http.Request) org.Column {
	sort, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("sort")))
	days, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("update_days")))
	if err != nil && strings.TrimSpace(r.PostFormValue("update_days")) != "" {
		days = -1 // reported by Validate
	}
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	return org.Column{
		ParentID: parent, Kind: org.ColumnKind(r.PostFormValue("kind")), Slug: r.PostFormValue("slug"), Name: r.PostFormValue("name"),
		Sort: sort, Visible: r.PostFormValue("visible") == "1", UpdateDays: days, LinkURL: r.PostFormValue("link_url"), Body: r.PostFormValue("body"),
	}
}

func (h *handler) columnFormPage(w http.ResponseWriter, r *http.Request, o *org.Org, c org.Column, isNew bool, errs map[string]string) (columnFormPage, error) {
	cols, err := h.Reader.Columns(r.Context(), o.ID)
	if err != nil {
		return columnFormPage{}, err
	}
	var parents []*org.ColumnNode
	for _, n := range org.Flatten(org.Tree(cols)) {
		if !isNew && isSelfOrBelow(n, c.ID, cols) {
			continue
		}
		parents = append(parents, n)
	}
	title := "新建栏目"
	if !isNew {
		title = "编辑栏目：" + c.Name
	}
	return columnFormPage{basePage: h.base(w, r, title), Org: o, Column: c, Parents: parents, Kinds: org.ColumnKinds(), Errors: errs, New: isNew}, nil
}

// isSelfOrBelow reports whether n is the column id or one of its
// descendants, which cannot become its parent.
func isSelfOrBelow(n *org.ColumnNode, id int64, cols []org.Column) bool {
	parent := map[int64]int64{}
	for _, c := range cols {
		parent[c.ID] = c.ParentID
	}
	for p, i := n.ID, 0; p != 0 && i <= len(cols); p, i = parent[p], i+1 {
		if p == id {
			return true
		}
	}
	return false
}

func (h *handler) columnNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.columnOrg(r, id)
	if err != nil {
		return err
	}
	p, err := h.columnFormPage(w, r, o, org.Column{Kind: org.ColumnList, Visible: true}, true, nil)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "column/form", p)
}

func (h *handler) columnCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.columnOrg(r, id)
	if err != nil {
		return err
	}
	c := parseColumnForm(r)
	c.OrgID = o.ID
	err = h.Orgs.CreateColumn(r.Context(), actor(r), &c)
	if inv, ok := apperr.AsInvalid(err); ok {
		p, err := h.columnFormPage(w, r, o, c, true, inv.Fields)
		if err != nil {
			return err
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "column/form", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/orgs/"+strconv.FormatInt(o.ID, 10)+"/columns", "已新建栏目“"+c.Name+"”")
	return nil
}

func (h *handler) columnEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.Reader.Column(r.Context(), id)
	if err != nil {
		return err
	}
	o, err := h.columnOrg(r, c.OrgID)
	if err != nil {
		return err
	}
	p, err := h.columnFormPage(w, r, o, *c, false, nil)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "column/form", p)
}

func (h *handler) columnUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := h.Reader.Column(r.Context(), id)
	if err != nil {
		return err
	}
	o, err := h.columnOrg(r, old.OrgID)
	if err != nil {
		return err
	}
	c := parseColumnForm(r)
	c.ID, c.OrgID = id, old.OrgID
	err = h.Orgs.UpdateColumn(r.Context(), actor(r), &c)
	if inv, ok := apperr.AsInvalid(err); ok {
		p, err := h.columnFormPage(w, r, o, c, false, inv.Fields)
		if err != nil {
			return err
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "column/form", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/orgs/"+strconv.FormatInt(o.ID, 10)+"/columns", "已保存栏目“"+c.Name+"”")
	return nil
}

func (h *handler) columnMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	delta := 1
	if r.PostFormValue("dir") == "up" {
		delta = -1
	}
	c, err := h.Reader.Column(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.Orgs.MoveColumn(r.Context(), actor(r), id, delta); err != nil {
		return err
	}
	redirect(w, r, "/admin/orgs/"+strconv.FormatInt(c.OrgID, 10)+"/columns", "已调整“"+c.Name+"”的顺序")
	return nil
}

func (h *handler) columnVisibility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	visible := r.PostFormValue("visible") == "1"
	c, err := h.Reader.Column(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.Orgs.SetColumnVisible(r.Context(), actor(r), id, visible); err != nil {
		return err
	}
	msg := "已隐藏栏目“" + c.Name + "”，公众将看不到它"
	if visible {
		msg = "已显示栏目“" + c.Name + "”"
	}
	redirect(w, r, "/admin/orgs/"+strconv.FormatInt(c.OrgID, 10)+"/columns", msg)
	return nil
}
