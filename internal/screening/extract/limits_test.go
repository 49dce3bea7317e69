package extract_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"gongkai/internal/screening/extract"
)

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLimitsStopLargeFiles(t *testing.T) {
	xlsx, err := os.ReadFile("testdata/subsidy-list.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile("testdata/recipients.pdf")
	if err != nil {
		t.Fatal(err)
	}
	bomb := zipOf(t, map[string]string{
		"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` +
			strings.Repeat("零", 2<<20) + `</w:t></w:r></w:p></w:body></w:document>`,
	})
	many := map[string]string{"word/document.xml": "<x/>"}
	for i := range 50 {
		many[strings.Repeat("d", i+1)+".xml"] = ""
	}
	tests := []struct {
		name   string
		limits extract.Limits
		data   []byte
	}{
		{"file size", extract.Limits{MaxFileSize: 100}, []byte(strings.Repeat("正文", 100))},
		{"zip bomb: uncompressed size", extract.Limits{MaxUnzippedSize: 1 << 20}, bomb},
		{"zip entry count", extract.Limits{MaxZipEntries: 20}, zipOf(t, many)},
		{"cell count", extract.Limits{MaxCells: 10}, xlsx},
		{"page count", extract.Limits{MaxPages: 1}, pdf},
		{"text size", extract.Limits{MaxTextSize: 1000}, bomb},
		{"csv cells", extract.Limits{MaxCells: 3}, []byte("a,b\nc,d\ne,f\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := extract.New(tt.limits)
			x.CacheDir = cacheDir
			defer x.Close()
			_, err := x.Bytes(t.Context(), "f", tt.data)
			if !errors.Is(err, extract.ErrTooLarge) {
				t.Errorf("Bytes error = %v, want ErrTooLarge", err)
			}
		})
	}
}

func TestTimeoutStopsExtraction(t *testing.T) {
	data, err := os.ReadFile("testdata/recipients.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// Compile PDFium into the cache first, so the time measured below is
	// the extraction's, not a cold compile's (over 30 s under -race).
	warm := extract.New(extract.Limits{})
	warm.CacheDir = cacheDir
	if _, err := warm.Bytes(t.Context(), "recipients.pdf", data); err != nil {
		t.Fatal(err)
	}
	warm.Close()
	x := extract.New(extract.Limits{Timeout: time.Nanosecond})
	x.CacheDir = cacheDir
	defer x.Close()
	start := time.Now()
	_, err = x.Bytes(t.Context(), "recipients.pdf", data)
	if err == nil {
		t.Fatal("Bytes with a 1ns time limit succeeded")
	}
	if time.Since(start) > 30*time.Second {
		t.Errorf("Bytes took %s after its deadline", time.Since(start))
	}
}
