package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/report"
	"gongkai/internal/report/export"
)

// ReportReader is what the annual report pages read. *store.DB implements it.
type ReportReader interface {
	export.Source
	ReportWork(ctx context.Context, orgID int64, year int) ([]report.Work, error)
}

// ReportConfig holds what the annual report pages need (issue 8). With a
// nil Service the pages answer 404.
type ReportConfig struct {
	Service *report.Service
	Reader  ReportReader
	Stats   StatsReader // the statistics dashboard; nil answers 404
}

func (h *handler) reportRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/report", h.page(stageFull, h.reportShow))
	mux.Handle("GET /admin/report/export", h.page(stageFull, h.reportExport))
	mux.Handle("POST /admin/report/figure", h.page(stageFull, h.reportFigure))
	mux.Handle("POST /admin/report/narrative", h.page(stageFull, h.reportNarrative))
	mux.Handle("POST /admin/report/status", h.page(stageFull, h.reportStatus))
	mux.Handle("POST /admin/report/work", h.page(stageFull, h.reportWorkAdd))
	mux.Handle("POST /admin/report/work/{id}/delete", h.page(stageFull, h.reportWorkDelete))
	mux.Handle("POST /admin/report/item", h.page(stageFull, h.reportItem))
	h.statsRoutes(mux)
}

func (h *handler) reportOn() error {
	if h.Report.Service == nil {
		return fmt.Errorf("annual report: %w", apperr.ErrNotFound)
	}
	return nil
}

type reportCell struct {
	report.GridCell
	Manual, Mismatch bool
}

type reportTable struct {
	Heading string
	Class   string
	Rows    [][]reportCell
}

type reportManualRow struct {
	Key, Name, Value, Source, Computed string
	Entered                            bool
}

type reportCellOption struct{ Key, Name string }

type reportPage struct {
	basePage
	Orgs      []org.Org
	Org       org.Org
	Year      int
	Years     []int
	Doc       *export.Doc
	Draft     *report.Draft
	Tables    []reportTable
	Manual    []reportManualRow
	Missing   []string
	Cells     []reportCellOption
	Work      []report.Work
	Generated string
	CanEdit   bool
	CanItem   bool   // publishing is configured: the final report can become an item
	Query     string // org=..&year=.. for links

	// Form values and errors after a failed post (the form is named in
	// Form: "figure", "narrative" or "work").
	Form      string
	Errors    map[string]string
	Values    map[string]string
	Narrative report.Narrative
}

type reportField struct{ Name, Label string }

// WorkFields are the text fields of the work record form.
func (p reportPage) WorkFields() []reportField {
	return []reportField{{"title", "姓名 / 培训主题 / 经费用途"}, {"detail", "承担的工作 / 说明"}, {"day", "培训日期（如 2026-03-02）"},
		{"attendees", "参训人数"}, {"amount", "经费金额（万元）"}}
}

// GeneratedParas is the generated draft in paragraphs, for display.
func (p reportPage) GeneratedParas() []string {
	var out []string
	for _, l := range strings.Split(p.Generated, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// V returns a typed value of the failed form.
func (p reportPage) V(name string) string { return p.Values[name] }

// E returns the error of a field of the failed form.
func (p reportPage) E(form, name string) string {
	if p.Form != form {
		return ""
	}
	return p.Errors[name]
}

// reportTarget resolves the org and year of a request (query or form) and
// checks the actor may see that org's report.
func (h *handler) reportTarget(r *http.Request) (org.Org, []org.Org, int, error) {
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return org.Org{}, nil, 0, err
	}
	scope := org.Scope(orgs, actor(r), report.ViewRoles...)
	var visible []org.Org
	for _, o := range orgs {
		if slices.Contains(scope, o.ID) {
			visible = append(visible, o)
		}
	}
	if len(visible) == 0 {
		return org.Org{}, nil, 0, fmt.Errorf("annual report: %w", apperr.ErrForbidden)
	}
	get := func(k string) string {
		if v := r.FormValue(k); v != "" {
			return v
		}
		return r.URL.Query().Get(k)
	}
	target := visible[0]
	if s := get("org"); s != "" {
		id, _ := strconv.ParseInt(s, 10, 64)
		i := slices.IndexFunc(visible, func(o org.Org) bool { return o.ID == id })
		if i < 0 {
			return org.Org{}, nil, 0, fmt.Errorf("annual report of org %d: %w", id, apperr.ErrForbidden)
		}
		target = visible[i]
	}
	year := h.Now().Year() - 1
	if year < report.MinYear {
		year = report.MinYear
	}
	if s := get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || report.CheckYear(y, h.Now()) != nil {
			return org.Org{}, nil, 0, fmt.Errorf("annual report year %q: %w", s, apperr.ErrNotFound)
		}
		year = y
	}
	return target, visible, year, nil
}

