package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/inspect"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

// InspectRuns stores inspection runs. *store.DB implements it.
type InspectRuns interface {
	StartInspection(ctx context.Context, orgID int64, cause string, by int64) (int64, error)
	InspectionRuns(ctx context.Context, orgIDs []int64, limit int) ([]inspect.Run, error)
	InspectionRun(ctx context.Context, id int64) (*inspect.Run, []inspect.Problem, error)
}

// InspectConfig is what the site inspection pages need (issue 10); a nil
// Runs turns them off.
type InspectConfig struct {
	Runs InspectRuns
}

// inspectRoles may run and read site inspections: the site's
// administrators (the webmaster's job).
var inspectRoles = []account.Role{account.RoleAdmin}

func (h *handler) inspectRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/inspect", h.page(stageFull, h.inspectList))
	mux.Handle("POST /admin/inspect", h.page(stageFull, h.inspectStart))
	mux.Handle("GET /admin/inspect/runs/{id}", h.page(stageFull, h.inspectShow))
	mux.Handle("GET /admin/inspect/runs/{id}/export", h.page(stageFull, h.inspectExport))
	mux.Handle("POST /admin/inspect/runs/{id}/findings", h.page(stageFull, h.inspectFindings))
}

// inspectFindings registers a finished run's problems in the security
// findings register, each problem once per org and place across runs:
// single-veto problems as high, broken links and server errors as medium,
// the rest as low.
func (h *handler) inspectFindings(w http.ResponseWriter, r *http.Request) error {
	run, problems, _, err := h.inspectRun(r)
	if err != nil {
		return err
	}
	if h.Security.Service == nil || run.State != inspect.RunDone {
		return fmt.Errorf("inspection run %d is not finished: %w", run.ID, apperr.ErrConflict)
	}
	act := actor(r)
	today := h.today()
	due := h.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, 14).Format("2006-01-02")
	added := 0
	for _, p := range problems {
		sev := inspect.SeverityLow
		switch {
		case p.Veto:
			sev = inspect.SeverityHigh
		case p.Kind == inspect.KindBrokenLink || p.Kind == inspect.KindServerError:
			sev = inspect.SeverityMedium
		}
		f := inspect.Finding{OrgID: run.OrgID, Source: inspect.SourceInspection, SourceRef: "inspect:" + string(p.Kind) + ":" + p.Where,
			Severity: sev, Title: p.Kind.Label() + "：" + p.Where, Description: p.Detail, Location: p.Where, FoundOn: today, Deadline: due,
			OwnerID: act.UserID, OwnerName: act.Name}
		// Addresses can be long: keep within the register's limits.
		if len([]rune(f.Title)) > 200 {
			f.Title = string([]rune(f.Title)[:200])
		}
		if len([]rune(f.Location)) > 500 {
			f.Location = string([]rune(f.Location)[:500])
		}
		err := h.Security.Service.Create(r.Context(), act, &f)
		if errors.Is(err, apperr.ErrConflict) {
			continue // registered from an earlier run
		}
		if err != nil {
			return err
		}
		added++
	}
	redirect(w, r, "/admin/findings", fmt.Sprintf("已将检查发现的 %d 个问题登记为安全隐患", added))
	return nil
}

type inspectListPage struct {
	basePage
	Orgs   []org.Org
	OrgID  int64
	Names  map[int64]string
	Runs   []inspect.Run
	Errors map[string]string
}

// inspectScope returns the orgs the signed-in user may inspect.
func (h *handler) inspectScope(r *http.Request) ([]org.Org, []int64, error) {
	if h.Inspect.Runs == nil {
		return nil, nil, apperr.ErrNotFound
	}
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, nil, err
	}
	scope := org.Scope(orgs, actor(r), inspectRoles...)
	if len(scope) == 0 {
		return nil, nil, fmt.Errorf("site inspection: %w", apperr.ErrForbidden)
	}
	var in []org.Org
	for _, o := range orgs {
		if containsID(scope, o.ID) {
			in = append(in, o)
		}
	}
	return in, scope, nil
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

func (h *handler) inspectListPage(w http.ResponseWriter, r *http.Request) (*inspectListPage, error) {
	orgs, scope, err := h.inspectScope(r)
	if err != nil {
		return nil, err
	}
	runs, err := h.Inspect.Runs.InspectionRuns(r.Context(), scope, 100)
	if err != nil {
		return nil, err
	}
	p := &inspectListPage{basePage: h.base(w, r, "网站检查"), Orgs: orgs, Runs: runs, Names: map[int64]string{}, Errors: map[string]string{}}
	for _, o := range orgs {
		p.Names[o.ID] = o.Name
	}
	return p, nil
}

