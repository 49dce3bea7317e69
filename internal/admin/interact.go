package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/interact"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/workday"
)

// InteractReader is what the interaction pages list. *store.DB implements
// it.
type InteractReader interface {
	Messages(ctx context.Context, f interact.Filter) ([]interact.Message, error)
	Consultations(ctx context.Context, orgIDs []int64) ([]interact.Consultation, error)
	Comments(ctx context.Context, consultationID int64, shownOnly bool) ([]interact.Comment, error)
}

// InteractConfig holds what the interaction pages need (issue 7). With a
// nil Service the pages answer 404.
type InteractConfig struct {
	Service *interact.Service
	Reader  InteractReader
}

func (h *handler) interactRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/interact", h.page(stageFull, h.interactInbox))
	mux.Handle("GET /admin/interact/settings", h.page(stageFull, h.interactSettings))
	mux.Handle("GET /admin/interact/stats", h.page(stageFull, h.interactStats))
	mux.Handle("POST /admin/interact/settings", h.page(stageFull, h.interactSettingsSave))
	mux.Handle("GET /admin/interact/{id}", h.page(stageFull, h.interactShow))
	mux.Handle("POST /admin/interact/{id}/{action}", h.page(stageFull, h.interactAct))
	mux.Handle("GET /admin/consult", h.page(stageFull, h.consultList))
	mux.Handle("GET /admin/consult/new", h.page(stageFull, h.consultNew))
	mux.Handle("POST /admin/consult", h.page(stageFull, h.consultCreate))
	mux.Handle("GET /admin/consult/{id}", h.page(stageFull, h.consultShow))
	mux.Handle("POST /admin/consult/{id}/{action}", h.page(stageFull, h.consultAct))
}

func (h *handler) interactOn() error {
	if h.Interact.Service == nil {
		return apperr.ErrNotFound
	}
	return nil
}

func orgLabels(orgs []org.Org) map[int64]string {
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Label()
	}
	return names
}

// Inbox.

type interactRow struct {
	Msg  interact.Message
	Org  string
	Mark interact.Mark
}

type interactInboxPage struct {
	basePage
	Rows        []interactRow
	All         bool
	Kind        string
	Kinds       []interact.Kind
	OrgID       int64
	Orgs        []org.Org // the orgs the reader may see, for the filter
	Mine        bool      // only messages assigned to the reader
	Overdue     int       // open messages past their deadline, among those listed
	Stale       int       // open for three months: the inspection's veto
	Today       workday.Date
	Figures     interact.Figures
	CanSettings bool
}

func (h *handler) interactInbox(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	act := actor(r)
	scope := org.Scope(orgs, act, interact.ViewRoles...)
	if len(scope) == 0 {
		return fmt.Errorf("list messages: %w", apperr.ErrForbidden)
	}
	q := r.URL.Query()
	p := interactInboxPage{basePage: h.base(w, r, "公众互动"), All: q.Get("all") == "1", Kinds: interact.Kinds(), Mine: q.Get("mine") == "1",
		CanSettings: len(org.Scope(orgs, act, interact.SettingsRoles...)) > 0}
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	if id, _ := strconv.ParseInt(q.Get("org"), 10, 64); slices.Contains(scope, id) {
		// An org's inbox includes its units the reader may see.
		p.OrgID = id
		scope = slices.DeleteFunc(org.Subtree(orgs, []int64{id}), func(x int64) bool { return !slices.Contains(scope, x) })
	}
	f := interact.Filter{OrgIDs: scope, Open: !p.All, Limit: 500}
	if k := interact.Kind(q.Get("kind")); k.Valid() {
		f.Kind, p.Kind = k, string(k)
	}
	msgs, err := h.Interact.Reader.Messages(ctx, f)
	if err != nil {
		return err
	}
	cal, today, err := h.Interact.Service.CalendarNow(ctx)
	if err != nil {
		return err
	}
	p.Today = today
	names := orgLabels(orgs)
	for i := range msgs {
		if p.Mine && msgs[i].HandlerID != act.UserID {
			continue
		}
		mk := interact.MarkOf(cal, &msgs[i], today)
		switch mk {
		case interact.MarkOverdue:
			p.Overdue++
		case interact.MarkStale:
			p.Overdue++
			p.Stale++
		}
		p.Rows = append(p.Rows, interactRow{Msg: msgs[i], Org: names[msgs[i].OrgID], Mark: mk})
	}
	all, err := h.Interact.Reader.Messages(ctx, interact.Filter{OrgIDs: scope})
	if err != nil {
		return err
	}
	p.Figures = interact.Summarize(cal, all, today).Total
	return h.tmpl.Render(w, http.StatusOK, "interact/inbox", p)
}

