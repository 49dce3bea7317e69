package extract_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

var testNow = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func scanOpts() screening.Options {
	return screening.Options{Now: func() time.Time { return testNow }}
}

// cacheDir keeps PDFium's compiled code between test runs (and fuzz
// workers, whose instrumented compiler would take too long to compile it
// afresh); wazero keys the cache by its version, so a stale entry is never
// used. The CLI tests use the same directory (as XDG_CACHE_HOME).
var cacheDir = filepath.Join(os.TempDir(), "gongkai-test-cache", "gongkai", "pdfium")

func newExtractor(t *testing.T) *extract.Extractor {
	t.Helper()
	x := extract.New(extract.Limits{})
	x.CacheDir = cacheDir
	t.Cleanup(func() { x.Close() })
	return x
}

// samePlace compares the parts of a place a fixture pins down.
// The archive entry of a .docx paragraph is checked by the masking tests.
func samePlace(want, got screening.Place) bool {
	got.Entry = ""
	if want.Paragraph == anyParagraph {
		got.Paragraph = anyParagraph
	}
	return want == got
}

// TestPlantedNumbersFoundAtTheirPlace checks, for every fixture in
// testdata/, that each planted identity, mobile and card number is found
// with its kind at its cell, page, paragraph, table cell or line, with the
// masked excerpt; that no other number is reported (dates, amounts, index
// and document numbers, the credit code); and that the file blocks.
func TestPlantedNumbersFoundAtTheirPlace(t *testing.T) {
	x := newExtractor(t)
	numberKinds := []screening.Kind{screening.KindIDNumber, screening.KindMobile, screening.KindBankCard}
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", fx.name))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := x.Bytes(t.Context(), fx.name, data)
			if err != nil {
				t.Fatalf("File(%s) error = %v", fx.name, err)
			}
			findings := screening.ScanDocument(doc, scanOpts())
			used := make([]bool, len(findings))
			for _, p := range fx.planted {
				found := false
				for i, f := range findings {
					if used[i] || f.Kind != p.kind || !samePlace(p.place, f.Place) {
						continue
					}
					if f.Excerpt != screening.MaskValue(p.kind, p.value) {
						continue
					}
					used[i], found = true, true
					break
				}
				if !found {
					t.Errorf("%s %s at %s (%q) not found; findings:\n%v", p.kind, screening.MaskValue(p.kind, p.value), p.place, p.value, findings)
				}
			}
			for i, f := range findings {
				if !used[i] && slices.Contains(numberKinds, f.Kind) {
					t.Errorf("unexpected finding %v", f)
				}
			}
			if got := screening.HasBlocking(findings); got != fx.blocking {
				t.Errorf("HasBlocking = %v, want %v; findings %v", got, fx.blocking, findings)
			}
		})
	}
}

func TestFormatDetectedFromContent(t *testing.T) {
	x := newExtractor(t)
	tests := []struct {
		file string
		want string
	}{
		{"subsidy-list.xlsx", extract.FormatXLSX},
		{"notice.docx", extract.FormatDOCX},
		{"recipients.pdf", extract.FormatPDF},
		{"recipients-gbk.csv", extract.FormatCSV},
		{"notice.html", extract.FormatHTML},
		{"notes.txt", extract.FormatText},
		{"district-map.png", extract.FormatPNG},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			// The name says nothing: the content decides.
			doc, err := x.Bytes(t.Context(), "upload.bin", data)
			if err != nil {
				t.Fatalf("Bytes error = %v", err)
			}
			if doc.Format != tt.want {
				t.Errorf("Format = %q, want %q", doc.Format, tt.want)
			}
		})
	}
}

func TestScannedPDFNeedsManualReview(t *testing.T) {
	x := newExtractor(t)
	data, err := os.ReadFile("testdata/scanned.pdf")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := x.Bytes(t.Context(), "scanned.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Segments) != 0 || len(doc.Problems) != 1 || doc.Problems[0].Kind != screening.KindManualReview || doc.Problems[0].Severity != screening.SeverityBlocking {
		t.Errorf("scanned PDF: segments %v, problems %v; want no text and one blocking manual-review problem", doc.Segments, doc.Problems)
	}
}

func TestUnreadableFilesAreErrorsAndFindings(t *testing.T) {
	x := newExtractor(t)
	pdf, _ := os.ReadFile("testdata/recipients.pdf")
	xlsx, _ := os.ReadFile("testdata/subsidy-list.xlsx")
	tests := []struct {
		name string
		data []byte
		want error
	}{
		{"binary", []byte("\x00\x01\x02\x03garbage\x00"), extract.ErrUnknownType},
		{"legacy xls", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), extract.ErrUnknownType},
		{"plain zip", zipOf(t, map[string]string{"a.txt": "hello"}), extract.ErrUnknownType},
		{"truncated pdf", pdf[:len(pdf)/3], extract.ErrUnreadable},
		{"truncated xlsx", xlsx[:len(xlsx)/2], extract.ErrUnreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := x.Bytes(t.Context(), tt.name, tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Bytes error = %v, want %v", err, tt.want)
			}
			fs, err := x.Scan(t.Context(), tt.name, tt.data, scanOpts())
			if err != nil {
				t.Fatalf("Scan error = %v", err)
			}
			if len(fs) != 1 || fs[0].Kind != screening.KindManualReview || fs[0].Severity != screening.SeverityBlocking || fs[0].Place.File != tt.name {
				t.Errorf("Scan = %v, want one blocking manual-review finding", fs)
			}
		})
	}
}
