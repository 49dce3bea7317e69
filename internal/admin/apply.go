package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/apply"
	"gongkai/internal/docx"
	"gongkai/internal/org"
	"gongkai/internal/screening"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// ApplyReader is what the application pages read. *store.DB implements it.
type ApplyReader interface {
	Application(ctx context.Context, id int64) (*apply.Application, error)
	// Applications returns applications with their events.
	Applications(ctx context.Context, orgIDs []int64, open bool, limit int) ([]apply.Application, error)
	ApplicationRecords(ctx context.Context, id int64) ([]apply.Notice, []apply.Delivery, []apply.Attachment, []apply.Case, error)
	ApplyNotifications(ctx context.Context, orgIDs []int64, userID int64, limit int) ([]apply.Notification, error)
	CalendarYears(ctx context.Context) ([]workday.Year, error)
	NoticeTemplate(ctx context.Context, orgID int64, c apply.Category) (string, bool, error)
}

// ApplyFiles stores and opens the private files of applications (identity
// document copies, released documents) by SHA-256.
type ApplyFiles interface {
	Put(r io.Reader, max int64) (sum string, size int64, err error)
	Open(sum string) (*os.File, error)
}

// ApplyConfig holds what the application pages need (issue 5). With a nil
// Service the pages answer 404.
type ApplyConfig struct {
	Service  *apply.Service
	Reader   ApplyReader
	Files    ApplyFiles        // nil: no uploads or downloads
	Calendar *workday.Calendar // the built-in calendar; stored years go over it
	// Screen scans a released document before it goes to the applicant
	// (issue 4's screening); nil means documents are not screened.
	Screen func(ctx context.Context, name string, data []byte) ([]screening.Finding, error)
}

// MaxReleased is the largest released document accepted.
const MaxReleased = 1900 << 10

func (h *handler) applyRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/apply", h.page(stageFull, h.applyList))
	mux.Handle("GET /admin/apply/new", h.page(stageFull, h.applyNew))
	mux.Handle("POST /admin/apply", h.page(stageFull, h.applyCreate))
	mux.Handle("GET /admin/apply/templates", h.page(stageFull, h.applyTemplates))
	mux.Handle("POST /admin/apply/templates", h.page(stageFull, h.applyTemplateSave))
	mux.Handle("GET /admin/apply/{id}", h.page(stageFull, h.applyShow))
	mux.Handle("POST /admin/apply/{id}/{action}", h.page(stageFull, h.applyAct))
	mux.Handle("GET /admin/apply/{id}/notices/{nid}", h.page(stageFull, h.applyNotice))
	mux.Handle("GET /admin/apply/{id}/notices/{nid}/docx", h.page(stageFull, h.applyNoticeDocx))
	mux.Handle("GET /admin/apply/{id}/files/{fid}", h.page(stageFull, h.applyFile))
	mux.Handle("GET /admin/calendar", h.page(stageFull, h.calendarList))
	mux.Handle("GET /admin/calendar/edit", h.page(stageFull, h.calendarEdit))
	mux.Handle("POST /admin/calendar", h.page(stageFull, h.calendarSave))
}

func (h *handler) applyOn() error {
	if h.Apply.Service == nil {
		return apperr.ErrNotFound
	}
	return nil
}

// calendar returns the calendar in force.
func (h *handler) calendar(ctx context.Context) (*workday.Calendar, error) {
	years, err := h.Apply.Reader.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	return apply.Overlay(h.Apply.Calendar, years)
}

// applyRow is one application in a list, with its clock.
type applyRow struct {
	App     apply.Application
	Org     string
	Clock   apply.Clock
	Soon    bool
	Overdue bool
}

type applyListPage struct {
	basePage
	Rows          []applyRow
	All           bool
	Notifications []apply.Notification
	CanRegister   bool
	CanCalendar   bool
	Today         workday.Date
}

