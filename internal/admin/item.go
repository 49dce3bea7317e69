package admin

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/blob"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// ItemReader is what the item pages read. *store.DB implements it.
type ItemReader interface {
	Item(ctx context.Context, id int64) (*publish.Item, error)
	ItemVersion(ctx context.Context, id int64, n int) (*publish.Version, error)
	ItemVersions(ctx context.Context, id int64) ([]publish.Version, error)
	ItemAttachments(ctx context.Context, id int64, version int) ([]publish.Attachment, error)
	Items(ctx context.Context, f publish.Filter) ([]publish.Listed, int, error)
	Topics(ctx context.Context) ([]string, error)
	Attachment(ctx context.Context, id int64) (*publish.Attachment, error)
}

// PublishConfig holds what the item and review pages need.
type PublishConfig struct {
	Service  *publish.Service
	Items    ItemReader
	Files    *blob.Local
	Calendar *workday.Calendar
	// Tokens manages API tokens; TokenList lists them.
	Tokens    *publish.Tokens
	TokenList TokenReader
	// Findings reads screening findings (issue 4; admin/screening.go).
	Findings FindingReader
}

// staffRoles may see an org's items in the staff UI.
var staffRoles = []account.Role{account.RoleOfficer, account.RoleSection, account.RoleReviewer, account.RolePublisher,
	account.RoleLeader, account.RoleAdmin}

func itemURL(id int64) string { return "/admin/items/" + strconv.FormatInt(id, 10) }

// loadItem loads an item the actor may see, with its org path. An item of
// an org the actor has no role in is reported as not found, so other
// bureaus' items are not even confirmed to exist.
func (h *handler) loadItem(r *http.Request) (*publish.Item, *org.Org, []int64, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, nil, nil, err
	}
	it, err := h.Pub.Items.Item(r.Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	path := org.Path(orgs, it.OrgID)
	if !publish.CanView(actor(r), path) {
		return nil, nil, nil, fmt.Errorf("item %d of another org: %w", id, apperr.ErrNotFound)
	}
	var o *org.Org
	for i := range orgs {
		if orgs[i].ID == it.OrgID {
			o = &orgs[i]
		}
	}
	return it, o, path, nil
}

// itemColumns lists the columns that can hold items (lists and special
// topics), as an indented tree.
func (h *handler) itemColumns(ctx context.Context, orgID int64) ([]*org.ColumnNode, error) {
	cols, err := h.Reader.Columns(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var out []*org.ColumnNode
	for _, n := range org.Flatten(org.Tree(cols)) {
		if n.Kind == org.ColumnList || n.Kind == org.ColumnTopic {
			out = append(out, n)
		}
	}
	return out, nil
}

type itemListPage struct {
	basePage
	Orgs    []org.Org // orgs the actor may create items in
	Rows    []itemRow
	Org     int64
	State   string
	Query   string
	States  []publish.State
	Total   int
	Page    int
	Pages   int
	NextURL string
	PrevURL string
}

type itemRow struct {
	publish.Listed
	OrgName string
}

func (h *handler) itemList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	act := actor(r)
	scope := org.Scope(orgs, act, staffRoles...)
	if len(scope) == 0 {
		return fmt.Errorf("item list: %w", apperr.ErrForbidden)
	}
	q := r.URL.Query()
	p := itemListPage{basePage: h.base(w, r, "信息发布"), States: publish.States(), State: q.Get("state"), Query: strings.TrimSpace(q.Get("q"))}
	p.Org = web.FormID(r, "org")
	editable := org.Scope(orgs, act, publish.EditorRoles...)
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
		if slices.Contains(editable, o.ID) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	f := publish.Filter{OrgIDs: scope, Query: p.Query, Limit: 30}
	if p.Org != 0 {
		if !slices.Contains(scope, p.Org) {
			return fmt.Errorf("item list of org %d: %w", p.Org, apperr.ErrForbidden)
		}
		f.OrgIDs = []int64{p.Org}
	}
	if p.State != "" {
		f.States = []publish.State{publish.State(p.State)}
	}
	p.Page, _ = strconv.Atoi(q.Get("page"))
	p.Page = max(p.Page, 1)
	f.Offset = (p.Page - 1) * f.Limit
	rows, total, err := h.Pub.Items.Items(ctx, f)
	if err != nil {
		return err
	}
	for _, l := range rows {
		p.Rows = append(p.Rows, itemRow{Listed: l, OrgName: names[l.Item.OrgID]})
	}
	p.Total, p.Pages = total, (total+f.Limit-1)/f.Limit
	link := func(page int) string {
		v := url.Values{}
		if p.Org != 0 {
			v.Set("org", strconv.FormatInt(p.Org, 10))
		}
		if p.State != "" {
			v.Set("state", p.State)
		}
		if p.Query != "" {
			v.Set("q", p.Query)
		}
		v.Set("page", strconv.Itoa(page))
		return "/admin/items?" + v.Encode()
	}
	if p.Page > 1 {
		p.PrevURL = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.NextURL = link(p.Page + 1)
	}
	return h.tmpl.Render(w, http.StatusOK, "item/list", p)
}

