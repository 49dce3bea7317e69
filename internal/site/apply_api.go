package site

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/apply"
	"gongkai/internal/org"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// TokenAuth turns a bearer token into an actor. *publish.Tokens implements
// it (the API tokens of issue 3; a token with the handler role may feed
// applications).
type TokenAuth interface {
	Authenticate(ctx context.Context, secret, ip string) (account.Actor, error)
}

// ApplyStaff is what the staff application API calls. *apply.Service
// implements it.
type ApplyStaff interface {
	Register(ctx context.Context, actor account.Actor, reg apply.Registration) (*apply.Application, string, error)
	ConfirmReceipt(ctx context.Context, actor account.Actor, id int64, on workday.Date) (*apply.Application, error)
	RequestCorrection(ctx context.Context, actor account.Actor, id int64, on, until workday.Date, what string) (*apply.Application, error)
	RecordCorrected(ctx context.Context, actor account.Actor, id int64, on workday.Date, note string) (*apply.Application, error)
	StartConsultation(ctx context.Context, actor account.Actor, id int64, on workday.Date, party apply.Party, note string) (*apply.Application, error)
	EndConsultation(ctx context.Context, actor account.Actor, id int64, on workday.Date, note string) (*apply.Application, error)
	Extend(ctx context.Context, actor account.Actor, id int64, on workday.Date, days int, notified workday.Date, reason string) (*apply.Application, error)
	Defer(ctx context.Context, actor account.Actor, id int64, on, until workday.Date, reason string) (*apply.Application, error)
	RecordOutcome(ctx context.Context, actor account.Actor, id int64, o apply.Outcome, body, orgName string) (*apply.Application, *apply.Notice, error)
	RecordDelivery(ctx context.Context, actor account.Actor, id int64, d apply.Delivery) (*apply.Application, error)
	Rules() apply.Rules
}

// ApplyAPIConfig configures the JSON API of disclosure on application,
// mounted at /api/v1/apply/.
type ApplyAPIConfig struct {
	Log    *slog.Logger
	Orgs   Reader
	Public ApplyConfig // submission and tracking, with their CAPTCHA and limits
	Staff  ApplyStaff
	Tokens TokenAuth
	Reader interface {
		Application(ctx context.Context, id int64) (*apply.Application, error)
		CalendarYears(ctx context.Context) ([]workday.Year, error)
	}
	StaffLimit *web.RateLimiter
}

type applyAPI struct{ ApplyAPIConfig }

// NewApplyAPI returns the application API (described in api/apply.yaml):
//
//	GET  /api/v1/apply/captcha                        a text challenge for submitting
//	POST /api/v1/apply/orgs/{code}/applications      submit (public; challenge required)
//	POST /api/v1/apply/track                          progress by number and query code (public)
//	POST /api/v1/apply/applications                   register a paper application (token)
//	GET  /api/v1/apply/applications/{id}              an application with its clock (token)
//	POST /api/v1/apply/applications/{id}/events       record a clock event (token)
//	POST /api/v1/apply/applications/{id}/outcome      record the answer (token)
//	POST /api/v1/apply/applications/{id}/delivery     record the delivery (token)
func NewApplyAPI(cfg ApplyAPIConfig) http.Handler {
	a := &applyAPI{cfg}
	mux := http.NewServeMux()
	mux.Handle("GET /api/v1/apply/captcha", a.wrap(a.captcha))
	mux.Handle("POST /api/v1/apply/orgs/{code}/applications", a.wrap(a.submit))
	mux.Handle("POST /api/v1/apply/track", a.wrap(a.track))
	mux.Handle("POST /api/v1/apply/applications", a.wrap(a.auth(a.register)))
	mux.Handle("GET /api/v1/apply/applications/{id}", a.wrap(a.auth(a.show)))
	mux.Handle("POST /api/v1/apply/applications/{id}/events", a.wrap(a.auth(a.event)))
	mux.Handle("POST /api/v1/apply/applications/{id}/outcome", a.wrap(a.auth(a.outcome)))
	mux.Handle("POST /api/v1/apply/applications/{id}/delivery", a.wrap(a.auth(a.delivery)))
	mux.Handle("/api/v1/apply/", a.wrap(func(http.ResponseWriter, *http.Request) error { return apperr.ErrNotFound }))
	return web.NoStore(mux)
}

