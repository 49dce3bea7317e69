package site

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/apperr"
	"gongkai/internal/captcha"
	"gongkai/internal/interact"
	"gongkai/internal/org"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// Interactions is what the public interaction pages call. *interact.Service
// implements it.
type Interactions interface {
	Submit(ctx context.Context, m *interact.Message, ipKey string) (*interact.Receipt, error)
	Track(ctx context.Context, queryNo, code string) (*interact.Message, []interact.Event, error)
	Rate(ctx context.Context, queryNo, code string, level interact.Level, comment string) error
	AddComment(ctx context.Context, consultationID int64, c *interact.Comment, ipKey string) error
	CalendarNow(ctx context.Context) (*workday.Calendar, workday.Date, error)
}

// InteractReader reads what the public interaction pages list. *store.DB
// implements it.
type InteractReader interface {
	Messages(ctx context.Context, f interact.Filter) ([]interact.Message, error)
	PublishedMessage(ctx context.Context, id int64) (*interact.Message, error)
	Consultations(ctx context.Context, orgIDs []int64) ([]interact.Consultation, error)
	Consultation(ctx context.Context, id int64) (*interact.Consultation, error)
	Comments(ctx context.Context, consultationID int64, shownOnly bool) ([]interact.Comment, error)
	// ItemLive reports whether a published item (a consultation's
	// feedback summary) is on the site.
	ItemLive(ctx context.Context, id int64) (bool, error)
}

// InteractConfig holds what the public interaction pages (公众互动) need.
// With a nil Service the pages answer 404.
type InteractConfig struct {
	Service Interactions
	Reader  InteractReader
	Captcha *captcha.Service
	// SubmitLimit limits messages and comments per client address;
	// QueryLimit limits query-code attempts per address and per query
	// number, so that codes cannot be guessed.
	SubmitLimit *web.RateLimiter
	QueryLimit  *web.RateLimiter
}

func (h *handler) interactRoutes(mux *http.ServeMux) {
	mux.Handle("GET /interact", h.wrap(h.interactList))
	mux.Handle("GET /interact/{$}", h.wrap(h.interactList))
	mux.Handle("GET /interact/{id}", h.wrap(h.interactShow))
	mux.Handle("GET /interact/new", web.NoStore(h.wrap(h.interactForm)))
	mux.Handle("POST /interact/new", web.NoStore(h.wrap(h.interactSubmit)))
	mux.Handle("GET /interact/query", web.NoStore(h.wrap(h.interactQueryForm)))
	mux.Handle("POST /interact/query", web.NoStore(h.wrap(h.interactQuery)))
	mux.Handle("POST /interact/rate", web.NoStore(h.wrap(h.interactRate)))
	mux.Handle("GET /interact/consult/{$}", h.wrap(h.consultList))
	mux.Handle("GET /interact/consult/{id}", web.NoStore(h.wrap(h.consultShow)))
	mux.Handle("POST /interact/consult/{id}", web.NoStore(h.wrap(h.consultComment)))
}

// throttled is the message for a client over the submission limit.
const throttled = "提交过于频繁，请几分钟后再试。您填写的内容已保留在下方。"

func (h *handler) interactEnabled() error {
	if h.Interact.Service == nil {
		return apperr.ErrNotFound
	}
	return nil
}

// groupOrgs returns the orgs of the current site's site group (the same
// root), in tree order.
func groupOrgs(sc *siteCtx) []org.Org {
	root := org.Path(sc.Orgs, sc.Org.ID)
	var out []org.Org
	for _, o := range sc.Orgs {
		if p := org.Path(sc.Orgs, o.ID); len(p) > 0 && len(root) > 0 && p[0] == root[0] {
			out = append(out, o)
		}
	}
	return out
}

func orgName(orgs []org.Org, id int64) string {
	for _, o := range orgs {
		if o.ID == id {
			return o.Name
		}
	}
	return ""
}

func (p page) interactCrumbs(last string) []crumb {
	cs := []crumb{{Name: "首页", URL: p.Home()}, {Name: "公众互动", URL: p.Base + "/interact/"}}
	if last != "" {
		cs = append(cs, crumb{Name: last})
	}
	return cs
}

// Public list of answered messages.

