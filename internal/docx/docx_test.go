package docx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/docx"
)

// part returns a part of a .docx file.
func part(t *testing.T, b []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			r, _ := f.Open()
			defer r.Close()
			data, _ := io.ReadAll(r)
			return string(data)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// wellFormed decodes every token, failing on malformed XML.
func wellFormed(t *testing.T, name, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed: %v", name, err)
		}
	}
}

// TestReportStyleTable writes the header of the annual report's table 三
// (REGULATIONS.md §2.3): a 3×3 corner cell, a row-spanning 自然人 and 总计,
// and a column-spanning 法人或其他组织.
func TestReportStyleTable(t *testing.T) {
	var d docx.Document
	d.Heading(1, "政府信息公开申请答复告知书")
	d.Add(docx.Paragraph{Runs: []docx.Run{{Text: "申请人："}, {Text: "张三", Bold: true}}, Indent: true})
	d.Para("第一行\n第二行 <&> \x01")
	d.AddTable(docx.Table{Columns: 10, Rows: [][]docx.Cell{
		{{Paragraphs: docx.Text("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"), ColSpan: 3, RowSpan: 3}, {Paragraphs: docx.Text("申请人情况"), ColSpan: 7}},
		{{Paragraphs: docx.Text("自然人"), RowSpan: 2}, {Paragraphs: docx.Text("法人或其他组织"), ColSpan: 5}, {Paragraphs: docx.Text("总计"), RowSpan: 2}},
		{{Paragraphs: docx.Text("商业企业")}, {Paragraphs: docx.Text("科研机构")}, {Paragraphs: docx.Text("社会公益组织")}, {Paragraphs: docx.Text("法律服务机构")}, {Paragraphs: docx.Text("其他")}},
		{{Paragraphs: docx.Text("一、本年新收政府信息公开申请数量"), ColSpan: 3}, {Paragraphs: docx.Text("1")}},
	}})
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels", "word/styles.xml", "word/document.xml"} {
		wellFormed(t, name, part(t, b, name))
	}
	doc := part(t, b, "word/document.xml")
	for _, want := range []string{`w:eastAsia="宋体"`, `w:eastAsia="黑体"`, `<w:b/>`, `<w:br/>`, "&lt;&amp;&gt;", `<w:gridSpan w:val="3"/>`,
		`<w:gridSpan w:val="7"/>`, `<w:gridSpan w:val="5"/>`, `<w:pStyle w:val="Heading1"/>`, `<w:jc w:val="center"/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if strings.Contains(doc, "\x01") {
		t.Error("control character written into XML")
	}
	if got := strings.Count(doc, `<w:vMerge w:val="restart"/>`); got != 3 {
		t.Errorf("vertical merge starts = %d, want 3", got)
	}
	if got := strings.Count(doc, `<w:vMerge/>`); got != 2+1+1 {
		t.Errorf("vertical merge continuations = %d, want 4", got)
	}
	// Every row covers all 10 grid columns.
	for i, row := range strings.Split(doc, "<w:tr>")[1:] {
		row = row[:strings.Index(row, "</w:tr>")]
		cols := 0
		for _, tc := range strings.Split(row, "<w:tc>")[1:] {
			span := 1
			if j := strings.Index(tc, `<w:gridSpan w:val="`); j >= 0 {
				rest := tc[j+len(`<w:gridSpan w:val="`):]
				span, _ = strconv.Atoi(rest[:strings.Index(rest, `"`)])
			}
			cols += span
		}
		if cols != 10 {
			t.Errorf("row %d covers %d grid columns, want 10", i, cols)
		}
	}
}