func (h *handler) reportData(w http.ResponseWriter, r *http.Request) (reportPage, error) {
	if err := h.reportOn(); err != nil {
		return reportPage{}, err
	}
	o, visible, year, err := h.reportTarget(r)
	if err != nil {
		return reportPage{}, err
	}
	ctx := r.Context()
	doc, d, err := export.Load(ctx, h.Report.Reader, o.ID, o.Name, o.Code, year)
	if err != nil {
		return reportPage{}, err
	}
	facts, err := h.Report.Reader.ReportFacts(ctx, o.ID, year)
	if err != nil {
		return reportPage{}, err
	}
	work, err := h.Report.Reader.ReportWork(ctx, o.ID, year)
	if err != nil {
		return reportPage{}, err
	}
	p := reportPage{basePage: h.base(w, r, fmt.Sprintf("%d年度政府信息公开工作年度报告", year)), Orgs: visible, Org: o, Year: year,
		Doc: doc, Draft: d, Work: work, Generated: report.DraftOverview(facts), Narrative: d.Narrative,
		Query: url.Values{"org": {strconv.FormatInt(o.ID, 10)}, "year": {strconv.Itoa(year)}}.Encode()}
	orgs, _ := h.Reader.Orgs(ctx) // already read by reportTarget; an error there would have returned
	path := org.Path(orgs, o.ID)
	p.CanEdit = actor(r).HasAny(path, report.EditRoles...)
	p.CanItem = h.Pub.Service != nil
	for y := h.Now().Year(); y >= report.MinYear; y-- {
		p.Years = append(p.Years, y)
	}
	for i, g := range doc.Report.Grids() {
		t := reportTable{Heading: g.Heading, Class: []string{"t-active", "t-requests", "t-cases"}[i]}
		for _, row := range g.Rows {
			var cells []reportCell
			for _, c := range row {
				rc := reportCell{GridCell: c}
				if c.Key != "" {
					rc.Manual, rc.Mismatch = doc.Report.Values[c.Key].Manual, doc.Report.InMismatch(c.Key)
				}
				cells = append(cells, rc)
			}
			t.Rows = append(t.Rows, cells)
		}
		p.Tables = append(p.Tables, t)
	}
	entered := report.EnteredKeys()
	for _, k := range doc.Report.Manual() {
		v := doc.Report.Values[k]
		p.Manual = append(p.Manual, reportManualRow{Key: k, Name: report.CellName(k), Value: v.Text, Source: v.Source,
			Computed: v.Computed, Entered: slices.Contains(entered, k)})
	}
	for _, k := range doc.Report.Missing {
		p.Missing = append(p.Missing, report.CellName(k))
	}
	for _, k := range report.Keys() {
		p.Cells = append(p.Cells, reportCellOption{Key: k, Name: report.CellName(k)})
	}
	if r.URL.Query().Get("draft") == "1" {
		p.Narrative.Overview = p.Generated
	}
	return p, nil
}

func (h *handler) reportShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.reportData(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "report/show", p)
}

// reportAfter re-renders the page with the failed form's errors (422) or
// redirects back with a flash.
func (h *handler) reportAfter(w http.ResponseWriter, r *http.Request, err error, form string, values map[string]string, n *report.Narrative, flash string) error {
	if inv, ok := apperr.AsInvalid(err); ok {
		p, perr := h.reportData(w, r)
		if perr != nil {
			return perr
		}
		p.Form, p.Errors, p.Values = form, inv.Fields, values
		if n != nil {
			p.Narrative = *n
		}
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "report/show", p)
	}
	if err != nil {
		return err
	}
	o, _, year, terr := h.reportTarget(r)
	if terr != nil {
		return terr
	}
	redirect(w, r, fmt.Sprintf("/admin/report?org=%d&year=%d", o.ID, year), flash)
	return nil
}

func (h *handler) reportFigure(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	values := map[string]string{"cell": r.PostFormValue("cell"), "value": r.PostFormValue("value"), "source": r.PostFormValue("source")}
	err = h.Report.Service.SetFigure(r.Context(), actor(r), o.ID, year, values["cell"], report.Manual{Value: values["value"], Source: values["source"]})
	flash := "已保存填报数据，表格已重新核对"
	if strings.TrimSpace(values["value"]) == "" {
		flash = "已恢复为系统统计数据"
	}
	return h.reportAfter(w, r, err, "figure", values, nil, flash)
}

func (h *handler) reportNarrative(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	n := report.Narrative{Overview: r.PostFormValue("overview"), Problems: r.PostFormValue("problems"), Other: r.PostFormValue("other")}
	err = h.Report.Service.SaveNarrative(r.Context(), actor(r), o.ID, year, n)
	return h.reportAfter(w, r, err, "narrative", nil, &n, "已保存报告正文")
}

func (h *handler) reportStatus(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	st := report.Status(r.PostFormValue("status"))
	err = h.Report.Service.SetStatus(r.Context(), actor(r), o.ID, year, st)
	return h.reportAfter(w, r, err, "status", nil, nil, "年报状态："+st.Label())
}