func (h *handler) applyList(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return err
	}
	act := actor(r)
	scope := org.Scope(orgs, act, apply.ViewRoles...)
	if len(scope) == 0 {
		return fmt.Errorf("list applications: %w", apperr.ErrForbidden)
	}
	all := r.URL.Query().Get("all") == "1"
	apps, err := h.Apply.Reader.Applications(ctx, scope, !all, 500)
	if err != nil {
		return err
	}
	cal, err := h.calendar(ctx)
	if err != nil {
		return err
	}
	today := apply.Today(h.Now())
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Label()
	}
	p := applyListPage{basePage: h.base(w, r, "依申请公开"), All: all, Today: today,
		CanRegister: len(org.Scope(orgs, act, account.RoleHandler)) > 0, CanCalendar: h.canCalendar(orgs, act)}
	for _, a := range apps {
		c := h.Apply.Service.Rules().Compute(cal, a.Channel, a.Events, today)
		p.Rows = append(p.Rows, applyRow{App: a, Org: names[a.OrgID], Clock: c, Soon: c.DueSoon(cal, today), Overdue: c.Overdue(today)})
	}
	if p.Notifications, err = h.Apply.Reader.ApplyNotifications(ctx, scope, act.UserID, 20); err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "apply/list", p)
}

// canCalendar reports whether the actor administers a root org, which the
// shared calendar needs.
func (h *handler) canCalendar(orgs []org.Org, act account.Actor) bool {
	for _, g := range act.Grants {
		if g.Role == account.RoleAdmin && len(org.Path(orgs, g.OrgID)) == 1 {
			return true
		}
	}
	return false
}

// applyForm is the register form as typed.
type applyFormPage struct {
	basePage
	Orgs     []org.Org
	In       url.Values
	Errors   map[string]string
	Channels []apply.Channel
	IDTypes  []apply.IDType
	OrgTypes []apply.OrgType
	Forms    []apply.Form
	Ways     []apply.Way
	Code     string // shown once after registering
	App      *apply.Application
}

// V returns a typed value.
func (p applyFormPage) V(k string) string { return p.In.Get(k) }

func (h *handler) applyFormPage(w http.ResponseWriter, r *http.Request, in url.Values, errs map[string]string) (applyFormPage, error) {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return applyFormPage{}, err
	}
	scope := org.Scope(orgs, actor(r), account.RoleHandler)
	if len(scope) == 0 {
		return applyFormPage{}, fmt.Errorf("register application: %w", apperr.ErrForbidden)
	}
	p := applyFormPage{basePage: h.base(w, r, "登记申请"), In: in, Errors: errs, Channels: apply.PaperChannels(),
		IDTypes: apply.IDTypes(), OrgTypes: apply.OrgTypes(), Forms: apply.Forms(), Ways: apply.Ways()}
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	return p, nil
}

func (h *handler) applyNew(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	in := url.Values{"kind": {"person"}, "id_type": {"resident"}, "channel": {"letter"}, "form": {"paper"}, "way": {"post"},
		"received_on": {apply.Today(h.Now()).String()}}
	p, err := h.applyFormPage(w, r, in, nil)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "apply/new", p)
}

// parseDay parses a YYYY-MM-DD form value; empty gives the zero day, and
// a bad value records a message for field.
func parseDay(errs map[string]string, field, s string) workday.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		return workday.Date{}
	}
	d, err := workday.Parse(s)
	if err != nil {
		errs[field] = "日期格式应为YYYY-MM-DD，如2026-03-02"
	}
	return d
}

func applicationFromForm(in url.Values) apply.Application {
	g := func(k string) string { return strings.TrimSpace(in.Get(k)) }
	orgID, _ := strconv.ParseInt(g("org_id"), 10, 64)
	return apply.Application{OrgID: orgID, Channel: apply.Channel(g("channel")),
		Applicant: apply.Applicant{Kind: apply.ApplicantKind(g("kind")), Name: g("name"), IDType: apply.IDType(g("id_type")), IDNumber: g("id_number"),
			CreditCode: g("credit_code"), LegalRep: g("legal_rep"), Contact: g("contact"), OrgType: apply.OrgType(g("org_type")),
			Phone: g("phone"), Email: g("email"), Address: g("address"), Postcode: g("postcode")},
		Description: g("description"), DocNo: g("doc_no"), IndexNo: g("index_no"), Form: apply.Form(g("form")), Way: apply.Way(g("way"))}
}

