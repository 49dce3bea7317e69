package app

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"

	"gongkai/internal/publish"
	"gongkai/internal/screening/extract"
)

// screenConfig builds the pre-publication screening (issue 4): one
// Extractor for the process, keeping PDFium's compiled code under
// <data>/cache/pdfium so a restart does not compile it again.
func (a *App) screenConfig() publish.ScreenConfig {
	a.extractor = extract.New(extract.Limits{})
	if a.Config.DataDir != "" {
		a.extractor.CacheDir = filepath.Join(a.Config.DataDir, "cache", "pdfium")
	}
	return publish.ScreenConfig{Extractor: a.extractor, Files: a.files()}
}

// closeScreening stops the PDF engine, if it was started.
func (a *App) closeScreening() error {
	if a.extractor == nil {
		return nil
	}
	return a.extractor.Close()
}

// attachmentText is the search index's source of attachment text
// (issue 6): what the screening extractor reads from the stored file. A
// file it cannot read is logged and indexed by its name only.
func (a *App) attachmentText(ctx context.Context, sha256, name string) (string, error) {
	f, err := a.files().Open(sha256)
	if err != nil {
		a.Log.Warn("attachment for the search index", slog.String("file", name), slog.Any("err", err))
		return "", nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", nil
	}
	doc, err := a.extractor.File(ctx, name, f, st.Size())
	if err != nil {
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		a.Log.Info("attachment text not indexed", slog.String("file", name), slog.String("reason", extract.Reason(err)))
		return "", nil
	}
	var b strings.Builder
	for _, s := range doc.Segments {
		b.WriteString(s.Text)
		b.WriteByte('\n')
	}
	return b.String(), nil
}
