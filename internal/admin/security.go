package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/blob"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

// SecurityReader reads the security findings register. *store.DB
// implements it.
type SecurityReader interface {
	SecurityFindings(ctx context.Context, orgIDs []int64) ([]inspect.Finding, error)
	SecurityFinding(ctx context.Context, id int64) (*inspect.Finding, error)
}

// SecurityConfig is what the findings register pages need (issue 10); a
// nil Service turns them off.
type SecurityConfig struct {
	Service *inspect.Findings
	Reader  SecurityReader
	Files   *blob.Local // evidence files, never served publicly
	// Maps lists the published map images for the map self-check.
	Maps MapLister
}

// MapLister lists the map images of the orgs' published items.
type MapLister interface {
	MapImages(ctx context.Context, orgIDs []int64) ([]inspect.MapImage, error)
}

// maxEvidence bounds an evidence file: below the request size limit.
const maxEvidence = 1900 << 10

// evidenceTypes are the evidence files accepted, by detected content.
var evidenceTypes = map[string]bool{
	"application/pdf": true, "image/png": true, "image/jpeg": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       true,
}

func (h *handler) findingRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/findings", h.page(stageFull, h.findingList))
	mux.Handle("POST /admin/findings", h.page(stageFull, h.findingCreate))
	mux.Handle("GET /admin/findings/{id}", h.page(stageFull, h.findingShow))
	mux.Handle("POST /admin/findings/{id}/remediate", h.page(stageFull, h.findingRemediate))
	mux.Handle("POST /admin/findings/{id}/close", h.page(stageFull, h.findingClose))
	mux.Handle("GET /admin/findings/{id}/evidence", h.page(stageFull, h.findingEvidence))
	mux.Handle("GET /admin/maps", h.page(stageFull, h.mapList))
	mux.Handle("POST /admin/maps/findings", h.page(stageFull, h.mapFindings))
}

type findingListPage struct {
	basePage
	Orgs       []org.Org
	Names      map[int64]string
	Owners     []ownerOption
	Rows       []inspect.Finding
	Today      string
	Summary    inspect.YearSummary
	Form       inspect.Finding
	Errors     map[string]string
	Sources    []inspect.Source
	Severities []inspect.Severity
}

type ownerOption struct {
	ID   int64
	Name string
}

func (h *handler) findingScope(r *http.Request) ([]org.Org, []int64, error) {
	if h.Security.Service == nil {
		return nil, nil, apperr.ErrNotFound
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, nil, err
	}
	scope := org.Scope(orgs, actor(r), inspect.FindingRoles...)
	if len(scope) == 0 {
		return nil, nil, fmt.Errorf("findings register: %w", apperr.ErrForbidden)
	}
	var in []org.Org
	for _, o := range orgs {
		if containsID(scope, o.ID) {
			in = append(in, o)
		}
	}
	return in, scope, nil
}

func (h *handler) today() string {
	return h.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
}

func (h *handler) findingListPage(w http.ResponseWriter, r *http.Request) (*findingListPage, error) {
	orgs, scope, err := h.findingScope(r)
	if err != nil {
		return nil, err
	}
	rows, err := h.Security.Reader.SecurityFindings(r.Context(), scope)
	if err != nil {
		return nil, err
	}
	users, err := h.Reader.Users(r.Context())
	if err != nil {
		return nil, err
	}
	today := h.today()
	year, _ := strconv.Atoi(today[:4])
	p := &findingListPage{basePage: h.base(w, r, "安全隐患整改台账"), Orgs: orgs, Names: map[int64]string{}, Rows: rows, Today: today,
		Summary: inspect.Summarize(rows, year, today), Errors: map[string]string{}, Sources: inspect.Sources(), Severities: inspect.Severities(),
		Form: inspect.Finding{FoundOn: today, Severity: inspect.SeverityMedium, Source: inspect.SourceAssessment}}
	for _, o := range orgs {
		p.Names[o.ID] = o.Name
	}
	// Owners are the active staff of the orgs in scope.
	for _, u := range users {
		if u.Disabled {
			continue
		}
		for _, g := range u.Grants {
			if containsID(scope, g.OrgID) {
				p.Owners = append(p.Owners, ownerOption{u.ID, u.DisplayName + "（" + u.Username + "）"})
				break
			}
		}
	}
	return p, nil
}

func (h *handler) findingList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.findingListPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "security/list", p)
}

