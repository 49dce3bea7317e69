package site

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/apply"
	"gongkai/internal/captcha"
	"gongkai/internal/screening"
	"gongkai/internal/web"
)

// Applications is what the public application pages call. *apply.Service
// implements it.
type Applications interface {
	Submit(ctx context.Context, a *apply.Application, files []apply.Attachment) (*apply.Receipt, error)
	Track(ctx context.Context, trackingNo, code string) (*apply.Application, apply.Clock, error)
}

// NoticeReader reads the reply notices of an application. *store.DB
// implements it.
type NoticeReader interface {
	ApplicationRecords(ctx context.Context, id int64) ([]apply.Notice, []apply.Delivery, []apply.Attachment, []apply.Case, error)
}

// PrivateFiles stores uploads that must never be public (identity
// documents), by content hash. *blob.Local implements it.
type PrivateFiles interface {
	Put(r io.Reader, max int64) (sum string, size int64, err error)
}

// ApplyConfig holds what the application pages (依申请公开) need. With a nil
// Service the pages answer 404.
type ApplyConfig struct {
	Service Applications
	Notices NoticeReader
	Captcha *captcha.Service
	Files   PrivateFiles // nil disables uploads
	// SubmitLimit limits submissions per client address; TrackLimit
	// limits tracking queries, so that query codes cannot be guessed.
	SubmitLimit *web.RateLimiter
	TrackLimit  *web.RateLimiter
	Now         func() time.Time
	// ReceiptKey returns the verifier key of signed receipts (a
	// golang.org/x/mod/sumdb/note verifier key), published so anyone can
	// check a receipt; nil hides it.
	ReceiptKey func(ctx context.Context) (string, error)
}

// MaxUpload is the largest identity document copy accepted.
const MaxUpload = 1 << 20

// uploadTypes are the content types accepted for an identity document
// copy, detected from the bytes.
var uploadTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}

func (h *handler) applyRoutes(mux *http.ServeMux) {
	mux.Handle("GET /apply", web.NoStore(h.wrap(h.applyForm)))
	mux.Handle("GET /apply/{$}", web.NoStore(h.wrap(h.applyForm)))
	mux.Handle("POST /apply", web.NoStore(h.wrap(h.applySubmit)))
	mux.Handle("GET /apply/track", web.NoStore(h.wrap(h.trackForm)))
	mux.Handle("POST /apply/track", web.NoStore(h.wrap(h.track)))
	mux.Handle("GET /apply/receipt-key", h.wrap(h.receiptKey))
}

// receiptKey serves the verifier key of signed receipts as plain text.
func (h *handler) receiptKey(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyEnabled(); err != nil || h.Apply.ReceiptKey == nil {
		return apperr.ErrNotFound
	}
	k, err := h.Apply.ReceiptKey(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err = io.WriteString(w, k+"\n")
	return err
}

// applyInput is the form as typed, kept whole for re-rendering.
type applyInput struct {
	Kind, Name, IDType, IDNumber, CreditCode, LegalRep, Contact, OrgType string
	Phone, Email, Address, Postcode                                      string
	Description, DocNo, IndexNo, Form, Way                               string
}

type applyFormPage struct {
	page
	In       applyInput
	Errors   map[string]string
	Question string
	Token    string
	Uploads  bool
	IDTypes  []apply.IDType
	OrgTypes []apply.OrgType
	Forms    []apply.Form
	Ways     []apply.Way
}

func (h *handler) applyEnabled() error {
	if h.Apply.Service == nil {
		return apperr.ErrNotFound
	}
	return nil
}

func (h *handler) renderApplyForm(w http.ResponseWriter, r *http.Request, status int, in applyInput, errs map[string]string) error {
	sc := siteOf(r)
	p := applyFormPage{page: newPage(r, sc, "政府信息公开申请"), In: in, Errors: errs, Uploads: h.Apply.Files != nil,
		IDTypes: apply.IDTypes(), OrgTypes: apply.OrgTypes(), Forms: apply.Forms(), Ways: apply.Ways()}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "政府信息公开申请"}}
	c := h.Apply.Captcha.New()
	p.Question, p.Token = c.Question, c.Token
	return h.tmpl.Render(w, status, "apply/form", p)
}

func (h *handler) applyForm(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyEnabled(); err != nil {
		return err
	}
	return h.renderApplyForm(w, r, http.StatusOK, applyInput{Kind: string(apply.ApplicantPerson), IDType: string(apply.IDResident),
		Form: string(apply.FormElectronic), Way: string(apply.WayEmail)}, nil)
}

