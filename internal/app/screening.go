package app

import (
	"path/filepath"

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