func (a *applyAPI) wrap(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		status, msg := web.Status(err)
		body := apiError{Error: msg}
		if inv, ok := apperr.AsInvalid(err); ok {
			body.Fields = inv.Fields
		}
		if status >= 500 {
			a.Log.LogAttrs(r.Context(), slog.LevelError, "apply api", slog.String("request_id", web.RequestID(r)), slog.Any("err", err))
		}
		writeJSON(w, status, body)
	})
}

func (a *applyAPI) auth(fn func(http.ResponseWriter, *http.Request, account.Actor) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if a.Tokens == nil || a.Staff == nil {
			return apperr.ErrNotFound
		}
		if a.StaffLimit != nil {
			if err := a.StaffLimit.Check(r); err != nil {
				return err
			}
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gongkai"`)
			return fmt.Errorf("no bearer token: %w", apperr.ErrUnauthenticated)
		}
		act, err := a.Tokens.Authenticate(r.Context(), strings.TrimSpace(secret), web.ClientIP(r))
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gongkai", error="invalid_token"`)
			return err
		}
		return fn(w, r, act)
	}
}

func decodeJSON(r *http.Request, v any) error {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.Invalidf("", "请求体不是有效的JSON：%v", err)
	}
	return nil
}

// dayField parses an optional YYYY-MM-DD value.
func dayField(inv *apperr.Invalid, field, s string) workday.Date {
	if strings.TrimSpace(s) == "" {
		return workday.Date{}
	}
	d, err := workday.Parse(strings.TrimSpace(s))
	if err != nil {
		inv.Add(field, "日期格式应为YYYY-MM-DD")
	}
	return d
}

// ApplicantJSON is an applicant in the API.
type ApplicantJSON struct {
	Kind       string `json:"kind"` // person or org
	Name       string `json:"name"`
	IDType     string `json:"id_type,omitempty"`
	IDNumber   string `json:"id_number,omitempty"`
	CreditCode string `json:"credit_code,omitempty"`
	LegalRep   string `json:"legal_rep,omitempty"`
	Contact    string `json:"contact,omitempty"`
	OrgType    string `json:"org_type,omitempty"`
	Phone      string `json:"phone"`
	Email      string `json:"email,omitempty"`
	Address    string `json:"address,omitempty"`
	Postcode   string `json:"postcode,omitempty"`
}

// ApplicationJSON is the body of a submission or registration.
type ApplicationJSON struct {
	OrgID        int64         `json:"org_id,omitempty"` // registration: defaults to the token's org
	Channel      string        `json:"channel,omitempty"`
	ReceivedOn   string        `json:"received_on,omitempty"`
	Applicant    ApplicantJSON `json:"applicant"`
	Description  string        `json:"description"`
	DocNo        string        `json:"doc_no,omitempty"`
	IndexNo      string        `json:"index_no,omitempty"`
	Form         string        `json:"form"`
	Way          string        `json:"way"`
	Note         string        `json:"note,omitempty"`
	CaptchaToken string        `json:"captcha_token,omitempty"`
	Captcha      string        `json:"captcha,omitempty"`
}

func (j ApplicationJSON) application(orgID int64, ch apply.Channel) apply.Application {
	p := j.Applicant
	return apply.Application{OrgID: orgID, Channel: ch,
		Applicant: apply.Applicant{Kind: apply.ApplicantKind(p.Kind), Name: p.Name, IDType: apply.IDType(p.IDType), IDNumber: p.IDNumber,
			CreditCode: p.CreditCode, LegalRep: p.LegalRep, Contact: p.Contact, OrgType: apply.OrgType(p.OrgType),
			Phone: p.Phone, Email: p.Email, Address: p.Address, Postcode: p.Postcode},
		Description: j.Description, DocNo: j.DocNo, IndexNo: j.IndexNo, Form: apply.Form(j.Form), Way: apply.Way(j.Way)}
}

