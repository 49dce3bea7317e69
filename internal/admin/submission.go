package admin

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/syndicate"
	"gongkai/internal/web"
	"gongkai/internal/workday"
)

// SubmissionReader is what the submission pages read. *store.DB
// implements it.
type SubmissionReader interface {
	Submission(ctx context.Context, id int64) (*syndicate.Submission, error)
	Submissions(ctx context.Context, orgIDs []int64, year int) ([]syndicate.Submission, error)
}

func (h *handler) submissionRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/submissions", h.page(stageFull, h.submissionList))
	mux.Handle("POST /admin/submissions", h.page(stageFull, h.submissionCreate))
	mux.Handle("GET /admin/submissions/export", h.page(stageFull, h.submissionExport))
	mux.Handle("GET /admin/submissions/{id}/edit", h.page(stageFull, h.submissionEdit))
	mux.Handle("POST /admin/submissions/{id}", h.page(stageFull, h.submissionUpdate))
}

// submissionForm is what the form holds, as typed.
type submissionForm struct {
	OrgID                                        int64
	Title, Body, Recipient, Section, SubmittedOn string
	ItemID                                       string
	Adopted                                      bool
	AdoptedOn, AdoptedWhere                      string
}

type submissionListPage struct {
	basePage
	Year       int
	Years      []int
	Rows       []syndicate.Submission
	OrgNames   map[int64]string
	ByOfficer  []syndicate.Tally
	BySection  []syndicate.Tally
	ByOrg      []syndicate.Tally
	Tables     []tallyTable // the three above, for the page
	Orgs       []org.Org    // where the user may record
	Recipients []string
	Form       submissionForm
	Errors     map[string]string
}

// tallyTable is one table of counts.
type tallyTable struct {
	Name string
	Rows []syndicate.Tally
}

type submissionEditPage struct {
	basePage
	ID         int64
	OrgName    string
	Recipients []string
	Form       submissionForm
	Errors     map[string]string
}

var submissionRoleList = []account.Role{account.RoleOfficer, account.RoleSection, account.RolePublisher, account.RoleLeader, account.RoleAdmin}

func (h *handler) submissionScope(r *http.Request) ([]org.Org, []int64, error) {
	if h.Syndicate.Submissions == nil {
		return nil, nil, apperr.ErrNotFound
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, nil, err
	}
	scope := org.Scope(orgs, actor(r), submissionRoleList...)
	if len(scope) == 0 {
		return nil, nil, apperr.ErrForbidden
	}
	return orgs, scope, nil
}

func (h *handler) submissionYear(r *http.Request) int {
	y, err := strconv.Atoi(r.URL.Query().Get("year"))
	now := web.ChinaTime(h.Now())
	if err != nil || y < 2000 || y > now.Year()+1 {
		return now.Year()
	}
	return y
}

func (h *handler) submissionListPage(w http.ResponseWriter, r *http.Request, year int) (submissionListPage, error) {
	orgs, scope, err := h.submissionScope(r)
	if err != nil {
		return submissionListPage{}, err
	}
	p := submissionListPage{basePage: h.base(w, r, "信息报送"), Year: year, OrgNames: map[int64]string{}, Recipients: syndicate.Recipients}
	for y := web.ChinaTime(h.Now()).Year(); y >= web.ChinaTime(h.Now()).Year()-4; y-- {
		p.Years = append(p.Years, y)
	}
	act := actor(r)
	for _, o := range orgs {
		p.OrgNames[o.ID] = o.Name
		if act.HasAny(org.Path(orgs, o.ID), account.RoleOfficer, account.RoleSection, account.RolePublisher) {
			p.Orgs = append(p.Orgs, o)
		}
	}
	if p.Rows, err = h.Syndicate.SubmissionReader.Submissions(r.Context(), scope, year); err != nil {
		return p, err
	}
	p.ByOfficer, p.BySection, p.ByOrg = syndicate.Tallies(p.Rows, func(id int64) string { return p.OrgNames[id] })
	p.Tables = []tallyTable{{"按信息员", p.ByOfficer}, {"按科室", p.BySection}, {"按单位", p.ByOrg}}
	p.Form.SubmittedOn = workday.DateOf(web.ChinaTime(h.Now())).String()
	if len(p.Orgs) > 0 {
		p.Form.OrgID = p.Orgs[0].ID
	}
	return p, nil
}

// submissionList shows a year's submissions with the counts per officer,
// section and org, and the form to record one.
func (h *handler) submissionList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.submissionListPage(w, r, h.submissionYear(r))
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "syndicate/submissions", p)
}

func readSubmissionForm(r *http.Request) submissionForm {
	f := submissionForm{Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), Recipient: r.PostFormValue("recipient"),
		Section: r.PostFormValue("section"), SubmittedOn: r.PostFormValue("submitted_on"), Adopted: r.PostFormValue("adopted") == "1",
		AdoptedOn: r.PostFormValue("adopted_on"), AdoptedWhere: r.PostFormValue("adopted_where")}
	f.OrgID, _ = strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	f.ItemID = strings.TrimSpace(r.PostFormValue("item_id"))
	return f
}