func (h *handler) findingCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := h.findingListPage(w, r)
	if err != nil {
		return err
	}
	f := inspect.Finding{OrgID: web.FormID(r, "org_id"), Source: inspect.Source(r.PostFormValue("source")), Severity: inspect.Severity(r.PostFormValue("severity")),
		Title: r.PostFormValue("title"), Description: r.PostFormValue("description"), Location: r.PostFormValue("location"),
		FoundOn: strings.TrimSpace(r.PostFormValue("found_on")), Deadline: strings.TrimSpace(r.PostFormValue("deadline")), OwnerID: web.FormID(r, "owner_id")}
	for _, o := range p.Owners {
		if o.ID == f.OwnerID {
			f.OwnerName = o.Name
		}
	}
	if f.OwnerName == "" {
		f.OwnerID = 0 // not one of the staff offered: Validate asks again
	}
	err = nil
	if !containsID(orgIDs(p.Orgs), f.OrgID) {
		err = apperr.Invalidf("org_id", "请选择您有管理权限的机构")
	}
	if err == nil {
		err = h.Security.Service.Create(r.Context(), actor(r), &f)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		if v := f.Validate(); v != nil {
			vi, _ := apperr.AsInvalid(v)
			for k, m := range vi.Fields {
				if _, seen := inv.Fields[k]; !seen {
					inv.Fields[k] = m
				}
			}
		}
		p.Form, p.Errors = f, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "security/list", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/findings/"+strconv.FormatInt(f.ID, 10), "已登记安全隐患")
	return nil
}