// EventJSON is an event in answers; staff answers carry notes, public ones
// do not.
type EventJSON struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	On    string `json:"on"`
	Days  int    `json:"days,omitempty"`
	Note  string `json:"note,omitempty"`
}

// StatusJSON is an application's progress.
type StatusJSON struct {
	ID          int64       `json:"id,omitempty"`
	TrackingNo  string      `json:"tracking_no"`
	QueryCode   string      `json:"query_code,omitempty"` // only when created
	Channel     string      `json:"channel"`
	State       string      `json:"state"`
	StateLabel  string      `json:"state_label"`
	ReceivedOn  string      `json:"received_on,omitempty"`
	DueOn       string      `json:"due_on,omitempty"`
	Provisional bool        `json:"due_provisional,omitempty"`
	Late        bool        `json:"late,omitempty"`
	Outcome     string      `json:"outcome,omitempty"`
	Reason      string      `json:"reason,omitempty"`
	Explanation []string    `json:"due_explanation,omitempty"`
	Events      []EventJSON `json:"events"`
	Receipt     string      `json:"receipt,omitempty"` // the signed receipt of a submission
	Duplicate   bool        `json:"duplicate,omitempty"`
}

func dayString(d workday.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func statusOf(a *apply.Application, c apply.Clock, staff bool) StatusJSON {
	s := StatusJSON{TrackingNo: a.TrackingNo, Channel: string(a.Channel), State: string(a.State), StateLabel: a.State.Label(),
		ReceivedOn: dayString(c.Received), Provisional: c.Provisional, Late: c.Late, Outcome: string(a.Outcome.Category), Reason: string(a.Outcome.Reason),
		Events: []EventJSON{}}
	if c.Running() {
		s.DueOn = dayString(c.Due)
	}
	if staff {
		s.ID, s.Explanation = a.ID, c.Steps
	}
	for _, e := range a.Events {
		if !staff && !e.Kind.Public() {
			continue
		}
		ej := EventJSON{Kind: string(e.Kind), Label: e.Kind.Label(), On: dayString(e.On), Days: e.Days}
		if staff {
			ej.Note = e.Note
		}
		s.Events = append(s.Events, ej)
	}
	return s
}

type captchaJSON struct {
	Question string `json:"question"`
	Token    string `json:"token"`
}

func (a *applyAPI) captcha(w http.ResponseWriter, r *http.Request) error {
	if a.Public.Service == nil {
		return apperr.ErrNotFound
	}
	c := a.Public.Captcha.New()
	writeJSON(w, http.StatusOK, captchaJSON{Question: c.Question, Token: c.Token})
	return nil
}

func (a *applyAPI) orgByCode(ctx context.Context, code string) (*org.Org, error) {
	orgs, err := a.Orgs.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for i := range orgs {
		if orgs[i].Code == code {
			return &orgs[i], nil
		}
	}
	return nil, apperr.ErrNotFound
}

// submit files an online application, as the public form does.
func (a *applyAPI) submit(w http.ResponseWriter, r *http.Request) error {
	if a.Public.Service == nil {
		return apperr.ErrNotFound
	}
	if err := a.Public.SubmitLimit.Check(r); err != nil {
		return err
	}
	o, err := a.orgByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	var j ApplicationJSON
	if err := decodeJSON(r, &j); err != nil {
		return err
	}
	app := j.application(o.ID, apply.ChannelOnline)
	app.Normalize()
	inv := &apperr.Invalid{}
	if iv, ok := apperr.AsInvalid(app.Validate(a.Public.Now())); ok {
		inv = iv
	}
	if !a.Public.Captcha.Verify(j.CaptchaToken, j.Captcha) {
		inv.Add("captcha", "验证问题回答不正确")
	}
	if err := inv.Err(); err != nil {
		return err
	}
	rc, err := a.Public.Service.Submit(r.Context(), &app, nil)
	if err != nil {
		return err
	}
	s := StatusJSON{TrackingNo: rc.TrackingNo, QueryCode: rc.Code, Channel: string(apply.ChannelOnline), State: string(rc.Application.State),
		StateLabel: rc.Application.State.Label(), Receipt: rc.Signed, Duplicate: rc.Duplicate, Events: []EventJSON{}}
	status := http.StatusCreated
	if rc.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, s)
	return nil
}

