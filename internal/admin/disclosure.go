package admin

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/syndicate"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// DisclosureReader is what the board of required disclosures reads.
// *store.DB implements it.
type DisclosureReader interface {
	DisclosureRecords(ctx context.Context, year int) ([]syndicate.Record, error)
	Reminders(ctx context.Context, orgIDs []int64) ([]syndicate.Reminder, error)
	BoardPublic(ctx context.Context, orgID int64) (bool, error)
}

func (h *handler) disclosureRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/disclosures", h.page(stageFull, h.disclosureBoard))
	mux.Handle("POST /admin/disclosures", h.page(stageFull, h.disclosureEnter))
	mux.Handle("POST /admin/disclosures/public", h.page(stageFull, h.disclosurePublic))
}

var disclosureViewRoles = []account.Role{account.RoleOfficer, account.RoleSection, account.RolePublisher, account.RoleLeader, account.RoleAdmin}

type disclosureForm struct {
	OrgID      int64
	Kind       string
	ApprovedOn string
	ItemID     string
}

type reminderView struct {
	syndicate.Reminder
	OrgName string
}

type disclosureBoardPage struct {
	basePage
	Org       org.Org // whose units the board shows
	Parents   []org.Org
	Year      int
	Years     []int
	Kinds     []syndicate.Kind
	Rows      []syndicate.BoardRow
	Prefix    map[int64]string // org → public path prefix, for item links
	Reminders []reminderView
	Public    bool
	CanPublic bool
	EnterOrgs []org.Org
	Form      disclosureForm
	Errors    map[string]string
}

// cellArgs carries a board cell and its org's path prefix into the
// disclosure-cell partial.
type cellArgs struct {
	Cell   syndicate.Cell
	Prefix string
}

// CellArgs pairs a cell with its org's path prefix, for the template.
func (disclosureBoardPage) CellArgs(c syndicate.Cell, prefix string) cellArgs {
	return cellArgs{Cell: c, Prefix: prefix}
}

func (h *handler) disclosureBoardPage(w http.ResponseWriter, r *http.Request, orgID int64, year int) (disclosureBoardPage, error) {
	if h.Syndicate.Disclosures == nil {
		return disclosureBoardPage{}, apperr.ErrNotFound
	}
	ctx, act := r.Context(), actor(r)
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return disclosureBoardPage{}, err
	}
	scope := org.Scope(orgs, act, disclosureViewRoles...)
	if len(scope) == 0 {
		return disclosureBoardPage{}, apperr.ErrForbidden
	}
	now := web.ChinaTime(h.Now())
	p := disclosureBoardPage{basePage: h.base(w, r, "应公开事项"), Year: year, Kinds: syndicate.Kinds(), Prefix: map[int64]string{}}
	for y := now.Year(); y >= now.Year()-3; y-- {
		p.Years = append(p.Years, y)
	}
	inScope := map[int64]bool{}
	for _, id := range scope {
		inScope[id] = true
	}
	for _, o := range orgs {
		p.Prefix[o.ID] = o.Site.PathPrefix
		if inScope[o.ID] {
			p.Parents = append(p.Parents, o)
			if act.HasAny(org.Path(orgs, o.ID), account.RoleOfficer, account.RoleSection, account.RolePublisher, account.RoleAdmin) {
				p.EnterOrgs = append(p.EnterOrgs, o)
			}
		}
	}
	if !inScope[orgID] {
		orgID = p.Parents[0].ID
	}
	for _, o := range orgs {
		if o.ID == orgID {
			p.Org = o
		}
	}
	recs, err := h.Syndicate.DisclosureReader.DisclosureRecords(ctx, year)
	if err != nil {
		return p, err
	}
	p.Rows = syndicate.Board(orgs, orgID, year, recs, workday.DateOf(now))
	rems, err := h.Syndicate.DisclosureReader.Reminders(ctx, org.Subtree(orgs, []int64{orgID}))
	if err != nil {
		return p, err
	}
	for _, rm := range rems {
		p.Reminders = append(p.Reminders, reminderView{Reminder: rm, OrgName: orgLabel(orgs, rm.OrgID)})
	}
	if p.Public, err = h.Syndicate.DisclosureReader.BoardPublic(ctx, orgID); err != nil {
		return p, err
	}
	p.CanPublic = act.Has(account.RoleAdmin, org.Path(orgs, orgID))
	p.Form.OrgID = orgID
	return p, nil
}

func (h *handler) boardParams(r *http.Request) (int64, int) {
	q := r.URL.Query()
	orgID, _ := strconv.ParseInt(q.Get("org"), 10, 64)
	year, err := strconv.Atoi(q.Get("year"))
	now := web.ChinaTime(h.Now())
	if err != nil || year < 2000 || year > now.Year()+1 {
		year = now.Year()
	}
	return orgID, year
}

// disclosureBoard shows every unit × required disclosure of a year:
// published (with a link), due (days left) or overdue, with the
// reminders the daily job recorded.
func (h *handler) disclosureBoard(w http.ResponseWriter, r *http.Request) error {
	orgID, year := h.boardParams(r)
	p, err := h.disclosureBoardPage(w, r, orgID, year)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "syndicate/disclosures", p)
}

// disclosureEnter stores a unit's approval date and published item.
func (h *handler) disclosureEnter(w http.ResponseWriter, r *http.Request) error {
	orgID, year := h.boardParams(r)
	f := disclosureForm{Kind: r.PostFormValue("kind"), ApprovedOn: r.PostFormValue("approved_on"), ItemID: r.PostFormValue("item_id")}
	f.OrgID, _ = strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	rec := &syndicate.Record{OrgID: f.OrgID, Year: year, Kind: syndicate.Kind(f.Kind)}
	inv := &apperr.Invalid{}
	if f.ApprovedOn != "" {
		d, err := workday.Parse(f.ApprovedOn)
		if err != nil {
			inv.Add("approved_on", "请填写批复日期，格式如 2026-03-02")
		}
		rec.ApprovedOn = d
	}
	if f.ItemID != "" {
		id, err := strconv.ParseInt(f.ItemID, 10, 64)
		if err != nil || id <= 0 {
			inv.Add("item_id", "请填写已发布信息的编号（数字）")
		} else if it, err := h.Pub.Items.Item(r.Context(), id); err != nil || it.OrgID != f.OrgID || !it.Public() {
			inv.Add("item_id", "未找到本单位已发布的该编号信息")
		} else {
			rec.ItemID = id
		}
	}
	err := inv.Err()
	if err == nil {
		err = h.Syndicate.Disclosures.Enter(r.Context(), actor(r), rec)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.disclosureBoardPage(w, r, orgID, year)
		if perr != nil {
			return perr
		}
		p.Form, p.Errors = f, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/disclosures", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, fmt.Sprintf("/admin/disclosures?org=%d&year=%d", orgID, year), "已保存")
	return nil
}

// disclosurePublic shows or hides the board on the org's public site.
func (h *handler) disclosurePublic(w http.ResponseWriter, r *http.Request) error {
	if h.Syndicate.Disclosures == nil {
		return apperr.ErrNotFound
	}
	orgID, year := h.boardParams(r)
	public := r.PostFormValue("public") == "1"
	if err := h.Syndicate.Disclosures.SetBoardPublic(r.Context(), actor(r), orgID, public); err != nil {
		return err
	}
	msg := "看板已不在网站公开"
	if public {
		msg = "看板已在网站公开"
	}
	redirect(w, r, fmt.Sprintf("/admin/disclosures?org=%d&year=%d", orgID, year), msg)
	return nil
}
