// Package extract turns the files officers upload (plain text, HTML, CSV,
// .docx, .xlsx, PDF, images) into located text segments that
// screening.ScanDocument scans, and masks .xlsx files and HTML bodies. It
// is the only package that depends on file-format libraries: excelize for
// .xlsx, go-pdfium (PDFium compiled to WebAssembly, run by wazero, no cgo)
// for PDF, golang.org/x/net/html and golang.org/x/text.
//
// The type of a file is detected from its content, never from its name.
// Every extractor works within Limits (file size, uncompressed size and
// entry count of an archive, cells, pages, time), so a zip bomb or a huge
// sheet fails fast with ErrTooLarge instead of exhausting the server.
//
// A file that cannot be read is a finding, not a crash: Extractor.Scan
// turns every extraction error into a blocking screening.KindManualReview
// finding. Extractor.File returns the error, for callers (the CLI) that
// must tell the two apart.
package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"gongkai/internal/screening"
)

// Errors returned by File, wrapped with detail; test with errors.Is.
var (
	// ErrUnknownType: the content is not one of the supported formats.
	ErrUnknownType = errors.New("unknown file type")
	// ErrTooLarge: the file exceeds one of the Limits.
	ErrTooLarge = errors.New("file exceeds screening limits")
	// ErrUnreadable: the file claims a supported format but is damaged or
	// encrypted.
	ErrUnreadable = errors.New("file cannot be read")
)

// Limits bound the work one file may cause. The zero value of a field means
// its default (DefaultLimits).
type Limits struct {
	MaxFileSize     int64         // bytes of the file itself
	MaxUnzippedSize int64         // total uncompressed bytes of a .docx or .xlsx
	MaxZipEntries   int           // entries in a .docx or .xlsx archive
	MaxCells        int           // non-empty cells of all sheets of a workbook
	MaxPages        int           // pages of a PDF
	MaxTextSize     int64         // bytes of extracted text in total
	Timeout         time.Duration // wall time for one file
}

// DefaultLimits are generous for the documents a government office
// publishes and small enough that one file cannot take the server down.
var DefaultLimits = Limits{
	MaxFileSize:     100 << 20,
	MaxUnzippedSize: 300 << 20,
	MaxZipEntries:   10_000,
	MaxCells:        2_000_000,
	MaxPages:        2_000,
	MaxTextSize:     200 << 20,
	Timeout:         2 * time.Minute,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxFileSize > 0 {
		d.MaxFileSize = l.MaxFileSize
	}
	if l.MaxUnzippedSize > 0 {
		d.MaxUnzippedSize = l.MaxUnzippedSize
	}
	if l.MaxZipEntries > 0 {
		d.MaxZipEntries = l.MaxZipEntries
	}
	if l.MaxCells > 0 {
		d.MaxCells = l.MaxCells
	}
	if l.MaxPages > 0 {
		d.MaxPages = l.MaxPages
	}
	if l.MaxTextSize > 0 {
		d.MaxTextSize = l.MaxTextSize
	}
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	return d
}

// The formats File recognises (screening.Document.Format).
const (
	FormatText = "text"
	FormatHTML = "html"
	FormatCSV  = "csv"
	FormatDOCX = "docx"
	FormatXLSX = "xlsx"
	FormatPDF  = "pdf"
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
	FormatGIF  = "gif"
	FormatWebP = "webp"
	FormatBMP  = "bmp"
	FormatTIFF = "tiff"
)

// Extractor extracts text from files. It holds the PDF engine, which is
// started on the first PDF (about three seconds to compile PDFium's
// WebAssembly) and kept until Close. An Extractor is safe for concurrent
// use; create one per process.
type Extractor struct {
	// CacheDir, when set before the first PDF, keeps PDFium's compiled
	// machine code in that directory, so that later processes (the CLI,
	// tests, a restarted server) start PDF extraction without compiling
	// it again.
	CacheDir string

	limits Limits

	pdfOnce sync.Once
	pdf     *pdfEngine
	pdfErr  error
}

// New returns an Extractor enforcing limits (zero fields take their
// defaults).
func New(limits Limits) *Extractor {
	return &Extractor{limits: limits.withDefaults()}
}

// Limits returns the limits in force.
func (x *Extractor) Limits() Limits { return x.limits }

// Close stops the PDF engine, if it was started.
func (x *Extractor) Close() error {
	if x.pdf != nil {
		return x.pdf.close()
	}
	return nil
}