func (h *handler) applySubmit(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyEnabled(); err != nil {
		return err
	}
	if err := h.Apply.SubmitLimit.Check(r); err != nil {
		return err
	}
	if err := r.ParseMultipartForm(MaxUpload + 64<<10); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return h.renderApplyForm(w, r, http.StatusUnprocessableEntity, applyInput{}, map[string]string{"id_copy": "上传的文件过大，请不超过1MB"})
		}
		return apperr.Invalidf("", "表单无法读取，请重新填写")
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	in := applyInput{Kind: f("kind"), Name: f("name"), IDType: f("id_type"), IDNumber: f("id_number"), CreditCode: f("credit_code"),
		LegalRep: f("legal_rep"), Contact: f("contact"), OrgType: f("org_type"), Phone: f("phone"), Email: f("email"), Address: f("address"),
		Postcode: f("postcode"), Description: f("description"), DocNo: f("doc_no"), IndexNo: f("index_no"), Form: f("form"), Way: f("way")}
	sc := siteOf(r)
	a := &apply.Application{OrgID: sc.Org.ID, Channel: apply.ChannelOnline,
		Applicant: apply.Applicant{Kind: apply.ApplicantKind(in.Kind), Name: in.Name, IDType: apply.IDType(in.IDType), IDNumber: in.IDNumber,
			CreditCode: in.CreditCode, LegalRep: in.LegalRep, Contact: in.Contact, OrgType: apply.OrgType(in.OrgType),
			Phone: in.Phone, Email: in.Email, Address: in.Address, Postcode: in.Postcode},
		Description: in.Description, DocNo: in.DocNo, IndexNo: in.IndexNo, Form: apply.Form(in.Form), Way: apply.Way(in.Way)}
	a.Normalize()
	errs := map[string]string{}
	if inv, ok := apperr.AsInvalid(a.Validate(h.Apply.Now())); ok {
		errs = inv.Fields
	}
	if !h.Apply.Captcha.Verify(r.PostFormValue("captcha_token"), r.PostFormValue("captcha")) {
		errs["captcha"] = "验证问题回答不正确，请重新作答（可填写阿拉伯数字或汉字）"
	}
	data, name, ctype, msg := readUpload(r, "id_copy")
	if msg != "" {
		errs["id_copy"] = msg
	} else if data != nil && h.Apply.Files == nil {
		errs["id_copy"] = "本站暂不接收上传文件，请在受理后按通知提交"
	}
	if len(errs) > 0 {
		return h.renderApplyForm(w, r, http.StatusUnprocessableEntity, in, errs)
	}
	var files []apply.Attachment
	if data != nil {
		sum, size, err := h.Apply.Files.Put(bytes.NewReader(data), MaxUpload)
		if err != nil {
			return err
		}
		files = append(files, apply.Attachment{Kind: apply.AttachIDCopy, Name: name, ContentType: ctype, Size: size, SHA256: sum, Path: sum})
	}
	rc, err := h.Apply.Service.Submit(r.Context(), a, files)
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.renderApplyForm(w, r, http.StatusUnprocessableEntity, in, inv.Fields)
	}
	if err != nil {
		return err
	}
	h.Log.LogAttrs(r.Context(), slog.LevelInfo, "application submitted", slog.Int64("application_id", rc.Application.ID),
		slog.Int64("org_id", sc.Org.ID), slog.Bool("duplicate", rc.Duplicate))
	p := receiptPage{page: newPage(r, sc, "申请已提交"), Receipt: rc}
	if h.Apply.ReceiptKey != nil && rc.Signed != "" {
		if p.Key, err = h.Apply.ReceiptKey(r.Context()); err != nil {
			return err
		}
	}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "政府信息公开申请", URL: p.Base + "/apply"}, {Name: "申请已提交"}}
	return h.tmpl.Render(w, http.StatusOK, "apply/receipt", p)
}

type receiptPage struct {
	page
	Receipt *apply.Receipt
	Key     string // verifier key of the receipt signature
}

