package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

const screenSynopsis = `screen [--json] [--words FILE] FILE...

Scans files for personal data (identity, mobile and bank card numbers,
e-mail and street addresses), classification markings, sensitive words and
maps without an approval number, as the publishing workflow does before a
reviewer sees an item. Supported: plain text, HTML, CSV (UTF-8, UTF-16 or
GBK/GB 18030), .docx, .xlsx, PDF with a text layer, JPEG/PNG/GIF/WebP/BMP/
TIFF images. The type is detected from the content, not the file name.

Each finding is printed as one line: file, place (sheet and cell, page,
paragraph, line), severity, kind, masked excerpt and a description. With
--json each finding is one JSON object per line with the keys file, kind,
severity, confidence, location, excerpt and message; the full value of a
finding is never printed, only its masked excerpt.

Exit status: 0 when nothing blocking was found, 1 when something blocking
was found, 2 on an error (a file that cannot be read, an unknown type).`

// screenFinding is the JSON form of one finding.
type screenFinding struct {
	File       string `json:"file"`
	Kind       string `json:"kind"`
	Severity   string `json:"severity"`
	Confidence string `json:"confidence"`
	Location   string `json:"location"`
	Excerpt    string `json:"excerpt"`
	Message    string `json:"message"`
}

// runScreen implements "gongkai screen".
func runScreen(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "screen", screenSynopsis)
	asJSON := fs.Bool("json", false, "print one JSON object per finding and line")
	wordsFile := fs.String("words", "", "sensitive-word list: a text `FILE` with one word per line (# starts a comment)")
	if code, ok := parse(e, fs, args); !ok {
		return code
	}
	if fs.NArg() == 0 {
		return e.errorf(exitUsage, "screen: want at least one FILE")
	}
	opts := screening.Options{}
	if *wordsFile != "" {
		wl, err := loadWordList(*wordsFile)
		if err != nil {
			return e.errorf(exitUsage, "screen: --words: %v", err)
		}
		opts.Words = wl
	}
	x := extract.New(extract.Limits{})
	x.CacheDir = screenCacheDir(e)
	defer x.Close()

	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	code := exitOK
	for _, path := range fs.Args() {
		findings, err := screenFile(ctx, x, path, opts)
		if err != nil {
			if ctx.Err() != nil {
				return e.errorf(exitFailure, "screen: %v", ctx.Err())
			}
			e.errorf(exitUsage, "screen: %s: %s (%v)", path, extract.Reason(err), err)
			code = exitUsage
			continue
		}
		for _, f := range findings {
			place := f.Place
			place.File = ""
			if *asJSON {
				if err := enc.Encode(screenFinding{
					File: path, Kind: string(f.Kind), Severity: string(f.Severity), Confidence: string(f.Confidence),
					Location: place.String(), Excerpt: f.Excerpt, Message: f.Message,
				}); err != nil {
					return e.errorf(exitFailure, "screen: write: %v", err)
				}
				continue
			}
			loc := place.String()
			if loc == "" {
				loc = "-"
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\t%s\n", path, loc, f.Severity, f.Kind, oneLine(f.Excerpt), f.Message)
		}
		if screening.HasBlocking(findings) && code == exitOK {
			code = exitFailure
		}
	}
	return code
}

// screenFile extracts and scans one file.
func screenFile(ctx context.Context, x *extract.Extractor, path string, opts screening.Options) ([]screening.Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, errors.New("is a directory")
	}
	doc, err := x.File(ctx, filepath.Base(path), f, st.Size())
	if err != nil {
		return nil, err
	}
	return screening.ScanDocument(doc, opts), nil
}

// loadWordList reads a word list: one word per line, UTF-8 or GBK, blank
// lines and lines starting with # ignored.
func loadWordList(path string) (*screening.WordList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	text, _ := extract.DecodeText(data)
	var words []screening.Word
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words = append(words, screening.Word{Text: line})
	}
	return screening.NewWordList(words)
}

// screenCacheDir is where PDFium's compiled code is kept between runs:
// $XDG_CACHE_HOME/gongkai/pdfium or ~/.cache/gongkai/pdfium; "" (no cache)
// when neither is known.
func screenCacheDir(e *env) string {
	base := e.getenv("XDG_CACHE_HOME")
	if base == "" {
		if home := e.getenv("HOME"); home != "" {
			base = filepath.Join(home, ".cache")
		}
	}
	if base == "" {
		return ""
	}
	return filepath.Join(base, "gongkai", "pdfium")
}

// oneLine keeps an excerpt on one output line.
func oneLine(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(s)
}
