package admin

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/syndicate"
)

// SyndicateConfig holds what the site-group pages need (issue 9). With a
// nil Service the pages answer 404.
type SyndicateConfig struct {
	Service *syndicate.Service
	Reader  SyndicateReader
	// Submissions records submissions to upper bodies (信息报送,
	// admin/submission.go); nil answers 404.
	Submissions      *syndicate.Submissions
	SubmissionReader SubmissionReader
	// Disclosures keeps units' required disclosures (admin/disclosure.go);
	// nil answers 404.
	Disclosures      *syndicate.Disclosures
	DisclosureReader DisclosureReader
	// Remote registers other installations' push keys; PushKey is this
	// installation's own public key to give them. Nil hides both.
	Remote  *syndicate.Remote
	Senders func(ctx context.Context) ([]syndicate.Sender, error)
	PushKey func(ctx context.Context) (string, error)
	// PushRemote sends a published item to an org of another
	// installation; nil hides the form.
	PushRemote func(ctx context.Context, actor account.Actor, itemID int64, receiverURL, toOrg, column string) error
}

// SyndicateReader is what the push pages read. *store.DB implements it.
type SyndicateReader interface {
	PushesTo(ctx context.Context, orgIDs []int64) ([]syndicate.Push, error)
	PushesFrom(ctx context.Context, orgIDs []int64) ([]syndicate.Push, error)
	Push(ctx context.Context, id int64) (*syndicate.Push, error)
	ItemPushes(ctx context.Context, itemID int64) ([]syndicate.Push, error)
}

func (h *handler) syndicateRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/pushes", h.page(stageFull, h.pushList))
	mux.Handle("POST /admin/pushes/{id}/accept", h.page(stageFull, h.pushAccept))
	mux.Handle("POST /admin/pushes/{id}/decline", h.page(stageFull, h.pushDecline))
	mux.Handle("GET /admin/items/{id}/push", h.page(stageFull, h.pushForm))
	mux.Handle("POST /admin/items/{id}/push", h.page(stageFull, h.pushCreate))
	mux.Handle("POST /admin/pushes/senders", h.page(stageFull, h.senderAdd))
	mux.Handle("POST /admin/items/{id}/push-remote", h.page(stageFull, h.pushRemote))
	h.submissionRoutes(mux)
	h.disclosureRoutes(mux)
}

// pushRow is a push with what the lists show around it.
type pushRow struct {
	syndicate.Push
	From, To, Column string
	Columns          []org.Column // the upper org's receiving columns, for accepting
	Errors           map[string]string
	Reason           string
}

type pushListPage struct {
	basePage
	Inbox []pushRow
	Sent  []pushRow
	// Other installations allowed to push here, for administrators.
	AdminOrgs []org.Org
	Senders   []senderRow
	PushKey   string
	SenderOrg int64
	SenderKey string
	Errors    map[string]string
}

type senderRow struct {
	syndicate.Sender
	To string
}

func (h *handler) syndicateOn() error {
	if h.Syndicate.Service == nil {
		return apperr.ErrNotFound
	}
	return nil
}

// pushListPage builds the inbox of pushes to the orgs where the user is
// a publisher, and the pushes sent from them.
func (h *handler) pushListPage(w http.ResponseWriter, r *http.Request) (pushListPage, error) {
	if err := h.syndicateOn(); err != nil {
		return pushListPage{}, err
	}
	ctx, act := r.Context(), actor(r)
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return pushListPage{}, err
	}
	scope := org.Scope(orgs, act, account.RolePublisher)
	admins := org.Scope(orgs, act, account.RoleAdmin)
	if len(scope) == 0 && len(admins) == 0 {
		return pushListPage{}, apperr.ErrForbidden
	}
	p := pushListPage{basePage: h.base(w, r, "信息推送")}
	if h.Syndicate.Remote != nil && len(admins) > 0 {
		for _, o := range orgs {
			if slices.Contains(admins, o.ID) {
				p.AdminOrgs = append(p.AdminOrgs, o)
			}
		}
		senders, err := h.Syndicate.Senders(ctx)
		if err != nil {
			return p, err
		}
		for _, s := range senders {
			if slices.Contains(admins, s.ToOrgID) {
				p.Senders = append(p.Senders, senderRow{Sender: s, To: orgLabel(orgs, s.ToOrgID)})
			}
		}
		if p.PushKey, err = h.Syndicate.PushKey(ctx); err != nil {
			return p, err
		}
	}
	in, err := h.Syndicate.Reader.PushesTo(ctx, scope)
	if err != nil {
		return p, err
	}
	cols := map[int64][]org.Column{}
	for _, x := range in {
		row, err := h.pushRow(ctx, orgs, x, cols)
		if err != nil {
			return p, err
		}
		p.Inbox = append(p.Inbox, row)
	}
	sent, err := h.Syndicate.Reader.PushesFrom(ctx, scope)
	if err != nil {
		return p, err
	}
	for _, x := range sent {
		row, err := h.pushRow(ctx, orgs, x, cols)
		if err != nil {
			return p, err
		}
		p.Sent = append(p.Sent, row)
	}
	return p, nil
}