func (h *handler) reportWorkAdd(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	values := map[string]string{}
	for _, k := range []string{"kind", "title", "detail", "day", "amount", "attendees"} {
		values[k] = r.PostFormValue(k)
	}
	wk := &report.Work{OrgID: o.ID, Year: year, Kind: report.WorkKind(values["kind"]), Title: values["title"], Detail: values["detail"],
		Day: values["day"], Amount: values["amount"]}
	if values["kind"] == string(report.WorkTraining) {
		n, perr := strconv.ParseInt(strings.TrimSpace(values["attendees"]), 10, 64)
		if perr != nil || n < 0 {
			return h.reportAfter(w, r, apperr.Invalidf("attendees", "请填写参训人数（整数）"), "work", values, nil, "")
		}
		wk.Attendees = n
	}
	err = h.Report.Service.AddWork(r.Context(), actor(r), wk)
	return h.reportAfter(w, r, err, "work", values, nil, "已添加工作记录")
}

func (h *handler) reportWorkDelete(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	err = h.Report.Service.DeleteWork(r.Context(), actor(r), o.ID, year, id)
	return h.reportAfter(w, r, err, "work", nil, nil, "已删除工作记录")
}

// reportExport downloads the report as .xlsx, .docx or JSON, or shows the
// printable HTML (A4).
func (h *handler) reportExport(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	doc, _, err := export.Load(r.Context(), h.Report.Reader, o.ID, o.Name, o.Code, year)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	var b bytes.Buffer
	var ctype, ext string
	switch format {
	case "html":
		ctype = "text/html; charset=utf-8"
		err = export.HTML(&b, doc, export.HTMLOptions{StylesheetURL: h.Assets.Path("report.css"), Checks: true})
	case "xlsx":
		ctype, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
		err = export.XLSX(&b, doc)
	case "docx":
		ctype, ext = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
		err = export.DOCX(&b, doc)
	case "json":
		ctype = "application/json; charset=utf-8"
		err = export.JSON(&b, doc)
	default:
		return fmt.Errorf("report format %q: %w", format, apperr.ErrNotFound)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	if ext != "" {
		name := fmt.Sprintf("%s%d年政府信息公开工作年度报告.%s", o.Name, year, ext)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"annual-report-%s-%d.%s\"; filename*=UTF-8''%s",
			url.PathEscape(o.Code), year, ext, url.PathEscape(name)))
	}
	_, err = io.Copy(w, &b)
	return err
}

// reportItem turns the final report into an item in the org's
// 政府信息公开年报 column and submits it for review, so that it is reviewed
// and published like any other item (条例 art. 49: the report is published
// to the public). Creating and submitting the item and linking it to the
// report are separate transactions; a failure after creation leaves a
// draft item the office can submit or delete by hand.
func (h *handler) reportItem(w http.ResponseWriter, r *http.Request) error {
	if err := h.reportOn(); err != nil {
		return err
	}
	if h.Pub.Service == nil {
		return fmt.Errorf("publishing: %w", apperr.ErrNotFound)
	}
	o, _, year, err := h.reportTarget(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	doc, d, err := export.Load(ctx, h.Report.Reader, o.ID, o.Name, o.Code, year)
	if err != nil {
		return err
	}
	err = func() error {
		if d.Status != report.StatusFinal {
			return apperr.Invalidf("status", "请先定稿，再生成年报信息")
		}
		if d.ItemID != 0 {
			return apperr.Invalidf("status", "本年度报告已生成信息，请在信息发布中查看")
		}
		cols, err := h.Reader.Columns(ctx, o.ID)
		if err != nil {
			return err
		}
		var colID int64
		for _, c := range cols {
			if c.Name == report.ColumnName {
				colID = c.ID
			}
		}
		if colID == 0 {
			return apperr.Invalidf("status", "本机构没有“%s”栏目，请先在机构与栏目中建立", report.ColumnName)
		}
		body, err := export.Fragment(doc)
		if err != nil {
			return err
		}
		today := h.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
		it, err := h.Pub.Service.Create(ctx, actor(r), o.ID, publish.Draft{Title: doc.Title(), Body: body, ColumnID: colID,
			Issuer: o.Name, Topic: "综合政务", Genre: "工作报告", WrittenDate: today, FormedDate: today, Disclosure: publish.DiscloseProactive})
		if err != nil {
			return err
		}
		if err := h.Pub.Service.Submit(ctx, actor(r), it.ID); err != nil {
			return err
		}
		return h.Report.Service.LinkItem(ctx, actor(r), o.ID, year, it.ID)
	}()
	if inv, ok := apperr.AsInvalid(err); ok {
		// Field errors of the item (topic list changed, body too long) are
		// shown in the status area of the page.
		msgs := make([]string, 0, len(inv.Fields))
		for _, m := range inv.Fields {
			msgs = append(msgs, m)
		}
		slices.Sort(msgs)
		err = apperr.Invalidf("status", "%s", strings.Join(msgs, "；"))
	}
	return h.reportAfter(w, r, err, "status", nil, nil, "已生成年报信息并提交科室审核，经保密审查后发布到“"+report.ColumnName+"”栏目")
}