type interactListPage struct {
	page
	Messages []interact.Message
	Orgs     []org.Org
	Kinds    []interact.Kind
	Q        string
	OrgID    int64
	Kind     string
	Figures  interact.Figures
	ByOrg    []orgFigures // every org of the site group that received messages
	Year     int          // the figures are of this year
	PageNo   int
	More     bool
}

// orgFigures are one org's figures for the public table.
type orgFigures struct {
	Org     org.Org
	Figures interact.Figures
}

// OrgName names an org of the site group.
func (p interactListPage) OrgName(id int64) string { return orgName(p.Orgs, id) }

// PageURL is the list with the same filters on another page.
func (p interactListPage) PageURL(n int) string {
	v := url.Values{}
	if p.Q != "" {
		v.Set("q", p.Q)
	}
	v.Set("org", strconv.FormatInt(p.OrgID, 10))
	if p.Kind != "" {
		v.Set("kind", p.Kind)
	}
	v.Set("page", strconv.Itoa(n))
	return p.Base + "/interact/?" + v.Encode()
}

const interactPageSize = 20

func (h *handler) interactList(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	sc := siteOf(r)
	q := r.URL.Query()
	p := interactListPage{page: newPage(r, sc, "公众互动"), Orgs: groupOrgs(sc), Kinds: interact.Kinds(),
		Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), OrgID: sc.Org.ID, PageNo: 1}
	p.Crumbs = p.interactCrumbs("")
	if v := q.Get("org"); v != "" {
		p.OrgID, _ = strconv.ParseInt(v, 10, 64)
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 && n < 1000 {
		p.PageNo = n
	}
	if len([]rune(p.Q)) > 50 {
		p.Q = string([]rune(p.Q)[:50])
	}
	// An org's list covers its subordinate units too.
	var ids []int64
	if slices.ContainsFunc(p.Orgs, func(o org.Org) bool { return o.ID == p.OrgID }) {
		ids = org.Subtree(p.Orgs, []int64{p.OrgID})
	}
	if len(ids) == 0 {
		p.OrgID, ids = 0, nil
		for _, o := range p.Orgs {
			ids = append(ids, o.ID)
		}
	}
	f := interact.Filter{OrgIDs: ids, Published: true, Query: p.Q, Limit: interactPageSize + 1, Offset: (p.PageNo - 1) * interactPageSize}
	if k := interact.Kind(p.Kind); k.Valid() {
		f.Kind = k
	} else {
		p.Kind = ""
	}
	msgs, err := h.Interact.Reader.Messages(r.Context(), f)
	if err != nil {
		return err
	}
	if len(msgs) > interactPageSize {
		msgs, p.More = msgs[:interactPageSize], true
	}
	p.Messages = msgs
	// Figures cover every message the orgs received this year, published
	// or not; the year bounds the work of a public page.
	group := make([]int64, len(p.Orgs))
	for i, o := range p.Orgs {
		group[i] = o.ID
	}
	cal, today, err := h.Interact.Service.CalendarNow(r.Context())
	if err != nil {
		return err
	}
	p.Year = today.Year()
	all, err := h.Interact.Reader.Messages(r.Context(), interact.Filter{OrgIDs: group, From: workday.NewDate(p.Year, 1, 1), To: today})
	if err != nil {
		return err
	}
	var mine []interact.Message
	for _, m := range all {
		if slices.Contains(ids, m.OrgID) {
			mine = append(mine, m)
		}
	}
	p.Figures = interact.Summarize(cal, mine, today).Total
	st := interact.Summarize(cal, all, today)
	for _, o := range p.Orgs {
		if f, ok := st.ByOrg[o.ID]; ok {
			p.ByOrg = append(p.ByOrg, orgFigures{Org: o, Figures: f})
		}
	}
	return h.tmpl.Render(w, http.StatusOK, "interact/list", p)
}

type interactShowPage struct {
	page
	Message *interact.Message
	OrgName string
}

func (h *handler) interactShow(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.Interact.Reader.PublishedMessage(r.Context(), id)
	if err != nil {
		return err
	}
	sc := siteOf(r)
	p := interactShowPage{page: newPage(r, sc, m.PublicSubject), Message: m, OrgName: orgName(sc.Orgs, m.OrgID)}
	p.Crumbs = p.interactCrumbs(m.PublicSubject)
	return h.tmpl.Render(w, http.StatusOK, "interact/show", p)
}