// One message.

type interactShowPage struct {
	basePage
	Msg       *interact.Message
	Events    []interact.Event
	Org       string
	Mark      interact.Mark
	Handler   string
	Handlers  []account.User
	Targets   []org.Org // orgs of the site group it may be forwarded to
	CanTriage bool
	CanDraft  bool
	CanReview bool
	CanPull   bool   // may take the message off the public list
	Form      string // the form that failed
	In        url.Values
	Errors    map[string]string
}

// E returns the error of field in form, if that form failed.
func (p interactShowPage) E(form, field string) string {
	if p.Form != form {
		return ""
	}
	return p.Errors[field]
}

// V returns what was typed into field of form, if that form failed.
func (p interactShowPage) V(form, field string) string {
	if p.Form != form || p.In == nil {
		return ""
	}
	return p.In.Get(field)
}

// OrgName names an org, for events.
func (p interactShowPage) OrgName(id int64) string {
	for _, o := range p.Targets {
		if o.ID == id {
			return o.Name
		}
	}
	return "机构" + strconv.FormatInt(id, 10)
}

func (h *handler) interactShowData(w http.ResponseWriter, r *http.Request, id int64) (interactShowPage, error) {
	ctx := r.Context()
	act := actor(r)
	m, evs, err := h.Interact.Service.View(ctx, act, id)
	if err != nil {
		return interactShowPage{}, err
	}
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return interactShowPage{}, err
	}
	path := org.Path(orgs, m.OrgID)
	cal, today, err := h.Interact.Service.CalendarNow(ctx)
	if err != nil {
		return interactShowPage{}, err
	}
	p := interactShowPage{basePage: h.base(w, r, "留言 "+m.QueryNo), Msg: m, Events: evs, Mark: interact.MarkOf(cal, m, today),
		CanTriage: act.HasAny(path, interact.TriageRoles...), CanDraft: act.HasAny(path, interact.DraftRoles...),
		CanReview: act.HasAny(path, interact.ApproveRoles...), CanPull: act.HasAny(path, account.RoleSection, account.RolePublisher)}
	for _, o := range orgs {
		if o.ID == m.OrgID {
			p.Org = o.Name
		}
		if op := org.Path(orgs, o.ID); len(op) > 0 && len(path) > 0 && op[0] == path[0] {
			p.Targets = append(p.Targets, o)
		}
	}
	users, err := h.Reader.Users(ctx)
	if err != nil {
		return interactShowPage{}, err
	}
	for _, u := range users {
		if !u.Disabled && account.ActorFor(&u, "").HasAny(path, interact.DraftRoles...) {
			p.Handlers = append(p.Handlers, u)
		}
		if u.ID == m.HandlerID {
			p.Handler = u.DisplayName
		}
	}
	return p, nil
}

func (h *handler) interactShow(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.interactShowData(w, r, id)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "interact/show", p)
}

// interactAct performs one handling step; on bad input it shows the
// message again with the step's form as typed and its errors.
func (h *handler) interactAct(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("", "表单无法读取")
	}
	in := r.PostForm
	ctx, act, svc := r.Context(), actor(r), h.Interact.Service
	action := r.PathValue("action")
	var flash string
	switch action {
	case "accept":
		_, err = svc.Accept(ctx, act, id)
		flash = "已受理"
	case "reject":
		_, err = svc.Reject(ctx, act, id, in.Get("reason"))
		flash = "已作不予受理处理，留言人可查询到理由"
	case "forward":
		to, _ := strconv.ParseInt(in.Get("to_org_id"), 10, 64)
		_, err = svc.Forward(ctx, act, id, to, in.Get("note"))
		flash = "已转办"
	case "assign":
		uid, _ := strconv.ParseInt(in.Get("handler_id"), 10, 64)
		_, err = svc.Assign(ctx, act, id, in.Get("section"), uid)
		flash = "已交办"
	case "note":
		_, err = svc.AddNote(ctx, act, id, in.Get("note"))
		flash = "已添加内部备注"
	case "draft":
		_, err = svc.DraftReply(ctx, act, id, in.Get("body"))
		flash = "答复已提交科室负责人审核"
	case "return":
		_, err = svc.ReturnReply(ctx, act, id, in.Get("note"))
		flash = "答复已退回修改"
	case "approve":
		_, err = svc.ApproveReply(ctx, act, id, in.Get("publish") == "1")
		flash = "答复已审核通过，留言人可查询答复"
	case "withdraw":
		_, err = svc.Withdraw(ctx, act, id, in.Get("reason"))
		flash = "已从公开列表撤下"
	default:
		return apperr.ErrNotFound
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.interactShowData(w, r, id)
		if perr != nil {
			return perr
		}
		p.Form, p.In, p.Errors = action, in, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "interact/show", p)
	}
	if err != nil {
		return err
	}
	to := "/admin/interact/" + strconv.FormatInt(id, 10)
	if action == "forward" {
		// The message has left the actor's org; they may no longer see it.
		to = "/admin/interact"
	}
	redirect(w, r, to, flash)
	return nil
}

