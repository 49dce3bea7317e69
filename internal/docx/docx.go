// Package docx writes simple Word (.docx, Office Open XML) documents:
// headings, paragraphs of runs (bold or not), and tables whose cells may
// span columns and rows, with Chinese fonts set for East Asian text (so
// Word and WPS show 宋体/黑体 rather than a Western fallback). It is a small
// writer over archive/zip and encoding/xml; STYLE.md B.15 explains why no
// third-party .docx library is used. Reply notices and the annual report
// use it. It depends only on the standard library.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Fonts used for East Asian and Latin text.
const (
	FontBody    = "宋体"
	FontHeading = "黑体"
	FontLatin   = "Times New Roman"
)

// Run is a piece of text with one formatting.
type Run struct {
	Text string
	Bold bool
}

// Align is a paragraph's alignment.
type Align string

const (
	AlignLeft   Align = ""
	AlignCenter Align = "center"
	AlignRight  Align = "right"
	AlignBoth   Align = "both" // justified
)

// Paragraph is a block of runs. Level 1–3 makes it a heading.
type Paragraph struct {
	Runs   []Run
	Level  int
	Align  Align
	Indent bool // first-line indent of two characters, as official documents use
	Size   int  // font size in half-points; 0 means 28 (四号, 14pt) for body, larger for headings
}

// Cell is a table cell. A cell with ColSpan > 1 covers that many grid
// columns; RowSpan > 1 merges it with the cells below (those rows must
// leave its columns out).
type Cell struct {
	Paragraphs []Paragraph
	ColSpan    int
	RowSpan    int
}

// Table is a grid of cells with borders.
type Table struct {
	Columns int // grid columns
	Rows    [][]Cell
}

// Document is an ordered list of paragraphs and tables.
type Document struct {
	blocks []any // Paragraph or Table
}

// Heading adds a heading of level 1–3, centred for level 1.
func (d *Document) Heading(level int, text string) {
	a := AlignLeft
	if level == 1 {
		a = AlignCenter
	}
	d.blocks = append(d.blocks, Paragraph{Runs: []Run{{Text: text, Bold: true}}, Level: level, Align: a})
}

// Para adds a paragraph of plain text.
func (d *Document) Para(text string) {
	d.blocks = append(d.blocks, Paragraph{Runs: []Run{{Text: text}}})
}

// Add adds a paragraph.
func (d *Document) Add(p Paragraph) { d.blocks = append(d.blocks, p) }

// AddTable adds a table.
func (d *Document) AddTable(t Table) { d.blocks = append(d.blocks, t) }

// Text makes a one-run paragraph, for table cells.
func Text(s string) []Paragraph { return []Paragraph{{Runs: []Run{{Text: s}}}} }

// Write writes the document as a .docx file to w.
func (d *Document) Write(w io.Writer) error {
	zw := zip.NewWriter(w)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes},
		{"_rels/.rels", rels},
		{"word/_rels/document.xml.rels", docRels},
		{"word/styles.xml", styles},
		{"word/document.xml", d.documentXML()},
	}
	for _, p := range parts {
		f, err := zw.Create(p.name)
		if err != nil {
			return fmt.Errorf("docx: create %s: %w", p.name, err)
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return fmt.Errorf("docx: write %s: %w", p.name, err)
		}
	}
	return zw.Close()
}

// Bytes returns the document as a .docx file.
func (d *Document) Bytes() ([]byte, error) {
	var b bytes.Buffer
	err := d.Write(&b)
	return b.Bytes(), err
}

func esc(s string) string {
	var b strings.Builder
	// EscapeText also drops nothing; characters invalid in XML 1.0 are
	// replaced so Word opens the file.
	_ = xml.EscapeText(&b, []byte(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r != 0xFFFE && r != 0xFFFF) {
			return r
		}
		return '\uFFFD'
	}, s)))
	return b.String()
}