// The message form.

// interactInput is the form as typed, kept whole for re-rendering.
type interactInput struct {
	Kind, Subject, Body, Name, Phone, Email string
	OrgID                                   int64
	Consent                                 bool
}

type interactFormPage struct {
	page
	In       interactInput
	Errors   map[string]string
	Orgs     []org.Org
	Kinds    []interact.Kind
	Question string
	Token    string
}

func (h *handler) renderInteractForm(w http.ResponseWriter, r *http.Request, status int, in interactInput, errs map[string]string) error {
	sc := siteOf(r)
	p := interactFormPage{page: newPage(r, sc, "我要留言"), In: in, Errors: errs, Orgs: groupOrgs(sc), Kinds: interact.Kinds()}
	p.Crumbs = p.interactCrumbs("我要留言")
	c := h.Interact.Captcha.New()
	p.Question, p.Token = c.Question, c.Token
	return h.tmpl.Render(w, status, "interact/form", p)
}

func (h *handler) interactForm(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	in := interactInput{Kind: string(interact.KindQuestion), OrgID: siteOf(r).Org.ID}
	if k := interact.Kind(r.URL.Query().Get("kind")); k.Valid() {
		in.Kind = string(k)
	}
	return h.renderInteractForm(w, r, http.StatusOK, in, nil)
}

func (h *handler) interactSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := interactInput{Kind: f("kind"), Subject: f("subject"), Body: f("body"), Name: f("name"), Phone: f("phone"), Email: f("email"),
		OrgID: web.FormID(r, "org_id"), Consent: r.PostFormValue("consent") == "1"}
	if err := h.Interact.SubmitLimit.Check(r); err != nil {
		// Refused, but what was typed comes back so it is not lost.
		h.Log.LogAttrs(r.Context(), slog.LevelWarn, "message submissions throttled", slog.String("request_id", web.RequestID(r)))
		return h.renderInteractForm(w, r, http.StatusTooManyRequests, in, map[string]string{"": throttled})
	}
	sc := siteOf(r)
	valid := false
	for _, o := range groupOrgs(sc) {
		valid = valid || o.ID == in.OrgID
	}
	m := &interact.Message{OrgID: in.OrgID, Kind: interact.Kind(in.Kind), Subject: in.Subject, Body: in.Body, Consent: in.Consent,
		Sender: interact.Sender{Name: in.Name, Phone: in.Phone, Email: in.Email}}
	if !valid {
		m.OrgID = 0
	}
	m.Normalize()
	errs := map[string]string{}
	if inv, ok := apperr.AsInvalid(m.Validate()); ok {
		errs = inv.Fields
	}
	if !h.Interact.Captcha.Verify(r.PostFormValue("captcha_token"), r.PostFormValue("captcha")) {
		errs["captcha"] = "验证问题回答不正确，请重新作答（可填写阿拉伯数字或汉字）"
	}
	if len(errs) > 0 {
		return h.renderInteractForm(w, r, http.StatusUnprocessableEntity, in, errs)
	}
	rc, err := h.Interact.Service.Submit(r.Context(), m, web.ClientIP(r))
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.renderInteractForm(w, r, http.StatusUnprocessableEntity, in, inv.Fields)
	}
	if err != nil {
		return err
	}
	h.Log.LogAttrs(r.Context(), slog.LevelInfo, "message submitted", slog.Int64("message_id", rc.Message.ID), slog.Int64("org_id", rc.Message.OrgID))
	p := interactReceiptPage{page: newPage(r, sc, "留言已提交"), Receipt: rc, OrgName: orgName(sc.Orgs, rc.Message.OrgID)}
	p.Crumbs = p.interactCrumbs("留言已提交")
	return h.tmpl.Render(w, http.StatusOK, "interact/receipt", p)
}

type interactReceiptPage struct {
	page
	Receipt *interact.Receipt
	OrgName string
}

// Query and rating.

type interactQueryPage struct {
	page
	Number  string
	Code    string // echoed into the rating form; the page is not cached
	Errors  map[string]string
	Message *interact.Message
	Events  []interact.Event
	OrgName string
	Levels  []interact.Level
	Level   string
	Comment string
	Rated   bool // a rating was just recorded
	Retry   bool // a throttled rating, offered again with what was typed
}