func (h *handler) inspectList(w http.ResponseWriter, r *http.Request) error {
	p, err := h.inspectListPage(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "inspect/list", p)
}

// inspectStart starts a run for an org in the user's scope; the job
// queue carries it out and the run's page shows the progress.
func (h *handler) inspectStart(w http.ResponseWriter, r *http.Request) error {
	p, err := h.inspectListPage(w, r)
	if err != nil {
		return err
	}
	orgID := web.FormID(r, "org_id")
	allowed := false
	for _, o := range p.Orgs {
		allowed = allowed || o.ID == orgID
	}
	if !allowed {
		p.OrgID = orgID
		p.Errors["org_id"] = "请选择您有管理权限的机构"
		return h.tmpl.Render(w, http.StatusUnprocessableEntity, "inspect/list", p)
	}
	id, err := h.Inspect.Runs.StartInspection(r.Context(), orgID, "manual", actor(r).UserID)
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/inspect/runs/"+strconv.FormatInt(id, 10), "已开始检查，完成前本页每隔几秒自动刷新")
	return nil
}

type inspectShowPage struct {
	basePage
	Run      *inspect.Run
	Org      string
	Problems []inspect.Problem
	Counts   []kindCount
}

type kindCount struct {
	Kind inspect.Kind
	N    int
}

// inspectRun loads a run the user may see.
func (h *handler) inspectRun(r *http.Request) (*inspect.Run, []inspect.Problem, string, error) {
	orgs, scope, err := h.inspectScope(r)
	if err != nil {
		return nil, nil, "", err
	}
	id, err := web.PathID(r, "id")
	if err != nil {
		return nil, nil, "", err
	}
	run, problems, err := h.Inspect.Runs.InspectionRun(r.Context(), id)
	if err != nil {
		return nil, nil, "", err
	}
	if !containsID(scope, run.OrgID) {
		// Another org's run is as good as missing.
		return nil, nil, "", fmt.Errorf("inspection run %d of another org: %w", id, apperr.ErrNotFound)
	}
	name := ""
	for _, o := range orgs {
		if o.ID == run.OrgID {
			name = o.Name
		}
	}
	return run, problems, name, nil
}

func (h *handler) inspectShow(w http.ResponseWriter, r *http.Request) error {
	run, problems, name, err := h.inspectRun(r)
	if err != nil {
		return err
	}
	p := inspectShowPage{basePage: h.base(w, r, "网站检查结果"), Run: run, Org: name, Problems: problems}
	counts := map[inspect.Kind]int{}
	var order []inspect.Kind
	for _, pr := range problems {
		if counts[pr.Kind] == 0 {
			order = append(order, pr.Kind)
		}
		counts[pr.Kind]++
	}
	for _, k := range order {
		p.Counts = append(p.Counts, kindCount{k, counts[k]})
	}
	if run.State == inspect.RunRunning {
		// Progress: the page reloads itself (no script needed) until done.
		w.Header().Set("Refresh", "3")
	}
	return h.tmpl.Render(w, http.StatusOK, "inspect/show", p)
}

// inspectExport writes a run's problems as an .xlsx workbook.
func (h *handler) inspectExport(w http.ResponseWriter, r *http.Request) error {
	run, problems, name, err := h.inspectRun(r)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	row := 0
	put := func(vals ...any) error {
		row++
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(sheet, cell, &vals)
	}
	result := "合格"
	if run.Vetoed {
		result = "不合格（存在单项否决问题）"
	}
	for _, vals := range [][]any{
		{"机构", name},
		{"检查时间", run.StartedAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")},
		{"检查页面数", run.Pages},
		{"结论", result},
	} {
		if err := put(vals...); err != nil {
			return err
		}
	}
	for _, v := range run.Vetoes {
		if err := put("单项否决", v); err != nil {
			return err
		}
	}
	if err := put(); err != nil {
		return err
	}
	if err := put("问题类型", "位置", "说明", "单项否决"); err != nil {
		return err
	}
	for _, p := range problems {
		veto := ""
		if p.Veto {
			veto = "是"
		}
		if err := put(p.Kind.Label(), p.Where, p.Detail, veto); err != nil {
			return err
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 20) // fails only for invalid column names
	_ = f.SetColWidth(sheet, "B", "C", 60)
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"inspection-%d.xlsx\"", run.ID))
	_, err = io.Copy(w, &b)
	return err
}