// linkItem checks the optional item number of the form: an item of the
// submission's org, whose title fills an empty title. It returns the
// item's ID, or a message for the field.
func (h *handler) linkItem(ctx context.Context, f *submissionForm) (int64, string) {
	if f.ItemID == "" {
		return 0, ""
	}
	id, err := strconv.ParseInt(f.ItemID, 10, 64)
	if err != nil || id <= 0 {
		return 0, "请填写信息编号（数字），或留空"
	}
	it, err := h.Pub.Items.Item(ctx, id)
	if err != nil || it.OrgID != f.OrgID {
		return 0, "未找到本单位该编号的信息"
	}
	if strings.TrimSpace(f.Title) == "" {
		f.Title = it.Title
	}
	return id, ""
}

// submissionOf turns the form into a submission; dates that do not parse
// stay zero and are reported by Validate.
func (f submissionForm) submission() *syndicate.Submission {
	s := &syndicate.Submission{OrgID: f.OrgID, Title: f.Title, Body: f.Body, Recipient: f.Recipient, Section: f.Section,
		Adopted: f.Adopted, AdoptedWhere: f.AdoptedWhere}
	s.SubmittedOn, _ = workday.Parse(f.SubmittedOn)
	s.AdoptedOn, _ = workday.Parse(f.AdoptedOn)
	return s
}

func (h *handler) submissionCreate(w http.ResponseWriter, r *http.Request) error {
	f := readSubmissionForm(r)
	itemID, itemErr := h.linkItem(r.Context(), &f)
	s := f.submission()
	s.ItemID = itemID
	var err error = apperr.Invalidf("item_id", "%s", itemErr)
	if itemErr == "" {
		err = h.Syndicate.Submissions.Record(r.Context(), actor(r), s)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.submissionListPage(w, r, h.submissionYear(r))
		if perr != nil {
			return perr
		}
		p.Form, p.Errors = f, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/submissions", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, fmt.Sprintf("/admin/submissions?year=%d", s.SubmittedOn.Year()), "已登记报送信息")
	return nil
}

func (h *handler) submissionEditPage(w http.ResponseWriter, r *http.Request) (submissionEditPage, *syndicate.Submission, error) {
	orgs, scope, err := h.submissionScope(r)
	if err != nil {
		return submissionEditPage{}, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return submissionEditPage{}, nil, apperr.ErrNotFound
	}
	s, err := h.Syndicate.SubmissionReader.Submission(r.Context(), id)
	if err != nil {
		return submissionEditPage{}, nil, err
	}
	in := false
	for _, x := range scope {
		in = in || x == s.OrgID
	}
	if !in {
		return submissionEditPage{}, nil, apperr.ErrNotFound
	}
	p := submissionEditPage{basePage: h.base(w, r, "修改报送信息"), ID: s.ID, Recipients: syndicate.Recipients,
		Form: submissionForm{OrgID: s.OrgID, Title: s.Title, Body: s.Body, Recipient: s.Recipient, Section: s.Section,
			SubmittedOn: s.SubmittedOn.String(), Adopted: s.Adopted, AdoptedWhere: s.AdoptedWhere}}
	if s.ItemID != 0 {
		p.Form.ItemID = strconv.FormatInt(s.ItemID, 10)
	}
	if !s.AdoptedOn.IsZero() {
		p.Form.AdoptedOn = s.AdoptedOn.String()
	}
	for _, o := range orgs {
		if o.ID == s.OrgID {
			p.OrgName = o.Name
		}
	}
	return p, s, nil
}

func (h *handler) submissionEdit(w http.ResponseWriter, r *http.Request) error {
	p, _, err := h.submissionEditPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "syndicate/submission", p)
}

func (h *handler) submissionUpdate(w http.ResponseWriter, r *http.Request) error {
	p, old, err := h.submissionEditPage(w, r)
	if err != nil {
		return err
	}
	f := readSubmissionForm(r)
	f.OrgID = old.OrgID
	itemID, itemErr := h.linkItem(r.Context(), &f)
	s := f.submission()
	s.ID, s.ItemID = old.ID, itemID
	err = apperr.Invalidf("item_id", "%s", itemErr)
	if itemErr == "" {
		err = h.Syndicate.Submissions.Update(r.Context(), actor(r), s)
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		p.Form, p.Errors = f, inv.Fields
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "syndicate/submission", p)
	}
	if err != nil {
		return err
	}
	redirect(w, r, fmt.Sprintf("/admin/submissions?year=%d", s.SubmittedOn.Year()), "已保存")
	return nil
}

// submissionExport downloads a year's submissions and counts as .xlsx.
func (h *handler) submissionExport(w http.ResponseWriter, r *http.Request) error {
	year := h.submissionYear(r)
	p, err := h.submissionListPage(w, r, year)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "信息报送"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rows := [][]any{{"报送日期", "单位", "科室", "信息员", "标题", "报送单位", "是否采用", "采用日期", "采用情况"}}
	for _, s := range p.Rows {
		adopted, on := "否", ""
		if s.Adopted {
			adopted, on = "是", s.AdoptedOn.String()
		}
		rows = append(rows, []any{s.SubmittedOn.String(), p.OrgNames[s.OrgID], s.Section, s.OfficerName, s.Title, s.Recipient, adopted, on, s.AdoptedWhere})
	}
	rows = append(rows, []any{})
	for _, part := range p.Tables {
		rows = append(rows, []any{part.Name, "报送", "采用"})
		for _, t := range part.Rows {
			rows = append(rows, []any{t.Name, t.Submitted, t.Adopted})
		}
		rows = append(rows, []any{})
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="submissions-%d.xlsx"`, year))
	_, err = w.Write(buf.Bytes())
	return err
}