// Statistics.

type statsRow struct {
	Label string
	F     interact.Figures
}

type interactStatsPage struct {
	basePage
	Year    int
	Total   interact.Figures
	Months  []statsRow
	Orgs    []statsRow
	Kinds   []statsRow
	Levels  []interact.Level
	Entries []interact.Kind
}

// interactStats shows the year's figures of the orgs the actor may read,
// as the annual report and the dashboard use them.
func (h *handler) interactStats(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	scope := org.Scope(orgs, actor(r), interact.ViewRoles...)
	if len(scope) == 0 {
		return fmt.Errorf("interaction statistics: %w", apperr.ErrForbidden)
	}
	cal, today, err := h.Interact.Service.CalendarNow(ctx)
	if err != nil {
		return err
	}
	year := today.Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	from, to := workday.NewDate(year, 1, 1), workday.NewDate(year, 12, 31)
	msgs, err := h.Interact.Reader.Messages(ctx, interact.Filter{OrgIDs: scope, From: from, To: to})
	if err != nil {
		return err
	}
	st := interact.Summarize(cal, msgs, today)
	p := interactStatsPage{basePage: h.base(w, r, fmt.Sprintf("%d年公众互动统计", year)), Year: year, Total: st.Total,
		Levels: interact.Levels(), Entries: interact.Kinds()}
	for _, m := range st.Months() {
		p.Months = append(p.Months, statsRow{Label: m, F: st.ByMonth[m]})
	}
	for _, o := range orgs {
		if f, ok := st.ByOrg[o.ID]; ok {
			p.Orgs = append(p.Orgs, statsRow{Label: o.Name, F: f})
		}
	}
	for _, k := range interact.Kinds() {
		p.Kinds = append(p.Kinds, statsRow{Label: k.Label(), F: interact.Figures{Received: st.Total.ByKind[k]}})
	}
	return h.tmpl.Render(w, http.StatusOK, "interact/stats", p)
}

// Settings.

type interactSettingRow struct {
	Org  org.Org
	Days int
}

type interactSettingsPage struct {
	basePage
	Rows   []interactSettingRow
	OrgID  int64
	Errors map[string]string
	Value  string
}

func (h *handler) interactSettingsData(w http.ResponseWriter, r *http.Request) (interactSettingsPage, error) {
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return interactSettingsPage{}, err
	}
	scope := org.Scope(orgs, actor(r), interact.SettingsRoles...)
	if len(scope) == 0 {
		return interactSettingsPage{}, fmt.Errorf("interaction settings: %w", apperr.ErrForbidden)
	}
	p := interactSettingsPage{basePage: h.base(w, r, "留言答复期限")}
	for _, o := range orgs {
		if !slices.Contains(scope, o.ID) {
			continue
		}
		s, err := h.Interact.Service.Settings(ctx, o.ID)
		if err != nil {
			return interactSettingsPage{}, err
		}
		p.Rows = append(p.Rows, interactSettingRow{Org: o, Days: s.Days()})
	}
	return p, nil
}

func (h *handler) interactSettings(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	p, err := h.interactSettingsData(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "interact/settings", p)
}

