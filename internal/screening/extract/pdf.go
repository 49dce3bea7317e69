package extract

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"gongkai/internal/screening"
)

// pdfEngine is PDFium compiled to WebAssembly and run by wazero: no cgo,
// no shared library, and a PDF that crashes or hangs PDFium takes down a
// sandboxed module instance, not the server. Each file gets a fresh
// instance; a file that overruns its time limit has its instance killed.
type pdfEngine struct {
	pool pdfium.Pool
}

func newPDFEngine(cacheDir string) (*pdfEngine, error) {
	rc := wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(true) // lets Kill interrupt PDFium in the middle of a page
	if cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return nil, fmt.Errorf("pdfium compilation cache: %w", err)
		}
		rc = rc.WithCompilationCache(cache)
	}
	pool, err := webassembly.Init(webassembly.Config{
		MinIdle:  0,
		MaxIdle:  1,
		MaxTotal: 2,
		// No file system: documents are passed as bytes.
		FSConfig:      wazero.NewFSConfig(),
		RuntimeConfig: rc,
		Stdout:        io.Discard,
		Stderr:        io.Discard,
	})
	if err != nil {
		return nil, fmt.Errorf("start pdfium: %w", err)
	}
	return &pdfEngine{pool: pool}, nil
}

func (e *pdfEngine) close() error { return e.pool.Close() }

func (x *Extractor) pdfEngine() (*pdfEngine, error) {
	x.pdfOnce.Do(func() { x.pdf, x.pdfErr = newPDFEngine(x.CacheDir) })
	return x.pdf, x.pdfErr
}

// extractPDF makes one segment per page with text. A page with no text but
// with images (a scanned page) is a KindManualReview problem; a document
// with no text on any page is one problem for the whole file.
func (x *Extractor) extractPDF(ctx context.Context, doc *screening.Document, r io.ReaderAt, size int64) error {
	eng, err := x.pdfEngine()
	if err != nil {
		return err
	}
	data, err := readAll(r, size)
	if err != nil {
		return err
	}
	inst, err := eng.pool.GetInstanceWithContext(ctx)
	if err != nil {
		return fmt.Errorf("pdfium instance: %w", err)
	}
	// The watcher alone decides whether the instance is killed; the caller
	// waits for its answer before closing, so Kill and Close never run at
	// the same time on one instance (go-pdfium's Kill takes no lock).
	done := make(chan struct{})
	killed := make(chan bool, 1)
	go func() {
		select {
		case <-ctx.Done():
			inst.Kill()
			killed <- true
		case <-done:
			killed <- false
		}
	}()
	err = pdfPages(ctx, inst, doc, data, x.limits)
	close(done)
	if <-killed {
		return ctx.Err()
	}
	inst.Close()
	return err
}

func pdfPages(ctx context.Context, inst pdfium.Pdfium, doc *screening.Document, data []byte, l Limits) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: pdf: %v", ErrUnreadable, p)
		}
	}()
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: pdf: %v", ErrUnreadable, err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: opened.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: opened.Document})
	if err != nil {
		return fmt.Errorf("%w: pdf page count: %v", ErrUnreadable, err)
	}
	if count.PageCount > l.MaxPages {
		return fmt.Errorf("%w: %d pages, at most %d", ErrTooLarge, count.PageCount, l.MaxPages)
	}
	budget := &textBudget{left: l.MaxTextSize}
	var scanned []int
	withText := 0
	for i := range count.PageCount {
		if err := ctx.Err(); err != nil {
			return err
		}
		text, hasImage, err := pdfPage(inst, opened.Document, i)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("%w: pdf page %d: %v", ErrUnreadable, i+1, err)
		}
		if strings.TrimSpace(text) == "" {
			if hasImage {
				scanned = append(scanned, i+1)
			}
			continue
		}
		withText++
		if err := budget.take(len(text)); err != nil {
			return err
		}
		doc.Segments = append(doc.Segments, screening.Segment{
			Place: screening.Place{File: doc.Name, Page: i + 1},
			Text:  text,
		})
	}
	switch {
	case withText == 0 && count.PageCount > 0:
		doc.Problems = append(doc.Problems, screening.ManualReview(screening.Place{File: doc.Name},
			"PDF文件没有文字层（疑似扫描件或图片），检测程序无法读取其内容，请人工逐页审查"))
	default:
		for _, p := range scanned {
			doc.Problems = append(doc.Problems, screening.ManualReview(screening.Place{File: doc.Name, Page: p},
				"该页没有文字层（疑似扫描页），请人工审查"))
		}
	}
	return nil
}

// pdfPage returns the text of page i (0-based), with line breaks as '\n',
// and whether the page shows an image.
func pdfPage(inst pdfium.Pdfium, d references.FPDF_DOCUMENT, i int) (string, bool, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: d, Index: i})
	if err != nil {
		return "", false, err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	ref := requests.Page{ByReference: &page.Page}
	text, err := inst.GetPageText(&requests.GetPageText{Page: ref})
	if err != nil {
		return "", false, err
	}
	t := strings.ReplaceAll(text.Text, "\r\n", "\n")
	t = strings.ReplaceAll(t, "\r", "\n")
	if strings.TrimSpace(t) != "" {
		return t, false, nil
	}
	objs, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: ref})
	if err != nil {
		return "", false, err
	}
	for j := range min(objs.Count, 10_000) {
		obj, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: ref, Index: j})
		if err != nil {
			return "", false, err
		}
		typ, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj.PageObject})
		if err != nil {
			return "", false, err
		}
		if typ.Type == enums.FPDF_PAGEOBJ_IMAGE || typ.Type == enums.FPDF_PAGEOBJ_FORM {
			return "", true, nil
		}
	}
	return "", false, nil
}