// File extracts the text of the file name (used for places and the map
// check only, never for the type) from r, which holds size bytes. It
// returns ErrUnknownType, ErrTooLarge or ErrUnreadable (wrapped), or the
// context's error, when it cannot. A PDF page with no text layer is not an
// error: it becomes a KindManualReview finding in Document.Problems.
func (x *Extractor) File(ctx context.Context, name string, r io.ReaderAt, size int64) (screening.Document, error) {
	doc := screening.Document{Name: name}
	if size > x.limits.MaxFileSize {
		return doc, fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, size, x.limits.MaxFileSize)
	}
	ctx, cancel := context.WithTimeout(ctx, x.limits.Timeout)
	defer cancel()
	head := make([]byte, min(size, 4096))
	if _, err := r.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return doc, fmt.Errorf("read %s: %w", name, err)
	}
	format, err := sniff(head, r, size)
	if err != nil {
		return doc, err
	}
	doc.Format = format
	switch format {
	case FormatPDF:
		err = x.extractPDF(ctx, &doc, r, size)
	case FormatDOCX:
		err = extractDOCX(ctx, &doc, r, size, x.limits)
	case FormatXLSX:
		err = extractXLSX(ctx, &doc, r, size, x.limits)
	case FormatJPEG, FormatPNG, FormatGIF, FormatWebP, FormatBMP, FormatTIFF:
		err = extractImage(&doc, r, size)
	default: // text formats
		var data []byte
		data, err = readAll(r, size)
		if err == nil {
			err = extractText(ctx, &doc, data, x.limits)
		}
	}
	if err == nil {
		err = checkTextSize(doc, x.limits)
	}
	if err != nil && ctx.Err() != nil {
		return doc, fmt.Errorf("extract %s: %w (time limit %s)", name, ctx.Err(), x.limits.Timeout)
	}
	return doc, err
}

// Bytes is File for data held in memory.
func (x *Extractor) Bytes(ctx context.Context, name string, data []byte) (screening.Document, error) {
	return x.File(ctx, name, bytes.NewReader(data), int64(len(data)))
}

// Scan extracts the file and scans it: the function the submit and upload
// paths call with an attachment's bytes. Every finding carries its place
// with File set to name. When the file cannot be extracted (unknown type,
// damaged, over the limits, too slow) the result is a single blocking
// KindManualReview finding saying why, so an unreadable attachment can
// never pass screening silently. Only a cancelled ctx is returned as an
// error.
func (x *Extractor) Scan(ctx context.Context, name string, data []byte, opts screening.Options) ([]screening.Finding, error) {
	doc, err := x.Bytes(ctx, name, data)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return []screening.Finding{screening.ManualReview(screening.Place{File: name}, Reason(err))}, nil
	}
	return screening.ScanDocument(doc, opts), nil
}

// Reason returns a Chinese explanation of an error from File for
// reviewers. It never contains file content.
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrUnknownType):
		return "无法识别的文件类型，检测程序未能检查其内容"
	case errors.Is(err, ErrTooLarge):
		return "文件超出自动检测的大小限制，未能完整检查"
	case errors.Is(err, context.DeadlineExceeded):
		return "文件检测超时，未能完整检查"
	case errors.Is(err, ErrUnreadable):
		return "文件已损坏、加密或格式异常，检测程序无法读取"
	}
	return "文件无法读取"
}

// checkTextSize enforces MaxTextSize on the extracted segments.
func checkTextSize(doc screening.Document, l Limits) error {
	var n int64
	for _, s := range doc.Segments {
		n += int64(len(s.Text))
	}
	if n > l.MaxTextSize {
		return fmt.Errorf("%w: %d bytes of text, at most %d", ErrTooLarge, n, l.MaxTextSize)
	}
	return nil
}

func readAll(r io.ReaderAt, size int64) ([]byte, error) {
	data := make([]byte, size)
	n, err := r.ReadAt(data, 0)
	if err != nil && !(errors.Is(err, io.EOF) && int64(n) == size) {
		return nil, fmt.Errorf("read file: %w", err)
	}
	return data, nil
}

// textBudget counts extracted bytes against MaxTextSize while an extractor
// runs, so a small file that expands to huge text stops early.
type textBudget struct {
	left int64
}

func (b *textBudget) take(n int) error {
	b.left -= int64(n)
	if b.left < 0 {
		return fmt.Errorf("%w: extracted text too long", ErrTooLarge)
	}
	return nil
}
