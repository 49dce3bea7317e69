package admin

import (
	"net/http"
	"slices"
	"strconv"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
)

func roleLabel(r account.Role) string { return r.Label() }

type userRow struct {
	account.User
	OrgName string
	Locked  bool
}

type userListPage struct {
	basePage
	Rows []userRow
}

// adminScope returns the orgs the actor administers; it fails with
// ErrForbidden when there are none.
func (h *handler) adminScope(r *http.Request) ([]org.Org, []int64, error) {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, nil, err
	}
	scope := org.Scope(orgs, actor(r), account.RoleAdmin)
	if len(scope) == 0 {
		return nil, nil, apperr.ErrForbidden
	}
	return orgs, scope, nil
}

func orgName(orgs []org.Org, id int64) string {
	for _, o := range orgs {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

func (h *handler) userList(w http.ResponseWriter, r *http.Request) error {
	orgs, scope, err := h.adminScope(r)
	if err != nil {
		return err
	}
	users, err := h.Reader.Users(r.Context())
	if err != nil {
		return err
	}
	p := userListPage{basePage: h.base(w, r, "用户管理")}
	now := h.Now()
	for _, u := range users {
		if !slices.Contains(scope, u.OrgID) {
			continue
		}
		p.Rows = append(p.Rows, userRow{User: u, OrgName: orgName(orgs, u.OrgID), Locked: now.Before(u.LockedUntil)})
	}
	return h.tmpl.Render(w, http.StatusOK, "user/list", p)
}

// grantRow is one line of the roles table: an org and the roles held there.
type grantRow struct {
	OrgID int64
	Roles []account.Role
}

func (g grantRow) Has(r account.Role) bool { return slices.Contains(g.Roles, r) }

type userFormPage struct {
	basePage
	User   account.User
	Orgs   []orgRow
	Grants []grantRow
	Roles  []account.Role
	Errors map[string]string
	New    bool
}

func grantRows(u account.User) []grantRow {
	var rows []grantRow
	for _, g := range u.Grants {
		i := slices.IndexFunc(rows, func(r grantRow) bool { return r.OrgID == g.OrgID })
		if i < 0 {
			rows = append(rows, grantRow{OrgID: g.OrgID})
			i = len(rows) - 1
		}
		rows[i].Roles = append(rows[i].Roles, g.Role)
	}
	if len(rows) == 0 {
		rows = append(rows, grantRow{OrgID: u.OrgID})
	}
	return append(rows, grantRow{}) // a blank line to add roles in another org
}

func (h *handler) userFormPage(w http.ResponseWriter, r *http.Request, u account.User, isNew bool, errs map[string]string) (userFormPage, error) {
	orgs, scope, err := h.adminScope(r)
	if err != nil {
		return userFormPage{}, err
	}
	var inScope []org.Org
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			inScope = append(inScope, o)
		}
	}
	title := "新建用户"
	if !isNew {
		title = "编辑用户：" + u.DisplayName
	}
	return userFormPage{basePage: h.base(w, r, title), User: u, Orgs: orgRows(inScope), Grants: grantRows(u),
		Roles: account.Roles(), Errors: errs, New: isNew}, nil
}

// parseUserForm reads the user fields and the roles table: rows numbered
// 0..grant_rows-1, each with grant_org_N and role_N (repeated).
func parseUserForm(r *http.Request) (account.User, error) {
	if err := r.ParseForm(); err != nil {
		return account.User{}, apperr.Invalidf("", "表单无法解析")
	}
	orgID, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	u := account.User{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"), OrgID: orgID}
	n, _ := strconv.Atoi(r.PostFormValue("grant_rows"))
	if n > 50 {
		n = 50
	}
	for i := 0; i < n; i++ {
		gOrg, _ := strconv.ParseInt(r.PostFormValue("grant_org_"+strconv.Itoa(i)), 10, 64)
		if gOrg == 0 {
			continue
		}
		roles, err := account.ParseRoles(joinValues(r.PostForm["role_"+strconv.Itoa(i)]))
		if err != nil {
			return u, err
		}
		for _, role := range roles {
			g := account.Grant{OrgID: gOrg, Role: role}
			if !slices.Contains(u.Grants, g) {
				u.Grants = append(u.Grants, g)
			}
		}
	}
	return u, nil
}

func joinValues(vs []string) string {
	out := ""
	for i, v := range vs {
		if i > 0 {
			out += ","
		}
		out += v
	}
	return out
}

func (h *handler) userNew(w http.ResponseWriter, r *http.Request) error {
	p, err := h.userFormPage(w, r, account.User{OrgID: authOf(r).user.OrgID}, true, nil)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "user/form", p)
}

type secretPage struct {
	basePage
	Subject  account.User
	Password string
	Created  bool
}

func (h *handler) userCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := parseUserForm(r)
	if err == nil {
		var pw string
		pw, err = h.Accounts.CreateUser(r.Context(), actor(r), &u, "")
		if err == nil {
			p := secretPage{basePage: h.base(w, r, "用户已创建"), Subject: u, Password: pw, Created: true}
			return h.tmpl.Render(w, http.StatusOK, "user/secret", p)
		}
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, err := h.userFormPage(w, r, u, true, inv.Fields)
		if err != nil {
			return err
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "user/form", p)
	}
	return err
}