func (h *handler) applyCreate(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("", "表单无法读取")
	}
	in := r.PostForm
	errs := map[string]string{}
	reg := apply.Registration{Application: applicationFromForm(in), ReceivedOn: parseDay(errs, "received_on", in.Get("received_on")), Note: strings.TrimSpace(in.Get("note"))}
	// Register validates everything else even when a date did not parse
	// (it then sees no date and refuses), so every problem is shown.
	a, code, err := h.Apply.Service.Register(r.Context(), actor(r), reg)
	if inv, ok := apperr.AsInvalid(err); ok {
		for k, v := range inv.Fields {
			if errs[k] == "" {
				errs[k] = v
			}
		}
	} else if err != nil {
		return err
	}
	if len(errs) > 0 {
		p, perr := h.applyFormPage(w, r, in, errs)
		if perr != nil {
			return perr
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "apply/new", p)
	}
	p, err := h.applyFormPage(w, r, nil, nil)
	if err != nil {
		return err
	}
	p.Title, p.Code, p.App = "申请已登记", code, a
	return h.tmpl.Render(w, http.StatusOK, "apply/registered", p)
}

// applyShowPage is one application with everything recorded about it and
// the forms for the next steps.
type applyShowPage struct {
	basePage
	App        *apply.Application
	Org        *org.Org
	Clock      apply.Clock
	Today      workday.Date
	Overdue    bool
	Soon       bool
	Notices    []apply.Notice
	Deliveries []apply.Delivery
	Files      []apply.Attachment
	Cases      []apply.Case
	Handlers   []account.User
	Handler    string // handler's display name

	CanHandle bool // handler role: record steps
	CanLead   bool // leader role: approve the extension
	Form      string
	In        url.Values
	Errors    map[string]string
}

// V returns a value typed into form f, for re-rendering after an error.
func (p applyShowPage) V(f, k string) string {
	if p.Form != f || p.In == nil {
		return ""
	}
	return p.In.Get(k)
}

// E returns the error of field k of form f.
func (p applyShowPage) E(f, k string) string {
	if p.Form != f {
		return ""
	}
	return p.Errors[k]
}

// Categories lists outcome categories with their reasons, for the form.
func (p applyShowPage) Categories() []apply.Category { return apply.Categories() }

// Reasons lists the sub-reasons of c.
func (p applyShowPage) Reasons(c apply.Category) []apply.ReasonInfo { return apply.Reasons(c) }

// Ways lists delivery ways.
func (p applyShowPage) Ways() []apply.Way { return apply.Ways() }

// CaseKinds lists case kinds.
func (p applyShowPage) CaseKinds() []apply.CaseKind { return apply.CaseKinds() }

// CaseResults lists case results.
func (p applyShowPage) CaseResults() []apply.CaseResult { return apply.CaseResults() }

// TodayS is today as text, the default for date fields.
func (p applyShowPage) TodayS() string { return p.Today.String() }

// loadApplication loads application id and checks that the actor may see
// it; others get 404 so they learn nothing.
func (h *handler) loadApplication(r *http.Request, id int64) (*apply.Application, *org.Org, []int64, error) {
	ctx := r.Context()
	a, err := h.Apply.Reader.Application(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	path := org.Path(orgs, a.OrgID)
	if !actor(r).HasAny(path, apply.ViewRoles...) {
		return nil, nil, nil, fmt.Errorf("application %d: %w", id, apperr.ErrNotFound)
	}
	var o *org.Org
	for i := range orgs {
		if orgs[i].ID == a.OrgID {
			o = &orgs[i]
		}
	}
	return a, o, path, nil
}

func (h *handler) applyShowData(w http.ResponseWriter, r *http.Request, id int64) (applyShowPage, error) {
	ctx := r.Context()
	a, o, path, err := h.loadApplication(r, id)
	if err != nil {
		return applyShowPage{}, err
	}
	cal, err := h.calendar(ctx)
	if err != nil {
		return applyShowPage{}, err
	}
	today := apply.Today(h.Now())
	c := h.Apply.Service.Rules().Compute(cal, a.Channel, a.Events, today)
	p := applyShowPage{basePage: h.base(w, r, "申请 "+a.TrackingNo), App: a, Org: o, Clock: c, Today: today,
		Overdue: c.Overdue(today), Soon: c.DueSoon(cal, today)}
	act := actor(r)
	p.CanHandle, p.CanLead = act.Has(account.RoleHandler, path), act.Has(account.RoleLeader, path)
	if p.Notices, p.Deliveries, p.Files, p.Cases, err = h.Apply.Reader.ApplicationRecords(ctx, id); err != nil {
		return applyShowPage{}, err
	}
	users, err := h.Reader.Users(ctx)
	if err != nil {
		return applyShowPage{}, err
	}
	for _, u := range users {
		if !u.Disabled && account.ActorFor(&u, "").Has(account.RoleHandler, path) {
			p.Handlers = append(p.Handlers, u)
		}
		if u.ID == a.HandlerID {
			p.Handler = u.DisplayName
		}
	}
	return p, nil
}

func (h *handler) applyShow(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.applyShowData(w, r, id)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "apply/show", p)
}

