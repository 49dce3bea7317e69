package export

import (
	_ "embed"
	"html/template"
	"io"
	"strings"

	"gongkai/internal/report"
)

// PrintCSS is the stylesheet of the report document: screen and A4 print.
//
//go:embed report.css
var PrintCSS string

//go:embed report.html
var htmlSource string

var htmlTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"paragraphs": paragraphs,
	"span": func(n int) int {
		if n < 1 {
			return 1
		}
		return n
	},
}).Parse(htmlSource))

// HTMLOptions choose how the HTML document refers to its stylesheet.
type HTMLOptions struct {
	// StylesheetURL links the stylesheet (for pages served under the
	// content security policy, which forbids inline style); empty embeds
	// it in a <style> element, for files written by the command line.
	StylesheetURL string
	// Checks shows the failed checks and marks the cells involved (the
	// staff view); the published document leaves them out.
	Checks bool
}

type htmlCell struct {
	report.GridCell
	Manual   bool
	Mismatch bool
}

type htmlTable struct {
	Heading string
	Class   string
	Rows    [][]htmlCell
}

type htmlData struct {
	Doc      *Doc
	Opts     HTMLOptions
	CSS      template.CSS
	Tables   []htmlTable
	Headings struct{ Overview, Problems, Other string }
}

// HTML writes d as a standalone HTML document that prints on A4.
func HTML(w io.Writer, d *Doc, opts HTMLOptions) error {
	return htmlTmpl.Execute(w, htmlDataOf(d, opts))
}

// Fragment returns the report as an HTML fragment (an <article> with the
// title, the six parts and the tables, no checks), the body of the item
// that publishes it in the 政府信息公开年报 column.
func Fragment(d *Doc) (string, error) {
	var b strings.Builder
	err := htmlTmpl.ExecuteTemplate(&b, "body", htmlDataOf(d, HTMLOptions{}))
	return b.String(), err
}

func htmlDataOf(d *Doc, opts HTMLOptions) htmlData {
	data := htmlData{Doc: d, Opts: opts}
	if opts.StylesheetURL == "" {
		data.CSS = template.CSS(PrintCSS)
	}
	data.Headings.Overview, data.Headings.Problems, data.Headings.Other = report.HeadOverview, report.HeadProblems, report.HeadOtherNote
	for i, g := range d.Report.Grids() {
		t := htmlTable{Heading: g.Heading, Class: []string{"t-active", "t-requests", "t-cases"}[i]}
		for _, row := range g.Rows {
			var cells []htmlCell
			for _, c := range row {
				hc := htmlCell{GridCell: c}
				if c.Key != "" {
					hc.Manual = d.Report.Values[c.Key].Manual
					hc.Mismatch = opts.Checks && d.Report.InMismatch(c.Key)
				}
				cells = append(cells, hc)
			}
			t.Rows = append(t.Rows, cells)
		}
		data.Tables = append(data.Tables, t)
	}
	return data
}