func (h *handler) interactQueryForm(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	p := interactQueryPage{page: newPage(r, siteOf(r), "留言查询"), Number: r.URL.Query().Get("no")}
	p.Crumbs = p.interactCrumbs("留言查询")
	return h.tmpl.Render(w, http.StatusOK, "interact/query", p)
}

// queryAllowed takes a token for the client and one for the query
// number, so neither one address nor many can guess a code.
func (h *handler) queryAllowed(r *http.Request, no string) error {
	if !h.Interact.QueryLimit.Allow(web.ClientIP(r)) || !h.Interact.QueryLimit.Allow("no:"+interact.NormalizeQueryNo(no)) {
		h.Log.LogAttrs(r.Context(), slog.LevelWarn, "message query throttled", slog.String("request_id", web.RequestID(r)))
		return apperr.ErrRateLimited
	}
	return nil
}

// lookup shows the message to whoever holds its number and code. Wrong
// codes and unknown numbers get the same answer.
func (h *handler) lookup(w http.ResponseWriter, r *http.Request, p interactQueryPage, status int) error {
	m, evs, err := h.Interact.Service.Track(r.Context(), p.Number, p.Code)
	if errors.Is(err, apperr.ErrNotFound) {
		p.Errors[""] = "留言编号或查询码不正确，请核对后重试。"
		p.Code = ""
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "interact/query", p)
	}
	if err != nil {
		return err
	}
	p.Message, p.Events, p.OrgName = m, evs, orgName(siteOf(r).Orgs, m.OrgID)
	return h.tmpl.Render(w, status, "interact/query", p)
}

func (h *handler) interactQuery(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	p := interactQueryPage{page: newPage(r, siteOf(r), "留言查询"), Number: strings.TrimSpace(r.PostFormValue("no")),
		Code: strings.TrimSpace(r.PostFormValue("code")), Errors: map[string]string{}, Levels: interact.Levels()}
	p.Crumbs = p.interactCrumbs("留言查询")
	if err := h.queryAllowed(r, p.Number); err != nil {
		return err
	}
	if p.Number == "" {
		p.Errors["no"] = "请填写留言编号"
	}
	if p.Code == "" {
		p.Errors["code"] = "请填写查询码"
	}
	if len(p.Errors) > 0 {
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "interact/query", p)
	}
	return h.lookup(w, r, p, http.StatusOK)
}

func (h *handler) interactRate(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	p := interactQueryPage{page: newPage(r, siteOf(r), "留言查询"), Number: strings.TrimSpace(r.PostFormValue("no")),
		Code: strings.TrimSpace(r.PostFormValue("code")), Errors: map[string]string{}, Levels: interact.Levels(),
		Level: r.PostFormValue("level"), Comment: strings.TrimSpace(r.PostFormValue("comment"))}
	p.Crumbs = p.interactCrumbs("留言查询")
	if err := h.queryAllowed(r, p.Number); err != nil {
		// Keep what the reader wrote: the page offers it again, without
		// showing the message, which the limit protects.
		p.Errors[""] = "提交过于频繁，请一分钟后再试。您填写的评价已保留在下方，可稍后再次提交。"
		p.Retry = true
		return h.tmpl.Render(w, http.StatusTooManyRequests, "interact/query", p)
	}
	err := h.Interact.Service.Rate(r.Context(), p.Number, p.Code, interact.Level(p.Level), p.Comment)
	status := http.StatusOK
	if inv, ok := apperr.AsInvalid(err); ok {
		p.Errors, status = inv.Fields, http.StatusUnprocessableEntity
	} else if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return err
	} else if err == nil {
		p.Rated = true
	}
	return h.lookup(w, r, p, status)
}

// Consultations on drafts (意见征集).

type consultListPage struct {
	page
	Consultations []interact.Consultation
	Today         workday.Date
}