type itemFormPage struct {
	basePage
	Org         *org.Org
	Item        *publish.Item
	Form        publish.Draft
	Rev         int
	Columns     []*org.ColumnNode
	Topics      []string
	Genres      []string
	Disclosures []publish.Disclosure
	Errors      map[string]string
	IsUpdate    bool
	Reason      string // why the draft came back, if it did
}

// Checked reports whether column id is among the further columns.
func (p itemFormPage) Checked(id int64) bool { return slices.Contains(p.Form.Columns, id) }

func parseItemForm(r *http.Request) (publish.Draft, int) {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	var cols []int64
	for _, s := range r.PostForm["columns"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			cols = append(cols, id)
		}
	}
	rev, _ := strconv.Atoi(r.PostFormValue("rev"))
	f := r.PostFormValue
	return publish.Draft{
		Title: f("title"), Subtitle: f("subtitle"), Summary: f("summary"), Body: f("body"), Source: f("source"), Author: f("author"),
		ColumnID: web.FormID(r, "column_id"), Columns: cols, DocNo: f("doc_no"), Issuer: f("issuer"), Topic: f("topic"), Genre: f("genre"),
		WrittenDate: f("written_date"), FormedDate: f("formed_date"), Disclosure: publish.Disclosure(f("disclosure")),
		Keywords: f("keywords"), ChangeNote: f("change_note"),
	}, rev
}

// editorPolicy is the security policy of the item form only. The vendored
// rich-text editor (Jodit) positions its toolbars, popups and table
// selection with inline style attributes, which style-src 'self' blocks;
// scripts stay restricted to our own files. Every other page keeps
// web.ContentSecurityPolicy.
var editorPolicy = strings.Replace(web.ContentSecurityPolicy, "style-src 'self'", "style-src 'self' 'unsafe-inline'", 1)

// renderForm renders the item form with the editor's security policy.
func (h *handler) renderForm(w http.ResponseWriter, status int, p itemFormPage) error {
	w.Header().Set("Content-Security-Policy", editorPolicy)
	return h.tmpl.Render(w, status, "item/form", p)
}

func (h *handler) itemFormPage(w http.ResponseWriter, r *http.Request, o *org.Org, it *publish.Item, d publish.Draft, rev int, errs map[string]string) (itemFormPage, error) {
	cols, err := h.itemColumns(r.Context(), o.ID)
	if err != nil {
		return itemFormPage{}, err
	}
	topics, err := h.Pub.Items.Topics(r.Context())
	if err != nil {
		return itemFormPage{}, err
	}
	title := "新建信息"
	p := itemFormPage{Org: o, Item: it, Form: d, Rev: rev, Columns: cols, Topics: topics, Genres: publish.Genres(),
		Disclosures: publish.Disclosures(), Errors: errs}
	if it != nil {
		title = "编辑：" + it.Title
		p.IsUpdate = it.Live > 0
		p.Reason = it.Reason
	}
	p.basePage = h.base(w, r, title)
	return p, nil
}

