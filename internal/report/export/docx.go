package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"

	"gongkai/internal/docx"
	"gongkai/internal/report"
)

// gridWidths are the column widths, in twentieths of a point, of the three
// tables as the template lays them out: wide label columns, narrow number
// columns. internal/docx gives every grid column the same width, so
// setWidths rewrites the grids after writing (see setWidths).
var gridWidths = [][]int{
	{2700, 2100, 2100, 2100},
	{640, 960, 2100, 757, 757, 757, 757, 757, 757, 758},
	{600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600, 600},
}

// cellSizes are the font sizes (half-points) of the three tables' cells.
var cellSizes = []int{21, 18, 16}

// DOCX writes d as a .docx document: title, the six parts in order, the
// three tables with their merged cells, and the sources of the
// staff-entered figures.
func DOCX(w io.Writer, d *Doc) error {
	var raw bytes.Buffer
	if err := writeDOCX(&raw, d); err != nil {
		return err
	}
	return setWidths(w, raw.Bytes(), gridWidths)
}

func writeDOCX(w io.Writer, d *Doc) error {
	var doc docx.Document
	doc.Heading(1, d.Title())
	narrative := func(head, text string) {
		doc.Heading(2, head)
		for _, p := range paragraphs(text) {
			doc.Add(docx.Paragraph{Runs: []docx.Run{{Text: p}}, Indent: true})
		}
	}
	narrative(report.HeadOverview, d.Narrative.Overview)
	for i, g := range d.Report.Grids() {
		doc.Heading(2, g.Heading)
		t := docx.Table{Columns: g.Columns}
		for _, row := range g.Rows {
			var cells []docx.Cell
			for _, c := range row {
				text := c.Text
				if c.Key != "" && d.Report.Values[c.Key].Manual {
					text += "*"
				}
				p := docx.Paragraph{Runs: []docx.Run{{Text: text}}, Align: docx.AlignCenter, Size: cellSizes[i]}
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

var (
	gridRe = regexp.MustCompile(`<w:tblGrid>.*?</w:tblGrid>`)
	tcWRe  = regexp.MustCompile(`<w:tcW w:w="[0-9]+" w:type="dxa"/>`)
)

// setWidths copies the .docx package src to w with the grid of the n-th
// table set to widths[n] and the per-cell widths dropped, so that the
// fixed table layout follows the grid. It is a stopgap until
// internal/docx takes column widths.
func setWidths(w io.Writer, src []byte, widths [][]int) error {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return fmt.Errorf("docx widths: %w", err)
	}
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("docx widths: %w", err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("docx widths: %w", err)
		}
		if f.Name == "word/document.xml" {
			n := 0
			data = gridRe.ReplaceAllFunc(data, func(old []byte) []byte {
				defer func() { n++ }()
				if n >= len(widths) {
					return old
				}
				var b strings.Builder
				b.WriteString("<w:tblGrid>")
				for _, x := range widths[n] {
					fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, x)
				}
				b.WriteString("</w:tblGrid>")
				return []byte(b.String())
			})
			data = tcWRe.ReplaceAll(data, nil)
		}
		out, err := zw.Create(f.Name)
		if err != nil {
			return fmt.Errorf("docx widths: %w", err)
		}
		if _, err := out.Write(data); err != nil {
			return fmt.Errorf("docx widths: %w", err)
		}
	}
	return zw.Close()
}
