package extract_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

// allParts returns the decompressed content of every part of an archive.
func allParts(t *testing.T, data []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("open masked archive: %v", err)
	}
	var b strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		part, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		b.Write(part)
	}
	return b.String()
}

func cell(t *testing.T, data []byte, sheet, ref string) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMaskXLSXLeavesNoNumberInTheFile(t *testing.T) {
	x := newExtractor(t)
	data, err := os.ReadFile("testdata/subsidy-list.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := x.Bytes(t.Context(), "subsidy-list.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	findings := screening.ScanDocument(doc, scanOpts())
	masked, err := extract.MaskXLSX(data, findings, extract.Limits{})
	if err != nil {
		t.Fatalf("MaskXLSX error = %v", err)
	}
	parts := allParts(t, masked)
	for _, p := range xlsxFixture(t).planted {
		if strings.Contains(parts, p.value) {
			t.Errorf("masked file still contains %s %s (at %s)", p.kind, screening.MaskValue(p.kind, p.value), p.place)
		}
		if p.place.Sheet == "" {
			continue // a text box or the document properties
		}
		got := cell(t, masked, p.place.Sheet, p.place.Cell)
		if !strings.Contains(got, screening.MaskValue(p.kind, p.value)) {
			t.Errorf("cell %s!%s = %q, want it to contain %q", p.place.Sheet, p.place.Cell, got, screening.MaskValue(p.kind, p.value))
		}
	}
	// Cells without findings are unchanged.
	for _, ref := range []string{"A1", "B2", "B3", "F3", "A24"} {
		if got, want := cell(t, masked, "发放名单", ref), cell(t, data, "发放名单", ref); got != want {
			t.Errorf("cell %s = %q, want unchanged %q", ref, got, want)
		}
	}
	// Screening the masked file finds no personal number any more.
	doc2, err := x.Bytes(t.Context(), "subsidy-list.xlsx", masked)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range screening.ScanDocument(doc2, scanOpts()) {
		if f.Kind == screening.KindIDNumber || f.Kind == screening.KindMobile || f.Kind == screening.KindBankCard {
			t.Errorf("masked file: finding %v", f)
		}
	}
}

func TestMaskXLSXSkipsStaleFindings(t *testing.T) {
	data, err := os.ReadFile("testdata/subsidy-list.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	stale := []screening.Finding{
		{Kind: screening.KindIDNumber, Place: screening.Place{Sheet: "发放名单", Cell: "A1"}, Offset: 500, Length: 18},
		{Kind: screening.KindIDNumber, Place: screening.Place{Sheet: "没有这个表", Cell: "A1"}, Offset: 0, Length: 1},
	}
	_, err = extract.MaskXLSX(data, stale[:1], extract.Limits{})
	if err != nil {
		t.Errorf("MaskXLSX(out-of-range finding) error = %v, want it skipped", err)
	}
	if _, err := extract.MaskXLSX(data, stale[1:], extract.Limits{}); err == nil {
		t.Errorf("MaskXLSX(finding on a missing sheet) succeeded, want an error")
	}
	if _, err := extract.MaskXLSX([]byte("not a workbook"), nil, extract.Limits{}); !errors.Is(err, extract.ErrUnreadable) {
		t.Errorf("MaskXLSX(garbage) error = %v, want ErrUnreadable", err)
	}
}

func TestMaskColumnMasksEveryName(t *testing.T) {
	data, err := os.ReadFile("testdata/subsidy-list.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	masked, err := extract.MaskColumn(data, extract.ColumnMask{Sheet: "发放名单", Column: "B", FirstRow: 3, Kind: screening.KindName}, extract.Limits{})
	if err != nil {
		t.Fatalf("MaskColumn error = %v", err)
	}
	if got := cell(t, masked, "发放名单", "B2"); got != "姓名" {
		t.Errorf("header B2 = %q, want 姓名 kept", got)
	}
	parts := allParts(t, masked)
	for row := 3; row <= 22; row++ {
		ref := "B" + itoa(row)
		orig := cell(t, data, "发放名单", ref)
		got := cell(t, masked, "发放名单", ref)
		if got != screening.MaskName(orig) {
			t.Errorf("%s = %q, want %q", ref, got, screening.MaskName(orig))
		}
		if strings.Contains(parts, ">"+orig+"<") {
			t.Errorf("masked file still holds the name in %s", ref)
		}
	}
	if got, want := cell(t, masked, "发放名单", "C3"), cell(t, data, "发放名单", "C3"); got != want {
		t.Errorf("other column C3 changed to %q", got)
	}
	if _, err := extract.MaskColumn(data, extract.ColumnMask{Sheet: "发放名单", Column: "3"}, extract.Limits{}); err == nil {
		t.Error("MaskColumn(column \"3\") succeeded, want an error")
	}
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func TestMaskHTMLMasksTextNodesOnly(t *testing.T) {
	const id = "429901200003079737"
	tests := []struct {
		name    string
		src     string
		want    string
		mustNot []string
	}{
		{
			name: "phone in a table cell",
			src:  `<table><tr><td class="tel">13812345678</td></tr></table>`,
			want: `<table><tr><td class="tel">138****5678</td></tr></table>`,
		},
		{
			name:    "identity number split by a bold tag",
			src:     `<p>身份证：<b>429901</b>200003079737。</p>`,
			want:    `<p>身份证：<b>4299**********9737</b>。</p>`,
			mustNot: []string{"200003079737"},
		},
		{
			name: "attribute with digits is left alone",
			src:  `<p data-x="13812345678">电话 13812345678 &amp; 其他</p>`,
			want: `<p data-x="13812345678">电话 138****5678 &amp; 其他</p>`,
		},
		{
			name: "escaped text is escaped again",
			src:  `<p>&lt;备注&gt; ` + id + `</p>`,
			want: `<p>&lt;备注&gt; 4299**********9737</p>`,
		},
		{
			name: "nothing found, nothing changed",
			src:  `<p>日期 20240915 金额 1380013800.00</p><script>var a="13812345678"</script>`,
			want: `<p>日期 20240915 金额 1380013800.00</p><script>var a="13812345678"</script>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := screening.Scan(extract.HTMLText(tt.src), scanOpts())
			got := extract.MaskHTML(tt.src, fs)
			if got != tt.want {
				t.Errorf("MaskHTML =\n%s\nwant\n%s", got, tt.want)
			}
			for _, s := range tt.mustNot {
				if strings.Contains(got, s) {
					t.Errorf("MaskHTML output still contains %q", s)
				}
			}
		})
	}
}

func TestMaskDOCXLeavesNoNumberInTheFile(t *testing.T) {
	x := newExtractor(t)
	data, err := os.ReadFile("testdata/notice.docx")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := x.Bytes(t.Context(), "notice.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	findings := screening.ScanDocument(doc, scanOpts())
	masked, err := extract.MaskDOCX(data, findings, extract.Limits{})
	if err != nil {
		t.Fatalf("MaskDOCX error = %v", err)
	}
	parts := allParts(t, masked)
	for _, p := range docxFixture(t).planted {
		if strings.Contains(parts, p.value) {
			t.Errorf("masked file still contains %s %s (at %s)", p.kind, screening.MaskValue(p.kind, p.value), p.place)
		}
	}
	doc2, err := x.Bytes(t.Context(), "notice.docx", masked)
	if err != nil {
		t.Fatalf("masked .docx does not extract: %v", err)
	}
	var before, after []string
	for _, s := range doc.Segments {
		before = append(before, s.Place.String())
	}
	for _, s := range doc2.Segments {
		after = append(after, s.Place.String())
	}
	if strings.Join(before, "|") != strings.Join(after, "|") {
		t.Errorf("masked .docx paragraphs moved:\nbefore %v\nafter  %v", before, after)
	}
	for i, s := range doc2.Segments {
		want := s.Text
		if i < len(doc.Segments) {
			var fs []screening.Finding
			for _, f := range findings {
				if f.Place == doc.Segments[i].Place {
					fs = append(fs, f)
				}
			}
			want = screening.Mask(doc.Segments[i].Text, fs)
		}
		if s.Text != want {
			t.Errorf("%s = %q, want %q", s.Place, s.Text, want)
		}
	}
	// The marking in the header is not personal data and stays.
	if !strings.Contains(parts, "内部资料 注意保存") {
		t.Error("masking removed the header marking")
	}
}

func TestMaskDOCXSplitRuns(t *testing.T) {
	x := newExtractor(t)
	const w = `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
		`<w:p><w:r><w:t>电话 138</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>1234</w:t></w:r><w:r><w:t xml:space="preserve">5678 &amp; 其他</w:t></w:r></w:p>` +
		`</w:body></w:document>`
	data := zipOf(t, map[string]string{"word/document.xml": w})
	doc, err := x.Bytes(t.Context(), "a.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	masked, err := extract.MaskDOCX(data, screening.ScanDocument(doc, scanOpts()), extract.Limits{})
	if err != nil {
		t.Fatalf("MaskDOCX error = %v", err)
	}
	got := allParts(t, masked)
	want := `<w:t>电话 138****5678</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t></w:t></w:r><w:r><w:t xml:space="preserve"> &amp; 其他</w:t>`
	if !strings.Contains(got, want) {
		t.Errorf("masked document.xml =\n%s\nwant it to contain\n%s", got, want)
	}
}

func TestScanHTMLChecksTextAndImages(t *testing.T) {
	src := `<p>联系电话 13812345678</p>` +
		`<p><img src="/files/2024/suizhou-quhuatu.png?v=2" alt="随州市行政区划图"></p><p>图1 随州市行政区划图</p>` +
		`<p><img src="/files/a.png" alt="曾都区地图"></p><p>审图号：鄂S(2020)012号</p>` +
		`<p><img src="/files/photo.jpg" alt="走访困难群众"></p>`
	var got []string
	for _, f := range extract.ScanHTML("body", src, scanOpts()) {
		got = append(got, string(f.Kind)+"@"+f.Location+":"+f.Excerpt)
	}
	want := []string{"mobile@body:138****5678", "map_without_approval@body 正文图片1:随州市行政区划图"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("ScanHTML =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestColumnOf(t *testing.T) {
	for cell, want := range map[string]string{"C4": "C", "AB123": "AB", "xfd1": "XFD"} {
		if got, err := extract.ColumnOf(cell); err != nil || got != want {
			t.Errorf("ColumnOf(%q) = %q, %v; want %q", cell, got, err, want)
		}
	}
	if _, err := extract.ColumnOf("4C"); err == nil {
		t.Error("ColumnOf(\"4C\") succeeded, want an error")
	}
}