func (h *handler) itemNew(w http.ResponseWriter, r *http.Request) error {
	orgID := web.FormID(r, "org")
	if orgID == 0 {
		orgID = authOf(r).user.OrgID
	}
	o, err := h.Reader.Org(r.Context(), orgID)
	if err != nil {
		return err
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return err
	}
	if err := actor(r).Require(org.Path(orgs, o.ID), publish.EditorRoles...); err != nil {
		return err
	}
	today := publish.Today(h.Now()).String()
	d := publish.Draft{Issuer: o.Name, WrittenDate: today, FormedDate: today, Disclosure: publish.DiscloseProactive}
	p, err := h.itemFormPage(w, r, o, nil, d, 0, nil)
	if err != nil {
		return err
	}
	return h.renderForm(w, http.StatusOK, p)
}

func (h *handler) itemCreate(w http.ResponseWriter, r *http.Request) error {
	d, _ := parseItemForm(r)
	orgID := web.FormID(r, "org_id")
	it, err := h.Pub.Service.Create(r.Context(), actor(r), orgID, d)
	if inv, ok := apperr.AsInvalid(err); ok {
		o, oerr := h.Reader.Org(r.Context(), orgID)
		if oerr != nil {
			return err
		}
		p, perr := h.itemFormPage(w, r, o, nil, d, 0, inv.Fields)
		if perr != nil {
			return perr
		}
		return h.renderForm(w, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, itemURL(it.ID), "已保存草稿“"+it.Title+"”")
	return nil
}

func (h *handler) itemEdit(w http.ResponseWriter, r *http.Request) error {
	it, o, path, err := h.loadItem(r)
	if err != nil {
		return err
	}
	v, err := h.Pub.Items.ItemVersion(r.Context(), it.ID, it.Current)
	if err != nil {
		return err
	}
	if it.State != publish.StateDraft {
		redirect(w, r, itemURL(it.ID), "此信息已提交审核，不能再修改；如需修改，请由审核人退回。")
		return nil
	}
	if _, err := publish.Transition(it, v, path, actor(r), publish.ActSave); err != nil {
		return err
	}
	p, err := h.itemFormPage(w, r, o, it, publish.DraftOf(v), v.Rev, nil)
	if err != nil {
		return err
	}
	return h.renderForm(w, http.StatusOK, p)
}

func (h *handler) itemUpdate(w http.ResponseWriter, r *http.Request) error {
	it, o, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	d, rev := parseItemForm(r)
	err = h.Pub.Service.Save(r.Context(), actor(r), it.ID, rev, d)
	if errors.Is(err, publish.ErrStale) {
		// Two editors: the second is told, and keeps what they typed.
		p, perr := h.itemFormPage(w, r, o, it, d, rev, map[string]string{"": "保存失败：在您编辑期间，他人已修改并保存了此草稿。您填写的内容仍保留在下方；请在新窗口打开草稿查看最新内容，合并后再保存。"})
		if perr != nil {
			return perr
		}
		cur, verr := h.Pub.Items.ItemVersion(r.Context(), it.ID, it.Current)
		if verr == nil {
			p.Rev = cur.Rev // saving again overwrites knowingly
		}
		return h.renderForm(w, http.StatusConflict, p)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.itemFormPage(w, r, o, it, d, rev, inv.Fields)
		if perr != nil {
			return perr
		}
		return h.renderForm(w, http.StatusUnprocessableEntity, p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, itemURL(it.ID), "已保存")
	return nil
}

type itemShowPage struct {
	basePage
	Org       *org.Org
	Item      *publish.Item
	Cur       *publish.Version
	Live      *publish.Version // the public version, when it differs from Cur
	Atts      []publish.Attachment
	Body      template.HTML
	Column    string
	Columns   []string
	Allowed   map[publish.Action]bool
	Errors    map[string]string
	Reason    string
	PublishAt string
	VDate     string
	Due       string
	DaysLeft  int
	HasDue    bool
	Provis    bool
	PublicURL string
	Today     string
	Screen    screenPanel // screening findings (admin/screening.go)
}

// Can reports whether the signed-in user may perform act now.
func (p itemShowPage) Can(act string) bool { return p.Allowed[publish.Action(act)] }

func (h *handler) itemShowPage(w http.ResponseWriter, r *http.Request, it *publish.Item, o *org.Org, path []int64) (itemShowPage, error) {
	ctx := r.Context()
	cur, err := h.Pub.Items.ItemVersion(ctx, it.ID, it.Current)
	if err != nil {
		return itemShowPage{}, err
	}
	atts, err := h.Pub.Items.ItemAttachments(ctx, it.ID, it.Current)
	if err != nil {
		return itemShowPage{}, err
	}
	p := itemShowPage{basePage: h.base(w, r, it.Title), Org: o, Item: it, Cur: cur, Atts: atts, Body: publish.BodyHTML(cur, itemURL(it.ID)+"/files/"),
		Allowed: map[publish.Action]bool{}, Today: publish.Today(h.Now()).String()}
	if it.Live > 0 && it.Live != it.Current {
		if p.Live, err = h.Pub.Items.ItemVersion(ctx, it.ID, it.Live); err != nil {
			return itemShowPage{}, err
		}
	}
	cols, err := h.Reader.Columns(ctx, it.OrgID)
	if err != nil {
		return itemShowPage{}, err
	}
	for _, c := range cols {
		if c.ID == cur.ColumnID {
			p.Column = c.Name
		}
		if slices.Contains(cur.Columns, c.ID) {
			p.Columns = append(p.Columns, c.Name)
		}
	}
	act := actor(r)
	for _, a := range []publish.Action{publish.ActSave, publish.ActSubmit, publish.ActSectionApprove, publish.ActApprove, publish.ActReject,
		publish.ActPublish, publish.ActSchedule, publish.ActUpdate, publish.ActExpire, publish.ActRepeal, publish.ActWithdraw} {
		if _, err := publish.Transition(it, cur, path, act, a); err == nil {
			p.Allowed[a] = true
		}
	}
	if h.Pub.Calendar != nil && !cur.FormedDate.IsZero() && it.Live != it.Current {
		if due, err := publish.Due(h.Pub.Calendar, cur); err == nil {
			p.Due, p.HasDue = due.To.String(), true
			p.DaysLeft, p.Provis, _ = publish.DaysLeft(h.Pub.Calendar, cur, publish.Today(h.Now()))
		}
	}
	if p.Screen, err = h.screenPanel(ctx, act, it, cur, atts, path); err != nil {
		return itemShowPage{}, err
	}
	if it.Public() && o != nil {
		p.PublicURL = "/" + o.Site.PathPrefix + "/item/" + strconv.FormatInt(it.ID, 10)
	}
	return p, nil
}

func (h *handler) itemShow(w http.ResponseWriter, r *http.Request) error {
	it, o, path, err := h.loadItem(r)
	if err != nil {
		return err
	}
	p, err := h.itemShowPage(w, r, it, o, path)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "item/show", p)
}

// itemAction runs one workflow step from a button on the item page. On
// invalid input the page is shown again with the message next to the
// field and what was typed.
func (h *handler) itemAction(act publish.Action, done string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		it, o, path, err := h.loadItem(r)
		if err != nil {
			return err
		}
		ctx, a, svc := r.Context(), actor(r), h.Pub.Service
		reason, publishAt, vdate := r.PostFormValue("reason"), r.PostFormValue("publish_at"), r.PostFormValue("validity_date")
		switch act {
		case publish.ActSubmit:
			err = svc.Submit(ctx, a, it.ID)
		case publish.ActSectionApprove:
			err = svc.SectionApprove(ctx, a, it.ID)
		case publish.ActApprove:
			err = svc.Approve(ctx, a, it.ID)
		case publish.ActReject:
			err = svc.Reject(ctx, a, it.ID, reason)
		case publish.ActPublish:
			err = svc.Publish(ctx, a, it.ID)
		case publish.ActSchedule:
			at, perr := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(publishAt), time.FixedZone("CST", 8*3600))
			if perr != nil {
				err = apperr.Invalidf("publish_at", "请填写定时发布的日期和时间")
			} else {
				err = svc.Schedule(ctx, a, it.ID, at)
				done = "已定于" + at.Format("2006-01-02 15:04") + "发布"
			}
		case publish.ActUpdate:
			err = svc.StartUpdate(ctx, a, it.ID)
		case publish.ActExpire, publish.ActRepeal:
			err = svc.SetValidity(ctx, a, it.ID, act, vdate)
		case publish.ActWithdraw:
			err = svc.Withdraw(ctx, a, it.ID, reason)
		}
		inv, invalid := apperr.AsInvalid(err)
		if invalid || publish.IsInvalidTransition(err) {
			cur, lerr := h.Pub.Items.Item(ctx, it.ID)
			if lerr != nil {
				return lerr
			}
			p, perr := h.itemShowPage(w, r, cur, o, path)
			if perr != nil {
				return perr
			}
			status := http.StatusUnprocessableEntity
			if invalid {
				p.Errors = showErrors(inv.Fields)
			} else {
				// Usually someone else has moved the item on meanwhile.
				status = http.StatusConflict
				p.Errors = map[string]string{"": fmt.Sprintf("此信息当前为“%s”，不能执行“%s”；可能已由他人处理，请查看下方的最新状态。", cur.State.Label(), act.Label())}
			}
			p.Reason, p.PublishAt, p.VDate = reason, publishAt, vdate
			return h.tmpl.Render(w, status, "item/show", p)
		}
		if err != nil {
			return err
		}
		to := itemURL(it.ID)
		if act == publish.ActUpdate {
			to += "/edit"
		}
		redirect(w, r, to, done)
		return nil
	}
}

