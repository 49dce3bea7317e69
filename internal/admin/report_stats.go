package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/apperr"
	"gongkai/internal/interact"
	"gongkai/internal/org"
	"gongkai/internal/report"
	"gongkai/internal/workday"
)

// StatsReader is what the statistics dashboard reads. *store.DB implements it.
type StatsReader interface {
	ReportStats(ctx context.Context, orgIDs []int64, year int, today string) (report.Stats, error)
}

type statsSeries struct {
	Name   string   `json:"name"`
	Labels []string `json:"labels"`
	Values []int64  `json:"values"`
}

// statsData is the JSON data island the charts are drawn from (stats.js).
type statsData struct {
	ItemsByMonth    statsSeries `json:"items_month"`
	ItemsByColumn   statsSeries `json:"items_column"`
	Outcomes        statsSeries `json:"outcomes"`
	MessagesByMonth statsSeries `json:"messages_month"`
}

type statsPage struct {
	basePage
	Orgs      []org.Org
	Org       org.Org
	Sub       bool // the org with its subtree (the site group when the org is the root)
	Year      int
	Years     []int
	Stats     report.Stats
	AvgDays   float64
	Messages  interact.Figures
	HasMsgs   bool
	Data      statsData
	Query     string
	Charts    []statsSeries
	OrgsCount int
}

func (h *handler) statsRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin/stats", h.page(stageFull, h.statsShow))
	mux.Handle("GET /admin/stats/export", h.page(stageFull, h.statsExport))
}

func (h *handler) statsData(w http.ResponseWriter, r *http.Request) (statsPage, error) {
	if h.Report.Stats == nil {
		return statsPage{}, fmt.Errorf("statistics: %w", apperr.ErrNotFound)
	}
	o, visible, year, err := h.reportTarget(r)
	if err != nil {
		return statsPage{}, err
	}
	if r.URL.Query().Get("year") == "" {
		// The dashboard opens on the current year, the report on the last.
		year = h.Now().Year()
	}
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		return statsPage{}, err
	}
	sub := r.URL.Query().Get("sub") == "1"
	ids := []int64{o.ID}
	if sub {
		// A grant on an org covers its subtree, so every descendant is
		// visible to whoever may see the org.
		ids = org.Subtree(orgs, []int64{o.ID})
	}
	cal, today := workday.Embedded(), interact.Today(h.Now())
	if h.Interact.Service != nil {
		if cal, today, err = h.Interact.Service.CalendarNow(ctx); err != nil {
			return statsPage{}, err
		}
	}
	st, err := h.Report.Stats.ReportStats(ctx, ids, year, today.String())
	if err != nil {
		return statsPage{}, err
	}
	p := statsPage{basePage: h.base(w, r, fmt.Sprintf("%d年统计", year)), Orgs: visible, Org: o, Sub: sub, Year: year, Stats: st,
		AvgDays: st.AvgHandlingDays(cal), OrgsCount: len(ids)}
	q := url.Values{"org": {strconv.FormatInt(o.ID, 10)}, "year": {strconv.Itoa(year)}}
	if sub {
		q.Set("sub", "1")
	}
	p.Query = q.Encode()
	for y := h.Now().Year(); y >= report.MinYear; y-- {
		p.Years = append(p.Years, y)
	}
	months := make([]string, 12)
	for i := range months {
		months[i] = fmt.Sprintf("%d月", i+1)
	}
	p.Data.ItemsByMonth = statsSeries{Name: "每月发布信息（条）", Labels: months, Values: st.ItemsByMonth[:]}
	p.Data.ItemsByColumn = statsSeries{Name: "各栏目发布信息（条）"}
	for _, c := range st.ItemsByColumn {
		p.Data.ItemsByColumn.Labels = append(p.Data.ItemsByColumn.Labels, c.Name)
		p.Data.ItemsByColumn.Values = append(p.Data.ItemsByColumn.Values, c.Count)
	}
	p.Data.Outcomes = statsSeries{Name: "依申请公开办理结果（件）", Labels: report.OutcomeLabels(), Values: st.Outcomes[:]}
	p.Data.MessagesByMonth = statsSeries{Name: "每月收到留言（件）", Labels: months, Values: make([]int64, 12)}
	if h.Interact.Service != nil && h.Interact.Reader != nil {
		msgs, err := h.Interact.Reader.Messages(ctx, interact.Filter{OrgIDs: ids, From: workday.NewDate(year, 1, 1), To: workday.NewDate(year, 12, 31)})
		if err != nil {
			return statsPage{}, err
		}
		ms := interact.Summarize(cal, msgs, today)
		p.Messages, p.HasMsgs = ms.Total, true
		for m, f := range ms.ByMonth {
			if i, err := strconv.Atoi(m[len(m)-2:]); err == nil && i >= 1 && i <= 12 {
				p.Data.MessagesByMonth.Values[i-1] = int64(f.Received)
			}
		}
	}
	p.Charts = []statsSeries{p.Data.ItemsByMonth, p.Data.ItemsByColumn, p.Data.Outcomes}
	if p.HasMsgs {
		p.Charts = append(p.Charts, p.Data.MessagesByMonth)
	}
	return p, nil
}

func (h *handler) statsShow(w http.ResponseWriter, r *http.Request) error {
	p, err := h.statsData(w, r)
	if err != nil {
		return err
	}
	return h.tmpl.Render(w, http.StatusOK, "report/stats", p)
}

// statsExport downloads the dashboard's tables as .xlsx.
func (h *handler) statsExport(w http.ResponseWriter, r *http.Request) error {
	p, err := h.statsData(w, r)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close() // in memory; Close only drops temporary files
	sheet := "统计"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	rowN := 1
	put := func(vals ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, rowN)
		rowN++
		return f.SetSheetRow(sheet, cell, &vals)
	}
	scope := p.Org.Name
	if p.Sub {
		scope += "（含下级单位）"
	}
	if err := put(fmt.Sprintf("%s %d年统计", scope, p.Year)); err != nil {
		return err
	}
	rowN++
	summary := [][]any{
		{"收到政府信息公开申请（件）", p.Stats.Received}, {"办结（件）", p.Stats.Answered}, {"其中超期答复（件）", p.Stats.Late},
		{"平均办理用时（工作日）", fmt.Sprintf("%.1f", p.AvgDays)}, {"在办（件）", p.Stats.Open}, {"其中已超期（件）", p.Stats.Overdue},
	}
	if p.HasMsgs {
		summary = append(summary, []any{"收到留言（件）", p.Messages.Received}, []any{"答复留言（件）", p.Messages.Answered},
			[]any{"留言平均答复用时（工作日）", fmt.Sprintf("%.1f", p.Messages.AvgAnswerDays())}, []any{"留言超期未答复（件）", p.Messages.Overdue})
	}
	for _, s := range summary {
		if err := put(s...); err != nil {
			return err
		}
	}
	for _, c := range p.Charts {
		rowN++
		if err := put(c.Name); err != nil {
			return err
		}
		for i, l := range c.Labels {
			if err := put(l, c.Values[i]); err != nil {
				return err
			}
		}
	}
	_ = f.SetColWidth(sheet, "A", "A", 36) // fails only for invalid column names
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"stats-%s-%d.xlsx\"", url.PathEscape(p.Org.Code), p.Year))
	_, err = io.Copy(w, &b)
	return err
}