// applyAct performs one step on an application; on bad input it shows the
// application again with the step's form as typed and its errors.
func (h *handler) applyAct(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	if action == "attachment" {
		if err := r.ParseMultipartForm(MaxReleased + 64<<10); err != nil {
			return h.applyActFailed(w, r, id, action, url.Values{}, map[string]string{"file": "文件过大或无法读取，请不超过1.9MB"})
		}
	} else if err := r.ParseForm(); err != nil {
		return apperr.Invalidf("", "表单无法读取")
	}
	in := r.PostForm
	ctx, act := r.Context(), actor(r)
	errs := map[string]string{}
	day := func(k string) workday.Date { return parseDay(errs, k, in.Get(k)) }
	note := strings.TrimSpace(in.Get("note"))
	var flash string
	switch action {
	case "receive":
		on := day("received_on")
		if len(errs) == 0 {
			_, err = h.Apply.Service.ConfirmReceipt(ctx, act, id, on)
		}
		flash = "已确认收到申请，开始计算答复期限"
	case "assign":
		uid, _ := strconv.ParseInt(in.Get("handler_id"), 10, 64)
		_, err = h.Apply.Service.Assign(ctx, act, id, uid)
		flash = "已分配经办人"
	case "correction":
		on, until := day("on"), day("until")
		if len(errs) == 0 {
			_, err = h.Apply.Service.RequestCorrection(ctx, act, id, on, until, note)
		}
		flash = "已登记补正告知，答复期限暂停计算"
	case "corrected":
		on := day("on")
		if len(errs) == 0 {
			_, err = h.Apply.Service.RecordCorrected(ctx, act, id, on, note)
		}
		flash = "已登记收到补正，答复期限重新计算"
	case "consult":
		on := day("on")
		if len(errs) == 0 {
			_, err = h.Apply.Service.StartConsultation(ctx, act, id, on, apply.Party(in.Get("party")), note)
		}
		flash = "已登记征求意见，答复期限暂停计算"
	case "consult-end":
		on := day("on")
		if len(errs) == 0 {
			_, err = h.Apply.Service.EndConsultation(ctx, act, id, on, note)
		}
		flash = "已登记收到意见"
	case "extend":
		on, told := day("on"), day("notified_on")
		n, aerr := strconv.Atoi(strings.TrimSpace(in.Get("days")))
		if aerr != nil {
			errs["days"] = "请填写延长的工作日数"
		}
		if len(errs) == 0 {
			_, err = h.Apply.Service.Extend(ctx, act, id, on, n, told, note)
		}
		flash = "已批准延长答复期限"
	case "defer":
		on, until := day("on"), day("until")
		if len(errs) == 0 {
			_, err = h.Apply.Service.Defer(ctx, act, id, on, until, note)
		}
		flash = "已确定延迟答复期限"
	case "outcome":
		o := apply.Outcome{Category: apply.Category(in.Get("category")), Reason: apply.Reason(in.Get("reason_" + in.Get("category"))),
			Note: note, AnsweredOn: day("answered_on")}
		if len(errs) == 0 {
			var orgName string
			if _, org, _, lerr := h.loadApplication(r, id); lerr == nil && org != nil {
				orgName = org.Name
			}
			_, _, err = h.Apply.Service.RecordOutcome(ctx, act, id, o, in.Get("body"), orgName)
		}
		flash = "已作出答复并生成告知书"
	case "delivery":
		d := apply.Delivery{Way: apply.Way(in.Get("way")), On: day("on"), Note: note}
		if len(errs) == 0 {
			_, err = h.Apply.Service.RecordDelivery(ctx, act, id, d)
		}
		flash = "已登记送达"
	case "case":
		cid, _ := strconv.ParseInt(in.Get("case_id"), 10, 64)
		c := &apply.Case{ID: cid, ApplicationID: id, Kind: apply.CaseKind(in.Get("kind")), Body: in.Get("body"), FiledOn: day("filed_on"),
			Result: apply.CaseResult(in.Get("result")), DecidedOn: day("decided_on"), Note: note}
		if len(errs) == 0 {
			err = h.Apply.Service.SaveCase(ctx, act, c)
		}
		flash = "已保存复议诉讼情况"
	case "attachment":
		flash = "已上传公开的政府信息"
		err = h.applyUpload(r, id, errs)
	default:
		return apperr.ErrNotFound
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		for k, v := range inv.Fields {
			errs[k] = v
		}
	} else if err != nil {
		return err
	}
	if len(errs) > 0 {
		return h.applyActFailed(w, r, id, action, in, errs)
	}
	redirect(w, r, fmt.Sprintf("/admin/apply/%d", id), flash)
	return nil
}

