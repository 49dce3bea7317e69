package export

import (
	"io"

	"gongkai/internal/docx"
	"gongkai/internal/report"
)

// DOCX writes d as a .docx document: title, the six parts in order, the
// three tables with their merged cells, and the sources of the
// staff-entered figures.
func DOCX(w io.Writer, d *Doc) error {
	var doc docx.Document
	doc.Heading(1, d.Title())
	narrative := func(head, text string) {
		doc.Heading(2, head)
		for _, p := range paragraphs(text) {
			doc.Add(docx.Paragraph{Runs: []docx.Run{{Text: p}}, Indent: true})
		}
	}
	narrative(report.HeadOverview, d.Narrative.Overview)
	for _, g := range d.Report.Grids() {
		doc.Heading(2, g.Heading)
		t := docx.Table{Columns: g.Columns}
		for _, row := range g.Rows {
			var cells []docx.Cell
			for _, c := range row {
				text := c.Text
				if c.Key != "" && d.Report.Values[c.Key].Manual {
					text += "*"
				}
				p := docx.Paragraph{Runs: []docx.Run{{Text: text}}, Align: docx.AlignCenter}
				cells = append(cells, docx.Cell{Paragraphs: []docx.Paragraph{p}, ColSpan: c.ColSpan, RowSpan: c.RowSpan})
			}
			t.Rows = append(t.Rows, cells)
		}
		doc.AddTable(t)
	}
	if notes := d.Notes(); len(notes) > 0 {
		doc.Para("注：带 * 的数据由工作人员根据其他系统或台账填报：")
		for _, n := range notes {
			doc.Para(n)
		}
	}
	narrative(report.HeadProblems, d.Narrative.Problems)
	narrative(report.HeadOtherNote, d.Narrative.Other)
	return doc.Write(w)
}
