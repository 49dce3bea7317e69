// Package export writes an annual report (internal/report) as a printable
// HTML document with an A4 print stylesheet, as an .xlsx workbook of the
// three tables with the template's merged header cells, as a .docx of the
// whole report (via internal/docx), and as JSON. File-format dependencies
// (excelize) stay in this package.
package export

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"gongkai/internal/report"
)

// Doc is a whole annual report: the tables, the narrative and who it is for.
type Doc struct {
	OrgName   string
	OrgCode   string
	Year      int
	Report    *report.Report
	Narrative report.Narrative
	Status    report.Status
}

// Title is the report's title as published, e.g.
// "随州市民政局2026年政府信息公开工作年度报告".
func (d *Doc) Title() string {
	return fmt.Sprintf("%s%d年政府信息公开工作年度报告", d.OrgName, d.Year)
}

// paragraphs splits text into paragraphs at blank lines or single line
// breaks, dropping empty ones.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Notes lists the staff-entered figures with their sources, for the
// footnote under the tables: "行政许可 / 本年处理决定数量：120（来源：…）".
func (d *Doc) Notes() []string {
	var out []string
	for _, k := range d.Report.Manual() {
		v := d.Report.Values[k]
		out = append(out, fmt.Sprintf("%s：%s（来源：%s）", report.CellName(k), v.Text, v.Source))
	}
	return out
}

// JSONCell is a cell of a table in the JSON output.
type JSONCell struct {
	Text    string `json:"text"`
	ColSpan int    `json:"colspan,omitempty"`
	RowSpan int    `json:"rowspan,omitempty"`
	Header  bool   `json:"header,omitempty"`
	Key     string `json:"key,omitempty"`
	Manual  bool   `json:"manual,omitempty"`
	Source  string `json:"source,omitempty"`
}

// JSONTable is one table in the JSON output.
type JSONTable struct {
	Heading string       `json:"heading"`
	Columns int          `json:"columns"`
	Rows    [][]JSONCell `json:"rows"`
}

// JSONMismatch is a failed check in the JSON output.
type JSONMismatch struct {
	Rule    string   `json:"rule"`
	Cells   []string `json:"cells"`
	Message string   `json:"message"`
}

// JSONReport is the JSON form of a report: the tables as laid out, the
// values by cell key, the failed checks and the narrative.
type JSONReport struct {
	Org        string            `json:"org"`
	OrgCode    string            `json:"org_code"`
	Year       int               `json:"year"`
	Title      string            `json:"title"`
	Status     string            `json:"status"`
	Tables     []JSONTable       `json:"tables"`
	Values     map[string]string `json:"values"`
	Manual     []string          `json:"manual"`
	Mismatches []JSONMismatch    `json:"mismatches"`
	Narrative  map[string]string `json:"narrative"`
}

// JSONOf returns the JSON form of d.
func JSONOf(d *Doc) JSONReport {
	out := JSONReport{Org: d.OrgName, OrgCode: d.OrgCode, Year: d.Year, Title: d.Title(), Status: string(d.Status),
		Values: map[string]string{}, Manual: d.Report.Manual(), Mismatches: []JSONMismatch{},
		Narrative: map[string]string{
			report.HeadOverview: d.Narrative.Overview, report.HeadProblems: d.Narrative.Problems, report.HeadOtherNote: d.Narrative.Other,
		}}
	if out.Manual == nil {
		out.Manual = []string{}
	}
	for _, k := range report.Keys() {
		out.Values[k] = d.Report.Values[k].Text
	}
	for _, g := range d.Report.Grids() {
		t := JSONTable{Heading: g.Heading, Columns: g.Columns}
		for _, row := range g.Rows {
			var cells []JSONCell
			for _, c := range row {
				jc := JSONCell{Text: c.Text, Header: c.Header, Key: c.Key}
				if c.ColSpan > 1 {
					jc.ColSpan = c.ColSpan
				}
				if c.RowSpan > 1 {
					jc.RowSpan = c.RowSpan
				}
				if v := d.Report.Values[c.Key]; c.Key != "" && v.Manual {
					jc.Manual, jc.Source = true, v.Source
				}
				cells = append(cells, jc)
			}
			t.Rows = append(t.Rows, cells)
		}
		out.Tables = append(out.Tables, t)
	}
	for _, m := range d.Report.Mismatches {
		out.Mismatches = append(out.Mismatches, JSONMismatch{Rule: m.Rule, Cells: m.Cells, Message: m.Message})
	}
	return out
}

// JSON writes the JSON form of d, indented.
func JSON(w io.Writer, d *Doc) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(JSONOf(d))
}

// Source is what Load reads; *store.DB implements it.
type Source interface {
	AnnualReport(ctx context.Context, orgID int64, year int) (*report.Report, *report.Draft, error)
	ReportFacts(ctx context.Context, orgID int64, year int) (report.Facts, error)
}

// Load assembles the report of org for year from src. When staff have not
// written 一、总体情况 yet, the draft generated from the data stands in, so
// a report is complete from the first day.
func Load(ctx context.Context, src Source, orgID int64, orgName, orgCode string, year int) (*Doc, *report.Draft, error) {
	r, d, err := src.AnnualReport(ctx, orgID, year)
	if err != nil {
		return nil, nil, err
	}
	doc := &Doc{OrgName: orgName, OrgCode: orgCode, Year: year, Report: r, Narrative: d.Narrative, Status: d.Status}
	if doc.Narrative.Overview == "" {
		facts, err := src.ReportFacts(ctx, orgID, year)
		if err != nil {
			return nil, nil, err
		}
		doc.Narrative.Overview = report.DraftOverview(facts)
	}
	return doc, d, nil
}