func (d *Document) documentXML() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, bl := range d.blocks {
		switch v := bl.(type) {
		case Paragraph:
			writePara(&b, v)
		case Table:
			writeTable(&b, v)
		}
	}
	// A4 portrait with the margins of official documents (GB/T 9704: top
	// 37mm, left 28mm), in twentieths of a point.
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return b.String()
}

func writePara(b *strings.Builder, p Paragraph) {
	b.WriteString(`<w:p><w:pPr>`)
	if p.Level > 0 {
		fmt.Fprintf(b, `<w:pStyle w:val="Heading%d"/>`, p.Level)
	}
	if p.Indent {
		b.WriteString(`<w:ind w:firstLineChars="200" w:firstLine="560"/>`)
	}
	if p.Align != AlignLeft {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.Align)
	}
	b.WriteString(`</w:pPr>`)
	size := p.Size
	font := FontBody
	if p.Level > 0 {
		font = FontHeading
		if size == 0 {
			size = []int{0, 44, 32, 30}[min(p.Level, 3)]
		}
	}
	if size == 0 {
		size = 28
	}
	for _, r := range p.Runs {
		// Line breaks inside a run become <w:br/>.
		lines := strings.Split(r.Text, "\n")
		b.WriteString(`<w:r><w:rPr>`)
		fmt.Fprintf(b, `<w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:hint="eastAsia"/>`, FontLatin, FontLatin, font)
		if r.Bold {
			b.WriteString(`<w:b/><w:bCs/>`)
		}
		fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr>`, size, size)
		for i, l := range lines {
			if i > 0 {
				b.WriteString(`<w:br/>`)
			}
			fmt.Fprintf(b, `<w:t xml:space="preserve">%s</w:t>`, esc(l))
		}
		b.WriteString(`</w:r>`)
	}
	b.WriteString(`</w:p>`)
}

func writeTable(b *strings.Builder, t Table) {
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>`)
	width := 9000 / max(t.Columns, 1)
	for range t.Columns {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, width)
	}
	b.WriteString(`</w:tblGrid>`)
	// pending[c] counts the rows still covered by a row-spanning cell
	// that starts in grid column c.
	pending := make([]int, t.Columns)
	spanOf := make([]int, t.Columns)
	for _, row := range t.Rows {
		b.WriteString(`<w:tr>`)
		col, next := 0, 0
		for col < t.Columns {
			if pending[col] > 0 {
				pending[col]--
				span := spanOf[col]
				fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width*span)
				if span > 1 {
					fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, span)
				}
				b.WriteString(`<w:vMerge/><w:vAlign w:val="center"/></w:tcPr><w:p/></w:tc>`)
				col += span
				continue
			}
			if next >= len(row) {
				// Short row: fill with empty cells so Word accepts it.
				fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr><w:p/></w:tc>`, width)
				col++
				continue
			}
			c := row[next]
			next++
			span := max(c.ColSpan, 1)
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width*span)
			if span > 1 {
				fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, span)
			}
			if c.RowSpan > 1 {
				b.WriteString(`<w:vMerge w:val="restart"/>`)
				pending[col], spanOf[col] = c.RowSpan-1, span
			}
			b.WriteString(`<w:vAlign w:val="center"/></w:tcPr>`)
			if len(c.Paragraphs) == 0 {
				b.WriteString(`<w:p/>`)
			}
			for _, p := range c.Paragraphs {
				if p.Size == 0 {
					p.Size = 21 // 五号 in tables
				}
				writePara(b, p)
			}
			b.WriteString(`</w:tc>`)
			col += span
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl><w:p/>`)
}

const contentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`</Types>`

const rels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`</Relationships>`

const docRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

const styles = xml.Header + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
	`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="` + FontLatin + `" w:hAnsi="` + FontLatin + `" w:eastAsia="` + FontBody + `"/>` +
	`<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>` +
	`<w:pPrDefault><w:pPr><w:spacing w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="240"/><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr></w:style>` +
	`</w:styles>`