func (h *handler) pushRow(ctx context.Context, orgs []org.Org, x syndicate.Push, cols map[int64][]org.Column) (pushRow, error) {
	row := pushRow{Push: x, From: orgLabel(orgs, x.FromOrgID), To: orgLabel(orgs, x.ToOrgID)}
	if x.Remote() {
		row.From = x.RemoteOrg + "（外部平台 " + x.Sender + "）"
	}
	cs, ok := cols[x.ToOrgID]
	if !ok {
		all, err := h.Reader.Columns(ctx, x.ToOrgID)
		if err != nil {
			return row, err
		}
		for _, c := range all {
			if syndicate.Receiving(&c, x.ToOrgID) {
				cs = append(cs, c)
			}
		}
		cols[x.ToOrgID] = cs
	}
	row.Columns = cs
	for _, c := range cs {
		if c.ID == x.ColumnID {
			row.Column = c.Name
		}
	}
	return row, nil
}

func orgLabel(orgs []org.Org, id int64) string {
	for _, o := range orgs {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

// pushList shows the inbox of pushes waiting for a decision and the
// pushes sent.
func (h *handler) pushList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.pushListPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "syndicate/list", p)
}

func (h *handler) pushAccept(w http.ResponseWriter, r *http.Request) error {
	return h.pushDecide(w, r, true)
}

func (h *handler) pushDecline(w http.ResponseWriter, r *http.Request) error {
	return h.pushDecide(w, r, false)
}

func (h *handler) pushDecide(w http.ResponseWriter, r *http.Request, accept bool) error {
	if err := h.syndicateOn(); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.ErrNotFound
	}
	colID, _ := strconv.ParseInt(r.PostFormValue("column"), 10, 64)
	reason := r.PostFormValue("reason")
	if accept {
		err = h.Syndicate.Service.Accept(r.Context(), actor(r), id, colID)
	} else {
		err = h.Syndicate.Service.Decline(r.Context(), actor(r), id, reason)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		// Show the inbox again with the message next to the push's form
		// and what was typed kept.
		p, perr := h.pushListPage(w, r)
		if perr != nil {
			return perr
		}
		for i := range p.Inbox {
			if p.Inbox[i].ID == id {
				p.Inbox[i].Errors, p.Inbox[i].Reason = inv.Fields, reason
				if colID != 0 {
					p.Inbox[i].ColumnID = colID
				}
			}
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/list", p)
	}
	if err != nil {
		return err
	}
	msg := "已退回推送的信息"
	if accept {
		msg = "已采用推送的信息，已在本网站栏目中显示"
	}
	redirect(w, r, "/admin/pushes", msg)
	return nil
}

// pushTarget is an upper org with its receiving columns.
type pushTarget struct {
	Org     org.Org
	Columns []org.Column
}

type pushFormPage struct {
	basePage
	Item    *publish.Item
	Targets []pushTarget
	Earlier []pushRow
	Column  int64
	Note    string
	Errors  map[string]string
	// The form for another installation, as typed.
	Remote                          bool
	RemoteURL, RemoteOrg, RemoteCol string
}

func (h *handler) pushFormPage(w http.ResponseWriter, r *http.Request) (pushFormPage, error) {
	if err := h.syndicateOn(); err != nil {
		return pushFormPage{}, err
	}
	ctx, act := r.Context(), actor(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return pushFormPage{}, apperr.ErrNotFound
	}
	it, err := h.Pub.Items.Item(ctx, id)
	if err != nil {
		return pushFormPage{}, err
	}
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return pushFormPage{}, err
	}
	if !act.Has(account.RolePublisher, org.Path(orgs, it.OrgID)) {
		return pushFormPage{}, apperr.ErrForbidden
	}
	p := pushFormPage{basePage: h.base(w, r, "推送至上级网站"), Item: it, Remote: h.Syndicate.PushRemote != nil}
	for _, o := range syndicate.Ancestors(orgs, it.OrgID) {
		cs, err := h.Reader.Columns(ctx, o.ID)
		if err != nil {
			return p, err
		}
		t := pushTarget{Org: o}
		for _, c := range cs {
			if syndicate.Receiving(&c, o.ID) && c.Visible {
				t.Columns = append(t.Columns, c)
			}
		}
		p.Targets = append(p.Targets, t)
	}
	earlier, err := h.Syndicate.Reader.ItemPushes(ctx, id)
	if err != nil {
		return p, err
	}
	cols := map[int64][]org.Column{}
	for _, x := range earlier {
		row, err := h.pushRow(ctx, orgs, x, cols)
		if err != nil {
			return p, err
		}
		p.Earlier = append(p.Earlier, row)
	}
	return p, nil
}