type itemHistoryPage struct {
	basePage
	Item     *publish.Item
	Versions []publish.Version
	A, B     *publish.Version
	Changes  []publish.FieldChange
	Lines    []publish.DiffLine
}

func (h *handler) itemHistory(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	vs, err := h.Pub.Items.ItemVersions(r.Context(), it.ID)
	if err != nil {
		return err
	}
	p := itemHistoryPage{basePage: h.base(w, r, "版本记录："+it.Title), Item: it, Versions: vs}
	a, _ := strconv.Atoi(r.URL.Query().Get("a"))
	b, _ := strconv.Atoi(r.URL.Query().Get("b"))
	if a == 0 && b == 0 && len(vs) > 1 {
		a, b = vs[1].Number, vs[0].Number
	}
	for i := range vs {
		if vs[i].Number == a {
			p.A = &vs[i]
		}
		if vs[i].Number == b {
			p.B = &vs[i]
		}
	}
	if p.A != nil && p.B != nil {
		p.Changes = publish.Changes(p.A, p.B)
		p.Lines = publish.DiffText(publish.PlainText(p.A.Body), publish.PlainText(p.B.Body))
	}
	return h.tmpl.Render(w, http.StatusOK, "item/history", p)
}

// showErrors keeps the messages of the fields the item page has next to
// their field and shows every other one at the top of the page.
func showErrors(fields map[string]string) map[string]string {
	out := map[string]string{}
	var top []string
	for k, m := range fields {
		switch k {
		case "reason", "publish_at", "validity_date", "file", "caption":
			out[k] = m
		default:
			top = append(top, m)
		}
	}
	if len(top) > 0 {
		slices.Sort(top)
		out[""] = strings.Join(top, "；")
	}
	return out
}
