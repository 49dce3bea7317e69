package extract_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"testing"
	"time"

	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

// The fuzz targets check that no input makes an extractor (or the scan
// and masking after it) panic or run past its limits. Mutating a whole zip
// mostly breaks its checksums, so the .docx and .xlsx targets also put the
// fuzzed bytes into an otherwise valid archive as its main XML part.

// fuzzExtract runs the extractor and the scan on data.
func fuzzExtract(t *testing.T, x *extract.Extractor, data []byte) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	doc, err := x.Bytes(ctx, "fuzz", data)
	if err != nil {
		return
	}
	fs := screening.ScanDocument(doc, screening.Options{})
	if doc.Format == extract.FormatDOCX {
		if _, err := extract.MaskDOCX(data, fs, extract.Limits{}); err != nil {
			t.Logf("MaskDOCX: %v", err)
		}
	}
	for _, f := range fs {
		if f.Length > 0 && f.Place.Sheet != "" {
			// Masking with the findings of this very file never fails
			// for lack of a cell.
			if _, err := extract.MaskXLSX(data, fs, extract.Limits{}); err != nil {
				t.Logf("MaskXLSX: %v", err)
			}
			break
		}
	}
}

func fuzzExtractor(f *testing.F) *extract.Extractor {
	x := extract.New(extract.Limits{MaxFileSize: 1 << 20, MaxUnzippedSize: 8 << 20, MaxCells: 100_000, MaxPages: 50, Timeout: 10 * time.Second})
	x.CacheDir = cacheDir
	f.Cleanup(func() { x.Close() })
	return x
}

func addFile(f *testing.F, name string) []byte {
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	return data
}

// replacePart returns the zip archive with part name's content replaced.
func replacePart(archive []byte, name string, content []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.Create(f.Name)
		if f.Name == name {
			w.Write(content)
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	return buf.Bytes()
}

func part(archive []byte, name string) []byte {
	zr, _ := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	for _, f := range zr.File {
		if f.Name == name {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return b
		}
	}
	return nil
}

func FuzzDOCX(f *testing.F) {
	x := fuzzExtractor(f)
	docx := addFile(f, "notice.docx")
	f.Add(part(docx, "word/document.xml"))
	f.Add([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="99999999"/></w:tcPr><w:p><w:r><w:t>13812345678</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, x, data)
		fuzzExtract(t, x, replacePart(docx, "word/document.xml", data))
	})
}

func FuzzXLSX(f *testing.F) {
	x := fuzzExtractor(f)
	xlsx := addFile(f, "subsidy-list.xlsx")
	f.Add(part(xlsx, "xl/worksheets/sheet1.xml"))
	f.Add([]byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1048576"><c r="XFD1048576" t="s"><v>99999</v></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, x, data)
		fuzzExtract(t, x, replacePart(xlsx, "xl/worksheets/sheet1.xml", data))
		fuzzExtract(t, x, replacePart(xlsx, "xl/sharedStrings.xml", data))
	})
}

func FuzzPDF(f *testing.F) {
	x := fuzzExtractor(f)
	addFile(f, "recipients.pdf")
	addFile(f, "scanned.pdf")
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, x, data)
	})
}

func FuzzText(f *testing.F) {
	x := fuzzExtractor(f)
	addFile(f, "notice.html")
	addFile(f, "recipients-gbk.csv")
	addFile(f, "notes.txt")
	f.Add([]byte("\xff\xfe1\x003\x008\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzExtract(t, x, data)
	})
}

func FuzzMaskHTML(f *testing.F) {
	for _, s := range []string{
		`<p>身份证：<b>429901</b>200003079737。</p>`,
		`<td>13812345678</td><script>13812345678</script>`,
		`<p>&lt;x&gt; 13812345678 &amp;</p>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		text := extract.HTMLText(src)
		fs := screening.Scan(text, screening.Options{Now: func() time.Time { return testNow }})
		masked := extract.MaskHTML(src, fs)
		// Screening the masked page finds none of the masked numbers.
		for _, f := range screening.Scan(extract.HTMLText(masked), screening.Options{Now: func() time.Time { return testNow }}) {
			if f.Kind == screening.KindIDNumber || f.Kind == screening.KindMobile || f.Kind == screening.KindBankCard {
				for _, orig := range fs {
					if orig.Kind == f.Kind && orig.Excerpt == f.Excerpt {
						t.Fatalf("MaskHTML(%q) = %q still has %v", src, masked, f)
					}
				}
			}
		}
	})
}