// pushForm offers a published item to a column of an upper org's site.
func (h *handler) pushForm(w http.ResponseWriter, r *http.Request) error {
	p, err := h.pushFormPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "syndicate/push", p)
}

func (h *handler) pushCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := h.pushFormPage(w, r)
	if err != nil {
		return err
	}
	p.Column, _ = strconv.ParseInt(r.PostFormValue("column"), 10, 64)
	p.Note = r.PostFormValue("note")
	// The column chosen names the upper org; an unknown column leaves the
	// org unknown, which the rules refuse.
	var toOrg int64
	for _, t := range p.Targets {
		if slices.ContainsFunc(t.Columns, func(c org.Column) bool { return c.ID == p.Column }) {
			toOrg = t.Org.ID
		}
	}
	_, err = h.Syndicate.Service.PushItem(r.Context(), actor(r), p.Item.ID, toOrg, p.Column, p.Note)
	if inv, ok := apperr.AsInvalid(err); ok {
		p.Errors = inv.Fields
		if toOrg == 0 {
			// Without a column there is no upper org: say so at the column.
			delete(p.Errors, "to_org")
			p.Errors["column"] = "请选择上级网站的栏目"
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/push", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/items/"+strconv.FormatInt(p.Item.ID, 10)+"/push", "已推送，等待上级网站处理")
	return nil
}

// senderAdd registers another installation's public push key for an org
// the user administers.
func (h *handler) senderAdd(w http.ResponseWriter, r *http.Request) error {
	if h.Syndicate.Remote == nil {
		return apperr.ErrNotFound
	}
	orgID, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	key := r.PostFormValue("public_key")
	s, err := h.Syndicate.Remote.AddSender(r.Context(), actor(r), orgID, key)
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.pushListPage(w, r)
		if perr != nil {
			return perr
		}
		p.SenderOrg, p.SenderKey, p.Errors = orgID, key, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/list", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/pushes", "已登记推送来源“"+s.Name+"”")
	return nil
}

// pushRemote sends the item to an org of another installation (the
// province's platform), signed with this installation's key. Sending it
// again after an update or withdrawal replaces the receiver's copy.
func (h *handler) pushRemote(w http.ResponseWriter, r *http.Request) error {
	p, err := h.pushFormPage(w, r)
	if err != nil {
		return err
	}
	if h.Syndicate.PushRemote == nil {
		return apperr.ErrNotFound
	}
	p.RemoteURL = strings.TrimSpace(r.PostFormValue("remote_url"))
	p.RemoteOrg = strings.TrimSpace(r.PostFormValue("remote_org"))
	p.RemoteCol = strings.TrimSpace(r.PostFormValue("remote_column"))
	p.Errors = map[string]string{}
	if u, err := url.Parse(p.RemoteURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		p.Errors["remote_url"] = "请填写对方平台地址，如 https://zwgk.hubei.gov.cn"
	}
	if p.RemoteOrg == "" {
		p.Errors["remote_org"] = "请填写对方接收单位的机构代码"
	}
	if len(p.Errors) == 0 {
		err = h.Syndicate.PushRemote(r.Context(), actor(r), p.Item.ID, p.RemoteURL, p.RemoteOrg, p.RemoteCol)
		if inv, ok := apperr.AsInvalid(err); ok {
			p.Errors = inv.Fields
		} else if err != nil && !errors.Is(err, apperr.ErrForbidden) {
			// The other side refused or could not be reached: say so
			// without its answer's details, which are logged.
			h.Log.LogAttrs(r.Context(), slog.LevelWarn, "push to another installation", slog.Int64("item_id", p.Item.ID), slog.Any("err", err))
			p.Errors["remote_url"] = "推送失败：对方平台未接收（请确认对方已登记本平台的推送公钥、机构代码正确）"
		} else if err != nil {
			return err
		}
	}
	if len(p.Errors) > 0 {
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/push", p)
	}
	redirect(w, r, "/admin/items/"+strconv.FormatInt(p.Item.ID, 10)+"/push", "已推送至对方平台，等待对方处理")
	return nil
}