func orgIDs(orgs []org.Org) []int64 {
	ids := make([]int64, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	return ids
}

type findingShowPage struct {
	basePage
	F           *inspect.Finding
	Org         string
	Today       string
	Remediation string
	CloseNote   string
	Errors      map[string]string
	CanClose    bool
}

func (h *handler) findingLoad(w http.ResponseWriter, r *http.Request) (*findingShowPage, error) {
	orgs, scope, err := h.findingScope(r)
	if err != nil {
		return nil, err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	f, err := h.Security.Reader.SecurityFinding(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !containsID(scope, f.OrgID) {
		return nil, fmt.Errorf("finding %d of another org: %w", id, apperr.ErrNotFound)
	}
	p := &findingShowPage{basePage: h.base(w, r, "安全隐患："+f.Title), F: f, Today: h.today(), Errors: map[string]string{},
		CanClose: f.State == inspect.FindingRemediated && f.RemediatedBy != actor(r).UserID}
	for _, o := range orgs {
		if o.ID == f.OrgID {
			p.Org = o.Name
		}
	}
	return p, nil
}

func (h *handler) findingShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.findingLoad(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "security/show", p)
}

// findingRemediate records the remediation with an optional evidence file,
// accepted only when its content is a PDF, an image or an Office document.
func (h *handler) findingRemediate(w http.ResponseWriter, r *http.Request) error {
	p, err := h.findingLoad(w, r)
	if err != nil {
		return err
	}
	var ev inspect.Evidence
	var tooBig *http.MaxBytesError
	if err := r.ParseMultipartForm(maxEvidence + 64<<10); errors.As(err, &tooBig) {
		p.Errors["evidence"] = "文件过大，不能超过 1.9 MB"
	} else if err != nil && !errors.Is(err, http.ErrNotMultipart) {
		p.Errors["evidence"] = "上传失败，请重试"
	}
	p.Remediation = r.PostFormValue("remediation")
	if len(p.Errors) == 0 {
		if file, hdr, ferr := r.FormFile("evidence"); ferr == nil {
			defer file.Close()
			ev, err = h.storeEvidence(file, hdr.Filename)
			if inv, ok := apperr.AsInvalid(err); ok {
				p.Errors = inv.Fields
			} else if err != nil {
				return err
			}
		}
	}
	if len(p.Errors) == 0 {
		err = h.Security.Service.Remediate(r.Context(), actor(r), p.F.ID, p.Remediation, ev)
		if inv, ok := apperr.AsInvalid(err); ok {
			p.Errors = inv.Fields
		} else if err != nil {
			return err
		}
	}
	if len(p.Errors) > 0 {
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "security/show", p)
	}
	redirect(w, r, "/admin/findings/"+strconv.FormatInt(p.F.ID, 10), "已登记整改情况，请由整改人以外的人员确认销号")
	return nil
}

func (h *handler) storeEvidence(file io.Reader, name string) (inspect.Evidence, error) {
	sum, size, err := h.Security.Files.Put(file, maxEvidence)
	if errors.Is(err, blob.ErrTooLarge) {
		return inspect.Evidence{}, apperr.Invalidf("evidence", "文件过大，不能超过 1.9 MB")
	}
	if err != nil {
		return inspect.Evidence{}, err
	}
	stored, err := h.Security.Files.Open(sum)
	if err != nil {
		return inspect.Evidence{}, err
	}
	defer stored.Close()
	ct := sniff(stored, size)
	if !evidenceTypes[ct] {
		return inspect.Evidence{}, apperr.Invalidf("evidence", "不支持此类文件：整改佐证材料可上传 PDF、图片（PNG、JPEG）、Word 或 Excel 文件")
	}
	return inspect.Evidence{SHA256: sum, Name: path.Base(strings.ReplaceAll(name, "\\", "/")), ContentType: ct}, nil
}

func (h *handler) findingClose(w http.ResponseWriter, r *http.Request) error {
	p, err := h.findingLoad(w, r)
	if err != nil {
		return err
	}
	p.CloseNote = r.PostFormValue("close_note")
	err = h.Security.Service.Close(r.Context(), actor(r), p.F.ID, p.CloseNote)
	if inv, ok := apperr.AsInvalid(err); ok {
		p.Errors = inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "security/show", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/findings/"+strconv.FormatInt(p.F.ID, 10), "已销号")
	return nil
}

// findingEvidence serves the evidence file as a download, never inline.
func (h *handler) findingEvidence(w http.ResponseWriter, r *http.Request) error {
	p, err := h.findingLoad(w, r)
	if err != nil {
		return err
	}
	if p.F.Evidence.SHA256 == "" {
		return apperr.ErrNotFound
	}
	f, err := h.Security.Files.Open(p.F.Evidence.SHA256)
	if err != nil {
		return err
	}
	defer f.Close()
	w.Header().Set("Content-Type", p.F.Evidence.ContentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": p.F.Evidence.Name}))
	_, err = io.Copy(w, f)
	return err
}

type mapListPage struct {
	basePage
	Images  []inspect.MapImage
	Missing int
	Names   map[int64]string
}

// mapList is the map self-check: every published image that is or looks
// like a map, with its approval number (审图号) and the items showing it.
func (h *handler) mapList(w http.ResponseWriter, r *http.Request) error {
	orgs, scope, err := h.findingScope(r)
	if err != nil {
		return err
	}
	imgs, err := h.Security.Maps.MapImages(r.Context(), scope)
	if err != nil {
		return err
	}
	p := mapListPage{basePage: h.base(w, r, "地图自查"), Images: imgs, Names: map[int64]string{}}
	for _, o := range orgs {
		p.Names[o.ID] = o.Name
	}
	for _, m := range imgs {
		if m.Missing() {
			p.Missing++
		}
	}
	return h.tmpl.Render(w, http.StatusOK, "security/maps", p)
}

// mapFindings registers every map without an approval number as a
// finding of each org showing it, once: a map already registered is left
// as it is.
func (h *handler) mapFindings(w http.ResponseWriter, r *http.Request) error {
	_, scope, err := h.findingScope(r)
	if err != nil {
		return err
	}
	imgs, err := h.Security.Maps.MapImages(r.Context(), scope)
	if err != nil {
		return err
	}
	act := actor(r)
	today := h.today()
	// A week to take the map down or have it reviewed.
	due := h.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 7).Format("2006-01-02")
	added := 0
	for _, m := range imgs {
		if !m.Missing() {
			continue
		}
		done := map[int64]bool{}
		for _, u := range m.Uses {
			if done[u.OrgID] || !containsID(scope, u.OrgID) {
				continue
			}
			done[u.OrgID] = true
			f := inspect.Finding{OrgID: u.OrgID, Source: inspect.SourceMapCheck, SourceRef: "map:" + m.Key, Severity: inspect.SeverityHigh,
				Title: "地图未标注审图号：" + m.Name, Description: "信息“" + u.Title + "”（" + u.Where + "）使用的地图没有标注审图号。",
				Location: fmt.Sprintf("信息 %d", u.ItemID), FoundOn: today, Deadline: due, OwnerID: act.UserID, OwnerName: act.Name}
			err := h.Security.Service.Create(r.Context(), act, &f)
			if errors.Is(err, apperr.ErrConflict) || errors.Is(err, apperr.ErrForbidden) {
				continue // registered before, or another org's (a unit's admin cannot register for the parent)
			}
			if err != nil {
				return err
			}
			added++
		}
	}
	redirect(w, r, "/admin/findings", fmt.Sprintf("已将 %d 处缺少审图号的地图登记为安全隐患", added))
	return nil
}