type trackJSON struct {
	TrackingNo string `json:"tracking_no"`
	Code       string `json:"query_code"`
}

// track answers like the tracking page: no personal data, the same error
// for a wrong code and an unknown number, and throttled.
func (a *applyAPI) track(w http.ResponseWriter, r *http.Request) error {
	if a.Public.Service == nil {
		return apperr.ErrNotFound
	}
	if !a.Public.TrackLimit.Allow(web.ClientIP(r)) {
		return apperr.ErrRateLimited
	}
	var j trackJSON
	if err := decodeJSON(r, &j); err != nil {
		return err
	}
	app, c, err := a.Public.Service.Track(r.Context(), j.TrackingNo, j.Code)
	if errors.Is(err, apperr.ErrNotFound) {
		return apperr.Invalidf("", "申请编号或查询码不正确")
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, statusOf(app, c, false))
	return nil
}

func (a *applyAPI) register(w http.ResponseWriter, r *http.Request, act account.Actor) error {
	var j ApplicationJSON
	if err := decodeJSON(r, &j); err != nil {
		return err
	}
	orgID := j.OrgID
	if orgID == 0 && len(act.Grants) > 0 {
		orgID = act.Grants[0].OrgID
	}
	inv := &apperr.Invalid{}
	reg := apply.Registration{Application: j.application(orgID, apply.Channel(j.Channel)), ReceivedOn: dayField(inv, "received_on", j.ReceivedOn), Note: j.Note}
	app, code, err := a.Staff.Register(r.Context(), act, reg)
	if iv, ok := apperr.AsInvalid(err); ok {
		for k, v := range inv.Fields {
			iv.Fields[k] = v
		}
		return iv
	}
	if err != nil {
		return err
	}
	s, err := a.staffStatus(r.Context(), app)
	if err != nil {
		return err
	}
	s.QueryCode = code
	writeJSON(w, http.StatusCreated, s)
	return nil
}

// staffStatus is an application as staff see it, with its clock and the
// explanation of its due date.
func (a *applyAPI) staffStatus(ctx context.Context, app *apply.Application) (StatusJSON, error) {
	years, err := a.Reader.CalendarYears(ctx)
	if err != nil {
		return StatusJSON{}, err
	}
	cal, err := apply.Overlay(workday.Embedded(), years)
	if err != nil {
		return StatusJSON{}, err
	}
	return statusOf(app, a.Staff.Rules().Compute(cal, app.Channel, app.Events, apply.Today(a.Public.Now())), true), nil
}

// answer writes an application as staff see it.
func (a *applyAPI) answer(w http.ResponseWriter, r *http.Request, status int, app *apply.Application) error {
	s, err := a.staffStatus(r.Context(), app)
	if err != nil {
		return err
	}
	writeJSON(w, status, s)
	return nil
}

func (a *applyAPI) show(w http.ResponseWriter, r *http.Request, act account.Actor) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	app, err := a.Reader.Application(r.Context(), id)
	if err != nil {
		return err
	}
	orgs, err := a.Orgs.Orgs(r.Context())
	if err != nil {
		return err
	}
	if !act.HasAny(org.Path(orgs, app.OrgID), apply.ViewRoles...) {
		return apperr.ErrNotFound
	}
	return a.answer(w, r, http.StatusOK, app)
}