func (h *handler) userEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	u, err := h.Reader.User(r.Context(), id)
	if err != nil {
		return err
	}
	_, scope, err := h.adminScope(r)
	if err != nil {
		return err
	}
	if !slices.Contains(scope, u.OrgID) {
		return apperr.ErrForbidden
	}
	p, err := h.userFormPage(w, r, *u, false, nil)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "user/form", p)
}

func (h *handler) userUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	old, err := h.Reader.User(r.Context(), id)
	if err != nil {
		return err
	}
	u, err := parseUserForm(r)
	u.ID, u.Username = id, old.Username
	if err == nil {
		err = h.Accounts.UpdateUser(r.Context(), actor(r), &u)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		u.TOTPSecret, u.Disabled = old.TOTPSecret, old.Disabled
		p, err := h.userFormPage(w, r, u, false, inv.Fields)
		if err != nil {
			return err
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "user/form", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/users", "已保存用户“"+u.DisplayName+"”，其登录已失效，需重新登录")
	return nil
}

func (h *handler) userResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pw, err := h.Accounts.ResetPassword(r.Context(), actor(r), id, "")
	if err != nil {
		return err
	}
	u, err := h.Reader.User(r.Context(), id)
	if err != nil {
		return err
	}
	p := secretPage{basePage: h.base(w, r, "密码已重置"), Subject: *u, Password: pw}
	return h.tmpl.Render(w, http.StatusOK, "user/secret", p)
}

func (h *handler) userAction(w http.ResponseWriter, r *http.Request, fn func(account.Actor, int64) error, msg string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := fn(actor(r), id); err != nil {
		if inv, ok := apperr.AsInvalid(err); ok {
			h.ErrorPage(w, r, http.StatusUnprocessableEntity, inv.Fields[""])
			return nil
		}
		return err
	}
	redirect(w, r, "/admin/users", msg)
	return nil
}

func (h *handler) userDisable(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(w, r, func(a account.Actor, id int64) error { return h.Accounts.SetDisabled(r.Context(), a, id, true) }, "已停用该用户，其登录已失效")
}

func (h *handler) userEnable(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(w, r, func(a account.Actor, id int64) error { return h.Accounts.SetDisabled(r.Context(), a, id, false) }, "已启用该用户")
}

func (h *handler) userResetTOTP(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(w, r, func(a account.Actor, id int64) error { return h.Accounts.ResetTOTP(r.Context(), a, id) }, "已重置双因素认证，该用户下次登录时需重新绑定")
}

func (h *handler) userUnlock(w http.ResponseWriter, r *http.Request) error {
	return h.userAction(w, r, func(a account.Actor, id int64) error { return h.Accounts.Unlock(r.Context(), a, id) }, "已解除登录锁定")
}

type auditPage struct {
	basePage
	Records  []audit.Record
	Orgs     []org.Org
	Actions  []audit.Action
	Filter   auditQuery
	NextID   int64
	OrgNames map[int64]string
}

type auditQuery struct {
	OrgID    int64
	Action   string
	Actor    string
	From, To string
}

func (h *handler) auditList(w http.ResponseWriter, r *http.Request) error {
	orgs, scope, err := h.adminScope(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	fq := auditQuery{Action: q.Get("action"), Actor: q.Get("actor"), From: q.Get("from"), To: q.Get("to")}
	fq.OrgID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	f := audit.Filter{Action: fq.Action, Actor: fq.Actor, Limit: 100}
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	if fq.OrgID != 0 {
		if !slices.Contains(scope, fq.OrgID) {
			return apperr.ErrForbidden
		}
		f.OrgIDs = []int64{fq.OrgID}
	} else if !actor(r).System && !isRootAdmin(orgs, actor(r)) {
		// Records without an org (failed logins of unknown names, system
		// events) are for site-group administrators only.
		f.OrgIDs = scope
	}
	if t, err := parseDate(fq.From); err == nil {
		f.From = t
	}
	if t, err := parseDate(fq.To); err == nil {
		f.To = t.AddDate(0, 0, 1)
	}
	recs, err := h.Reader.AuditRecords(r.Context(), f)
	if err != nil {
		return err
	}
	p := auditPage{basePage: h.base(w, r, "审计日志"), Records: recs, Actions: audit.Actions(), Filter: fq, OrgNames: map[int64]string{}}
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			p.Orgs = append(p.Orgs, o)
			p.OrgNames[o.ID] = o.Label()
		}
	}
	if len(recs) == f.Limit {
		p.NextID = recs[len(recs)-1].ID
	}
	return h.tmpl.Render(w, http.StatusOK, "audit/list", p)
}

// isRootAdmin reports whether the actor administers a root org, that is
// the whole site group.
func isRootAdmin(orgs []org.Org, a account.Actor) bool {
	for _, o := range orgs {
		if o.ParentID == 0 && a.Has(account.RoleAdmin, []int64{o.ID}) {
			return true
		}
	}
	return false
}