func (h *handler) applyActFailed(w http.ResponseWriter, r *http.Request, id int64, action string, in url.Values, errs map[string]string) error {
	p, err := h.applyShowData(w, r, id)
	if err != nil {
		return err
	}
	p.Form, p.In, p.Errors = action, in, errs
	return h.tmpl.Render(w, http.StatusUnprocessableEntity, "apply/show", p)
}

// applyUpload stores a released document after screening it: a document
// with blocking findings (personal data, classification markings) does
// not leave.
func (h *handler) applyUpload(r *http.Request, id int64, errs map[string]string) error {
	if h.Apply.Files == nil {
		errs["file"] = "未配置文件存储"
		return nil
	}
	if _, _, _, err := h.loadApplication(r, id); err != nil {
		return err
	}
	if r.MultipartForm == nil || len(r.MultipartForm.File["file"]) == 0 {
		errs["file"] = "请选择文件"
		return nil
	}
	fh := r.MultipartForm.File["file"][0]
	if fh.Size > MaxReleased {
		errs["file"] = "文件过大，请不超过1.9MB"
		return nil
	}
	f, err := fh.Open()
	if err != nil {
		errs["file"] = "文件无法读取"
		return nil
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxReleased+1))
	f.Close()
	if err != nil || len(data) == 0 {
		errs["file"] = "文件无法读取或为空"
		return nil
	}
	var summary string
	if h.Apply.Screen != nil {
		findings, err := h.Apply.Screen(r.Context(), fh.Filename, data)
		if err != nil {
			return err
		}
		if screening.HasBlocking(findings) {
			var msgs []string
			for _, f := range findings {
				if f.Severity == screening.SeverityBlocking && len(msgs) < 5 {
					msgs = append(msgs, f.Message+"（"+f.Location+"）")
				}
			}
			errs["file"] = "文件未通过发布前检查，请处理后再上传：" + strings.Join(msgs, "；")
			return nil
		}
		if len(findings) > 0 {
			summary = fmt.Sprintf("发布前检查提示%d处，已人工确认", len(findings))
		} else {
			summary = "发布前检查未发现问题"
		}
	}
	sum, size, err := h.Apply.Files.Put(bytes.NewReader(data), MaxReleased)
	if err != nil {
		return err
	}
	name := fh.Filename
	if len([]rune(name)) > 100 {
		name = string([]rune(name)[:100])
	}
	_, err = h.Apply.Service.AddAttachment(r.Context(), actor(r), id, &apply.Attachment{Kind: apply.AttachReleased, Name: name,
		ContentType: http.DetectContentType(data), Size: size, SHA256: sum, Path: sum, Screening: summary})
	return err
}

// noticeOf finds reply notice nid of the application in the URL.
func (h *handler) noticeOf(r *http.Request) (*apply.Application, *org.Org, *apply.Notice, error) {
	if err := h.applyOn(); err != nil {
		return nil, nil, nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return nil, nil, nil, err
	}
	nid, err := web.PathID(r, "nid")
	if err != nil {
		return nil, nil, nil, err
	}
	a, o, _, err := h.loadApplication(r, id)
	if err != nil {
		return nil, nil, nil, err
	}
	ns, _, _, _, err := h.Apply.Reader.ApplicationRecords(r.Context(), id)
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range ns {
		if ns[i].ID == nid {
			return a, o, &ns[i], nil
		}
	}
	return nil, nil, nil, apperr.ErrNotFound
}

type noticePage struct {
	basePage
	App    *apply.Application
	Org    *org.Org
	Notice *apply.Notice
	Paras  []string
}