// readUpload reads an optional uploaded file and checks its size and its
// type by content. It returns nil data when nothing was uploaded, or a
// message for the field.
func readUpload(r *http.Request, field string) (data []byte, name, ctype, msg string) {
	if r.MultipartForm == nil || len(r.MultipartForm.File[field]) == 0 {
		return nil, "", "", ""
	}
	fh := r.MultipartForm.File[field][0]
	if fh.Size == 0 && fh.Filename == "" {
		return nil, "", "", ""
	}
	if fh.Size > MaxUpload {
		return nil, "", "", "上传的文件过大，请不超过1MB"
	}
	data, err := readAll(fh)
	if err != nil {
		return nil, "", "", "文件无法读取，请重新选择"
	}
	if len(data) == 0 {
		return nil, "", "", "上传的文件是空的"
	}
	ctype = http.DetectContentType(data)
	if _, ok := uploadTypes[ctype]; !ok {
		return nil, "", "", "只接受JPG、PNG图片或PDF文件"
	}
	name = fh.Filename
	if len([]rune(name)) > 100 {
		name = string([]rune(name)[:100])
	}
	return data, name, ctype, ""
}

func readAll(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxUpload+1))
}

type trackPage struct {
	page
	Number    string
	Errors    map[string]string
	App       *apply.Application
	Clock     apply.Clock
	Timeline  []apply.Event
	Notices   []publicNotice
	Delivered []apply.Delivery
}

// publicNotice is a reply notice with the applicant's data masked.
type publicNotice struct {
	Title string
	Paras []string
}

func (h *handler) trackForm(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyEnabled(); err != nil {
		return err
	}
	p := trackPage{page: newPage(r, siteOf(r), "申请办理进度查询"), Number: r.URL.Query().Get("no")}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "申请办理进度查询"}}
	return h.tmpl.Render(w, http.StatusOK, "apply/track", p)
}

// track shows an application's progress to whoever holds its tracking
// number and query code. Wrong codes and unknown numbers get the same
// answer, and every query counts against the client's limit.
func (h *handler) track(w http.ResponseWriter, r *http.Request) error {
	if err := h.applyEnabled(); err != nil {
		return err
	}
	sc := siteOf(r)
	p := trackPage{page: newPage(r, sc, "申请办理进度查询"), Number: strings.TrimSpace(r.PostFormValue("no")), Errors: map[string]string{}}
	p.Crumbs = []crumb{{Name: "首页", URL: p.Home()}, {Name: "申请办理进度查询"}}
	if !h.Apply.TrackLimit.Allow(web.ClientIP(r)) {
		h.Log.LogAttrs(r.Context(), slog.LevelWarn, "tracking throttled", slog.String("request_id", web.RequestID(r)))
		return apperr.ErrRateLimited
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	if p.Number == "" {
		p.Errors["no"] = "请填写申请编号"
	}
	if code == "" {
		p.Errors["code"] = "请填写查询码"
	}
	if len(p.Errors) > 0 {
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "apply/track", p)
	}
	a, clk, err := h.Apply.Service.Track(r.Context(), p.Number, code)
	if err == nil && a.OrgID != sc.Org.ID {
		err = apperr.ErrNotFound
	}
	if errors.Is(err, apperr.ErrNotFound) {
		p.Errors[""] = "申请编号或查询码不正确，请核对后重试。"
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "apply/track", p)
	}
	if err != nil {
		return err
	}
	ns, ds, _, _, err := h.Apply.Notices.ApplicationRecords(r.Context(), a.ID)
	if err != nil {
		return err
	}
	for _, e := range a.Events {
		if e.Kind.Public() {
			p.Timeline = append(p.Timeline, e)
		}
	}
	for _, n := range ns {
		body := maskApplicant(n.Body, a.Applicant, h.Apply.Now)
		p.Notices = append(p.Notices, publicNotice{Title: n.Title, Paras: strings.Split(body, "\n")})
	}
	p.App, p.Clock, p.Delivered = a, clk, ds
	return h.tmpl.Render(w, http.StatusOK, "apply/track", p)
}

// maskApplicant removes the applicant's personal data from a reply notice
// before it is shown on the public tracking page: the name, identity and
// contact data, and anything the screening detectors find.
func maskApplicant(text string, ap apply.Applicant, now func() time.Time) string {
	for _, s := range []string{ap.IDNumber, ap.Phone, ap.Email, ap.Address, ap.CreditCode} {
		if s != "" {
			text = strings.ReplaceAll(text, s, strings.Repeat("*", len([]rune(s))))
		}
	}
	for _, s := range []string{ap.Name, ap.Contact, ap.LegalRep} {
		if s != "" {
			text = strings.ReplaceAll(text, s, screening.MaskName(s))
		}
	}
	return screening.Mask(text, screening.Scan(text, screening.Options{Now: now, Kinds: []screening.Kind{screening.KindIDNumber, screening.KindMobile, screening.KindBankCard, screening.KindEmail}}))
}