func (h *handler) interactSettingsSave(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	orgID, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	v := strings.TrimSpace(r.PostFormValue("deadline_days"))
	days, perr := strconv.Atoi(v)
	var err error
	if perr != nil {
		err = apperr.Invalidf("deadline_days", "请填写1至%d之间的整数", interact.MaxDeadlineDays)
	} else {
		err = h.Interact.Service.SetSettings(r.Context(), actor(r), interact.Settings{OrgID: orgID, DeadlineDays: days})
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.interactSettingsData(w, r)
		if perr != nil {
			return perr
		}
		p.OrgID, p.Errors, p.Value = orgID, inv.Fields, v
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "interact/settings", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/interact/settings", "已保存答复期限，新收到的留言按新期限计算")
	return nil
}

// Consultations.

type consultRow struct {
	C     interact.Consultation
	Org   string
	Phase interact.Phase
}

type consultListPage struct {
	basePage
	Rows    []consultRow
	CanOpen bool
}

func (h *handler) consultList(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	act := actor(r)
	scope := org.Scope(orgs, act, interact.ViewRoles...)
	if len(scope) == 0 {
		return fmt.Errorf("list consultations: %w", apperr.ErrForbidden)
	}
	cs, err := h.Interact.Reader.Consultations(ctx, scope)
	if err != nil {
		return err
	}
	_, today, err := h.Interact.Service.CalendarNow(ctx)
	if err != nil {
		return err
	}
	names := orgLabels(orgs)
	p := consultListPage{basePage: h.base(w, r, "意见征集"), CanOpen: len(org.Scope(orgs, act, interact.ConsultRoles...)) > 0}
	for _, c := range cs {
		p.Rows = append(p.Rows, consultRow{C: c, Org: names[c.OrgID], Phase: c.PhaseOf(today)})
	}
	return h.tmpl.Render(w, http.StatusOK, "interact/consults", p)
}

type consultNewPage struct {
	basePage
	Orgs   []org.Org
	In     url.Values
	Errors map[string]string
}

// V returns what was typed into field.
func (p consultNewPage) V(field string) string {
	if p.In == nil {
		return ""
	}
	return p.In.Get(field)
}

func (h *handler) renderConsultNew(w http.ResponseWriter, r *http.Request, status int, in url.Values, errs map[string]string) error {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return err
	}
	scope := org.Scope(orgs, actor(r), interact.ConsultRoles...)
	if len(scope) == 0 {
		return fmt.Errorf("open consultation: %w", apperr.ErrForbidden)
	}
	p := consultNewPage{basePage: h.base(w, r, "发起意见征集"), In: in, Errors: errs}
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	return h.tmpl.Render(w, status, "interact/consult_new", p)
}

func (h *handler) consultNew(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	return h.renderConsultNew(w, r, http.StatusOK, nil, nil)
}

func (h *handler) consultCreate(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("", "表单无法读取")
	}
	in := r.PostForm
	errs := map[string]string{}
	c := &interact.Consultation{Title: in.Get("title"), Draft: in.Get("draft"), LinkURL: in.Get("link_url"),
		StartOn: parseDay(errs, "start_on", in.Get("start_on")), EndOn: parseDay(errs, "end_on", in.Get("end_on"))}
	c.OrgID, _ = strconv.ParseInt(in.Get("org_id"), 10, 64)
	if len(errs) > 0 {
		return h.renderConsultNew(w, r, http.StatusUnprocessableEntity, in, errs)
	}
	err := h.Interact.Service.OpenConsultation(r.Context(), actor(r), c)
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.renderConsultNew(w, r, http.StatusUnprocessableEntity, in, inv.Fields)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/consult/"+strconv.FormatInt(c.ID, 10), "已发起意见征集")
	return nil
}

type consultShowPage struct {
	basePage
	C          *interact.Consultation
	Org        string
	Phase      interact.Phase
	Comments   []interact.Comment
	CanManage  bool
	CanApprove bool
	In         url.Values
	Errors     map[string]string
	// ViaItems is set when the summary goes through the publishing
	// workflow as an item; the form then asks for its catalog data.
	ViaItems bool
	Columns  []org.Column
	Topics   []string
	Genres   []string
}

// V returns what was typed into field of the summary form.
func (p consultShowPage) V(field string) string {
	if p.In == nil {
		if field == "summary" {
			return p.C.Summary
		}
		return ""
	}
	return p.In.Get(field)
}

func (h *handler) consultShowData(w http.ResponseWriter, r *http.Request, id int64) (consultShowPage, error) {
	ctx := r.Context()
	act := actor(r)
	c, err := h.Interact.Service.ViewConsultation(ctx, act, id)
	if err != nil {
		return consultShowPage{}, err
	}
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return consultShowPage{}, err
	}
	_, today, err := h.Interact.Service.CalendarNow(ctx)
	if err != nil {
		return consultShowPage{}, err
	}
	path := org.Path(orgs, c.OrgID)
	p := consultShowPage{basePage: h.base(w, r, c.Title), C: c, Org: orgLabels(orgs)[c.OrgID], Phase: c.PhaseOf(today),
		CanManage: act.HasAny(path, interact.ConsultRoles...), CanApprove: act.HasAny(path, interact.ApproveRoles...)}
	if p.Comments, err = h.Interact.Reader.Comments(ctx, id, false); err != nil {
		return consultShowPage{}, err
	}
	if h.Pub.Service != nil && h.Pub.Items != nil {
		p.ViaItems, p.Genres = true, publish.Genres()
		if p.Topics, err = h.Pub.Items.Topics(ctx); err != nil {
			return consultShowPage{}, err
		}
		cols, err := h.Reader.Columns(ctx, c.OrgID)
		if err != nil {
			return consultShowPage{}, err
		}
		for _, col := range cols {
			if col.Kind == org.ColumnList || col.Kind == org.ColumnTopic {
				p.Columns = append(p.Columns, col)
			}
		}
	}
	return p, nil
}