// EventBody is the body of POST .../events.
type EventBody struct {
	Kind       string `json:"kind"` // received, correction_requested, corrected, consult_started, consult_ended, extended, deferred
	On         string `json:"on"`
	Until      string `json:"until,omitempty"`       // correction: the applicant's period; deferral: the new deadline
	Party      string `json:"party,omitempty"`       // consultation: third_party or agency
	Days       int    `json:"days,omitempty"`        // extension
	NotifiedOn string `json:"notified_on,omitempty"` // extension: applicant told
	Note       string `json:"note,omitempty"`
}

func (a *applyAPI) event(w http.ResponseWriter, r *http.Request, act account.Actor) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var b EventBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	inv := &apperr.Invalid{}
	on, until, told := dayField(inv, "on", b.On), dayField(inv, "until", b.Until), dayField(inv, "notified_on", b.NotifiedOn)
	if err := inv.Err(); err != nil {
		return err
	}
	ctx := r.Context()
	var app *apply.Application
	switch apply.EventKind(b.Kind) {
	case apply.EvReceived:
		app, err = a.Staff.ConfirmReceipt(ctx, act, id, on)
	case apply.EvCorrectionRequested:
		app, err = a.Staff.RequestCorrection(ctx, act, id, on, until, b.Note)
	case apply.EvCorrected:
		app, err = a.Staff.RecordCorrected(ctx, act, id, on, b.Note)
	case apply.EvConsultStarted:
		app, err = a.Staff.StartConsultation(ctx, act, id, on, apply.Party(b.Party), b.Note)
	case apply.EvConsultEnded:
		app, err = a.Staff.EndConsultation(ctx, act, id, on, b.Note)
	case apply.EvExtended:
		app, err = a.Staff.Extend(ctx, act, id, on, b.Days, told, b.Note)
	case apply.EvDeferred:
		app, err = a.Staff.Defer(ctx, act, id, on, until, b.Note)
	default:
		return apperr.Invalidf("kind", "不支持的事项：%s", b.Kind)
	}
	if err != nil {
		return err
	}
	return a.answer(w, r, http.StatusOK, app)
}

// OutcomeBody is the body of POST .../outcome.
type OutcomeBody struct {
	Category   string `json:"category"`
	Reason     string `json:"reason,omitempty"`
	Note       string `json:"note,omitempty"`
	AnsweredOn string `json:"answered_on"`
	Body       string `json:"notice,omitempty"` // the reply notice; empty renders the template
	OrgName    string `json:"org_name,omitempty"`
}

func (a *applyAPI) outcome(w http.ResponseWriter, r *http.Request, act account.Actor) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var b OutcomeBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	inv := &apperr.Invalid{}
	on := dayField(inv, "answered_on", b.AnsweredOn)
	if err := inv.Err(); err != nil {
		return err
	}
	name := b.OrgName
	if app, err := a.Reader.Application(r.Context(), id); err == nil && name == "" {
		if orgs, err := a.Orgs.Orgs(r.Context()); err == nil {
			for _, o := range orgs {
				if o.ID == app.OrgID {
					name = o.Name
				}
			}
		}
	}
	app, _, err := a.Staff.RecordOutcome(r.Context(), act, id, apply.Outcome{Category: apply.Category(b.Category), Reason: apply.Reason(b.Reason),
		Note: b.Note, AnsweredOn: on}, b.Body, name)
	if err != nil {
		return err
	}
	return a.answer(w, r, http.StatusOK, app)
}

// DeliveryBody is the body of POST .../delivery.
type DeliveryBody struct {
	Way  string `json:"way"`
	On   string `json:"on"`
	Note string `json:"note,omitempty"`
}

func (a *applyAPI) delivery(w http.ResponseWriter, r *http.Request, act account.Actor) error {
	id, err := web.PathID(r, "id")
	if err != nil {
		return err
	}
	var b DeliveryBody
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	inv := &apperr.Invalid{}
	on := dayField(inv, "on", b.On)
	if err := inv.Err(); err != nil {
		return err
	}
	app, err := a.Staff.RecordDelivery(r.Context(), act, id, apply.Delivery{Way: apply.Way(b.Way), On: on, Note: b.Note})
	if err != nil {
		return err
	}
	return a.answer(w, r, http.StatusOK, app)
}