// applyNotice shows a reply notice for printing.
func (h *handler) applyNotice(w http.ResponseWriter, r *http.Request) error {
	a, o, n, err := h.noticeOf(r)
	if err != nil {
		return err
	}
	p := noticePage{basePage: h.base(w, r, n.Title), App: a, Org: o, Notice: n, Paras: strings.Split(n.Body, "\n")}
	return h.tmpl.Render(w, http.StatusOK, "apply/notice", p)
}

// applyNoticeDocx returns a reply notice as a Word document.
func (h *handler) applyNoticeDocx(w http.ResponseWriter, r *http.Request) error {
	a, _, n, err := h.noticeOf(r)
	if err != nil {
		return err
	}
	var d docx.Document
	d.Heading(1, n.Title)
	d.Add(docx.Paragraph{Runs: []docx.Run{{Text: "编号：" + a.TrackingNo}}, Align: docx.AlignRight})
	lines := strings.Split(n.Body, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		p := docx.Paragraph{Runs: []docx.Run{{Text: l}}, Indent: i > 0}
		// The closing lines (agency and date) sit on the right.
		if i >= len(lines)-2 {
			p.Align, p.Indent = docx.AlignRight, false
		}
		d.Add(p)
	}
	b, err := d.Bytes()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="notice-%s.docx"; filename*=UTF-8''%s`, a.TrackingNo, url.PathEscape("告知书-"+a.TrackingNo+".docx")))
	_, err = w.Write(b)
	return err
}

// applyFile sends a private file of an application to staff who may see it.
func (h *handler) applyFile(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	if h.Apply.Files == nil {
		return apperr.ErrNotFound
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	if _, _, _, err := h.loadApplication(r, id); err != nil {
		return err
	}
	_, _, files, _, err := h.Apply.Reader.ApplicationRecords(r.Context(), id)
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.ID != fid {
			continue
		}
		fh, err := h.Apply.Files.Open(f.SHA256)
		if err != nil {
			return fmt.Errorf("open file %d: %w", f.ID, apperr.ErrNotFound)
		}
		defer fh.Close()
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="file-%d"; filename*=UTF-8''%s`, f.ID, url.PathEscape(f.Name)))
		_, err = io.Copy(w, fh)
		return err
	}
	return apperr.ErrNotFound
}

type templatesPage struct {
	basePage
	Orgs     []org.Org
	OrgID    int64
	Category apply.Category
	Body     string
	Errors   map[string]string
	Stored   bool
	Holders  [][2]string
}

// Categories lists the categories for the template picker.
func (p templatesPage) Categories() []apply.Category { return apply.Categories() }

func (h *handler) templateOrgs(r *http.Request) ([]org.Org, error) {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	scope := org.Scope(orgs, actor(r), account.RoleHandler, account.RoleAdmin)
	var out []org.Org
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("notice templates: %w", apperr.ErrForbidden)
	}
	return out, nil
}

func (h *handler) applyTemplates(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	orgs, err := h.templateOrgs(r)
	if err != nil {
		return err
	}
	orgID := web.FormID(r, "org")
	if !slices.ContainsFunc(orgs, func(o org.Org) bool { return o.ID == orgID }) {
		orgID = orgs[0].ID
	}
	c := apply.Category(r.URL.Query().Get("category"))
	if !c.Valid() {
		c = apply.CatDisclosed
	}
	body, ok, err := h.Apply.Reader.NoticeTemplate(r.Context(), orgID, c)
	if err != nil {
		return err
	}
	if !ok {
		body = apply.DefaultTemplate(c)
	}
	p := templatesPage{basePage: h.base(w, r, "告知书模板"), Orgs: orgs, OrgID: orgID, Category: c, Body: body, Stored: ok, Holders: apply.Placeholders()}
	return h.tmpl.Render(w, http.StatusOK, "apply/templates", p)
}

func (h *handler) applyTemplateSave(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	orgs, err := h.templateOrgs(r)
	if err != nil {
		return err
	}
	orgID := web.FormID(r, "org")
	c := apply.Category(r.PostFormValue("category"))
	body := r.PostFormValue("body")
	err = h.Apply.Service.SaveNoticeTemplate(r.Context(), actor(r), orgID, c, body)
	if inv, ok := apperr.AsInvalid(err); ok {
		p := templatesPage{basePage: h.base(w, r, "告知书模板"), Orgs: orgs, OrgID: orgID, Category: c, Body: body, Errors: inv.Fields, Holders: apply.Placeholders()}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "apply/templates", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, fmt.Sprintf("/admin/apply/templates?org=%d&category=%s", orgID, c), "告知书模板已保存")
	return nil
}