func (h *handler) consultShow(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.consultShowData(w, r, id)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "interact/consult", p)
}

func (h *handler) consultAct(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactOn(); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("", "表单无法读取")
	}
	ctx, act, svc := r.Context(), actor(r), h.Interact.Service
	// Comments are moderated from the consultation's page; the service
	// checks that the comment belongs to an org the actor manages.
	if _, err := svc.ViewConsultation(ctx, act, id); err != nil {
		return err
	}
	var flash string
	switch r.PathValue("action") {
	case "show", "hide":
		cid, _ := strconv.ParseInt(r.PostFormValue("comment_id"), 10, 64)
		if !h.commentOf(ctx, id, cid) {
			return apperr.ErrNotFound
		}
		err = svc.ModerateComment(ctx, act, cid, r.PathValue("action") == "show")
		flash = "已审核意见"
	case "summary":
		if h.Pub.Service != nil {
			err = h.summaryItem(r, id)
			flash = "意见采纳情况已作为信息提交审核，经科室审核、保密审查并发布后在征集页面公开"
		} else {
			_, err = svc.SubmitSummary(ctx, act, id, r.PostFormValue("summary"), 0)
			flash = "意见采纳情况已提交科室负责人审核"
		}
	case "approve":
		_, err = svc.ApproveSummary(ctx, act, id)
		flash = "意见采纳情况已发布"
	default:
		return apperr.ErrNotFound
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.consultShowData(w, r, id)
		if perr != nil {
			return perr
		}
		p.In, p.Errors = r.PostForm, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "interact/consult", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/consult/"+strconv.FormatInt(id, 10), flash)
	return nil
}

// summaryItem sends a consultation's feedback summary through the
// publishing workflow (issue 3): it creates an item in the chosen column
// with the summary as its body, submits it for section review, and links
// it to the consultation, which shows the summary once the item is
// published. The checks of the consultation run first so that a refused
// summary leaves no item behind; the two steps are separate transactions.
func (h *handler) summaryItem(r *http.Request, id int64) error {
	ctx, act := r.Context(), actor(r)
	c, err := h.Interact.Service.ViewConsultation(ctx, act, id)
	if err != nil {
		return err
	}
	summary := strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("summary")), "\r\n", "\n")
	if err := c.CheckSummary(interact.Today(h.Now()), summary); err != nil {
		return err
	}
	if err := interact.CheckReply(summary, interact.Sender{}, h.Now); err != nil {
		if inv, ok := apperr.AsInvalid(err); ok {
			return apperr.Invalidf("summary", "%s", inv.Fields["body"])
		}
		return err
	}
	o, err := h.Reader.Org(ctx, c.OrgID)
	if err != nil {
		return err
	}
	var body strings.Builder
	for _, line := range strings.Split(summary, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			body.WriteString("<p>" + template.HTMLEscapeString(line) + "</p>")
		}
	}
	today := interact.Today(h.Now()).String()
	colID, _ := strconv.ParseInt(r.PostFormValue("column_id"), 10, 64)
	d := publish.Draft{Title: "关于“" + c.Title + "”征求意见采纳情况的说明", Body: body.String(), ColumnID: colID, Issuer: o.Name,
		Topic: r.PostFormValue("topic"), Genre: r.PostFormValue("genre"), WrittenDate: today, FormedDate: today, Disclosure: publish.DiscloseProactive}
	it, err := h.Pub.Service.Create(ctx, act, c.OrgID, d)
	if err != nil {
		return err
	}
	if err := h.Pub.Service.Submit(ctx, act, it.ID); err != nil {
		return err
	}
	_, err = h.Interact.Service.SubmitSummary(ctx, act, id, summary, it.ID)
	return err
}

// commentOf reports whether comment cid belongs to consultation id.
func (h *handler) commentOf(ctx context.Context, id, cid int64) bool {
	cs, err := h.Interact.Reader.Comments(ctx, id, false)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(cs, func(c interact.Comment) bool { return c.ID == cid })
}