func (h *handler) consultList(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	sc := siteOf(r)
	cs, err := h.Interact.Reader.Consultations(r.Context(), []int64{sc.Org.ID})
	if err != nil {
		return err
	}
	_, today, err := h.Interact.Service.CalendarNow(r.Context())
	if err != nil {
		return err
	}
	p := consultListPage{page: newPage(r, sc, "意见征集"), Consultations: cs, Today: today}
	p.Crumbs = p.interactCrumbs("意见征集")
	return h.tmpl.Render(w, http.StatusOK, "interact/consults", p)
}

type consultPage struct {
	page
	C       *interact.Consultation
	Phase   interact.Phase
	Draft   []string
	Summary []string
	// SummaryURL is the published item carrying the summary, if any.
	SummaryURL string
	Comments   []interact.Comment
	In         interact.Comment
	Errors     map[string]string
	Question   string
	Token      string
	Sent       bool
}

func (h *handler) renderConsult(w http.ResponseWriter, r *http.Request, status int, p consultPage) error {
	ctx := r.Context()
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.Interact.Reader.Consultation(ctx, id)
	if err != nil {
		return err
	}
	sc := siteOf(r)
	if c.OrgID != sc.Org.ID {
		return apperr.ErrNotFound
	}
	_, today, err := h.Interact.Service.CalendarNow(ctx)
	if err != nil {
		return err
	}
	if p.Comments, err = h.Interact.Reader.Comments(ctx, c.ID, true); err != nil {
		return err
	}
	p.page = newPage(r, sc, c.Title)
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "公众互动", URL: p.Base + "/interact/"}, {Name: "意见征集", URL: p.Base + "/interact/consult/"}, {Name: c.Title}}
	p.C, p.Phase = c, c.PhaseOf(today)
	p.Draft = strings.Split(c.Draft, "\n")
	live := false
	if c.SummaryItemID != 0 {
		if live, err = h.Interact.Reader.ItemLive(ctx, c.SummaryItemID); err != nil {
			return err
		}
	}
	if c.SummaryShown(live) {
		p.Summary = strings.Split(c.Summary, "\n")
		if live {
			p.SummaryURL = p.Base + "/item/" + strconv.FormatInt(c.SummaryItemID, 10)
		}
	}
	if p.Phase == interact.PhaseOpen {
		ch := h.Interact.Captcha.New()
		p.Question, p.Token = ch.Question, ch.Token
	}
	return h.tmpl.Render(w, status, "interact/consult", p)
}

func (h *handler) consultShow(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	return h.renderConsult(w, r, http.StatusOK, consultPage{})
}

func (h *handler) consultComment(w http.ResponseWriter, r *http.Request) error {
	if err := h.interactEnabled(); err != nil {
		return err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.Interact.Reader.Consultation(r.Context(), id)
	if err != nil {
		return err
	}
	if c.OrgID != siteOf(r).Org.ID {
		return apperr.ErrNotFound
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := interact.Comment{Sender: interact.Sender{Name: f("name"), Phone: f("phone")}, Body: f("body")}
	p := consultPage{In: in, Errors: map[string]string{}}
	if err := h.Interact.SubmitLimit.Check(r); err != nil {
		p.Errors[""] = throttled
		return h.renderConsult(w, r, http.StatusTooManyRequests, p)
	}
	cm := in
	if inv, ok := apperr.AsInvalid(cm.Validate()); ok {
		p.Errors = inv.Fields
	}
	if !h.Interact.Captcha.Verify(r.PostFormValue("captcha_token"), r.PostFormValue("captcha")) {
		p.Errors["captcha"] = "验证问题回答不正确，请重新作答（可填写阿拉伯数字或汉字）"
	}
	if len(p.Errors) == 0 {
		err := h.Interact.Service.AddComment(r.Context(), id, &cm, web.ClientIP(r))
		if inv, ok := apperr.AsInvalid(err); ok {
			p.Errors = inv.Fields
		} else if err != nil {
			return err
		}
	}
	if len(p.Errors) > 0 {
		return h.renderConsult(w, r, http.StatusUnprocessableEntity, p)
	}
	return h.renderConsult(w, r, http.StatusOK, consultPage{Sent: true})
}

// Lines splits a text into paragraphs for display.
func (interactShowPage) Lines(s string) []string { return strings.Split(s, "\n") }

// Lines splits a text into paragraphs for display.
func (interactQueryPage) Lines(s string) []string { return strings.Split(s, "\n") }