type calendarYearRow struct {
	Year     workday.Year
	Stored   bool
	Holidays int
	Makeup   int
}

type calendarPage struct {
	basePage
	Rows    []calendarYearRow
	Next    int
	SameDay bool // the installation counts the day of receipt
}

func (h *handler) calendarAllowed(r *http.Request) error {
	if err := h.applyOn(); err != nil {
		return err
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return err
	}
	if !actor(r).System && !h.canCalendar(orgs, actor(r)) {
		return fmt.Errorf("calendar: %w", apperr.ErrForbidden)
	}
	return nil
}

func (h *handler) calendarList(w http.ResponseWriter, r *http.Request) error {
	if err := h.calendarAllowed(r); err != nil {
		return err
	}
	stored, err := h.Apply.Reader.CalendarYears(r.Context())
	if err != nil {
		return err
	}
	cal, err := apply.Overlay(h.Apply.Calendar, stored)
	if err != nil {
		return err
	}
	p := calendarPage{basePage: h.base(w, r, "节假日安排"), SameDay: h.Apply.Service.Rules().Counting == apply.CountSameDay}
	for _, y := range cal.Years() {
		isStored := slices.ContainsFunc(stored, func(s workday.Year) bool { return s.Year == y.Year })
		p.Rows = append(p.Rows, calendarYearRow{Year: y, Stored: isStored, Holidays: len(y.Holidays), Makeup: len(y.Makeup)})
		p.Next = y.Year + 1
	}
	slices.Reverse(p.Rows)
	return h.tmpl.Render(w, http.StatusOK, "apply/calendar", p)
}

type calendarEditPage struct {
	basePage
	In     workday.YearInput
	Errors map[string]string
}

func joinDates(ds []workday.Date) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return strings.Join(s, "\n")
}

func (h *handler) calendarEdit(w http.ResponseWriter, r *http.Request) error {
	if err := h.calendarAllowed(r); err != nil {
		return err
	}
	n, _ := strconv.Atoi(r.URL.Query().Get("year"))
	in := workday.YearInput{Year: strconv.Itoa(n), Notices: []workday.NoticeInput{{}}}
	stored, err := h.Apply.Reader.CalendarYears(r.Context())
	if err != nil {
		return err
	}
	cal, err := apply.Overlay(h.Apply.Calendar, stored)
	if err != nil {
		return err
	}
	if y, ok := cal.Year(n); ok {
		in.Holidays, in.Makeup = joinDates(y.Holidays), joinDates(y.Makeup)
		in.Notices = nil
		for _, no := range y.Notices {
			pub := ""
			if !no.Published.IsZero() {
				pub = no.Published.String()
			}
			in.Notices = append(in.Notices, workday.NoticeInput{Title: no.Title, DocNo: no.DocNo, Published: pub, URL: no.URL})
		}
	}
	p := calendarEditPage{basePage: h.base(w, r, "编辑节假日安排"), In: in}
	return h.tmpl.Render(w, http.StatusOK, "apply/calendar_edit", p)
}

func (h *handler) calendarSave(w http.ResponseWriter, r *http.Request) error {
	if err := h.calendarAllowed(r); err != nil {
		return err
	}
	in := workday.YearInput{Year: r.PostFormValue("year"), Holidays: r.PostFormValue("holidays"), Makeup: r.PostFormValue("makeup"),
		Notices: []workday.NoticeInput{{Title: r.PostFormValue("notices.0.title"), DocNo: r.PostFormValue("notices.0.doc_no"),
			Published: r.PostFormValue("notices.0.published"), URL: r.PostFormValue("notices.0.url")}}}
	y, err := workday.ParseYear(in)
	var n int
	if err == nil {
		n, err = h.Apply.Service.SetCalendarYear(r.Context(), actor(r), y)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p := calendarEditPage{basePage: h.base(w, r, "编辑节假日安排"), In: in, Errors: inv.Fields}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "apply/calendar_edit", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/calendar", fmt.Sprintf("%d年节假日安排已保存，%d件在办申请的答复期限已重新计算", y.Year, n))
	return nil
}
