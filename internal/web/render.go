package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

// Page holds the fields every page shares. Page data structs embed it.
type Page struct {
	Title     string
	Flash     string
	RequestID string
	Path      string // the request path, for navigation highlighting
}

// Renderer holds parsed templates: for each page, the layout, the partials
// and the page itself. Templates are parsed once at start; a broken
// template stops the binary, never a request. Safe for concurrent use.
type Renderer struct {
	pages map[string]*template.Template
}

// Funcs returns the formatting functions every template may use. They are
// pure: nothing per request, nothing that does I/O.
func Funcs(assets *Assets) template.FuncMap {
	return template.FuncMap{
		"asset": assets.Path,
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return ChinaTime(t).Format("2006-01-02 15:04")
		},
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return ChinaTime(t).Format("2006-01-02")
		},
		"add":    func(a, b int) int { return a + b },
		"indent": func(depth int) string { return strings.Repeat("　", depth) },
	}
}

// NewRenderer parses layout.html and partials/*.html with every other .html
// file of fsys; page "item/edit" is file item/edit.html.
func NewRenderer(fsys fs.FS, funcs template.FuncMap) (*Renderer, error) {
	base := template.New("layout.html").Funcs(funcs)
	if _, err := base.ParseFS(fsys, "layout.html"); err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	if matches, _ := fs.Glob(fsys, "partials/*.html"); len(matches) > 0 {
		if _, err := base.ParseFS(fsys, "partials/*.html"); err != nil {
			return nil, fmt.Errorf("parse partials: %w", err)
		}
	}
	r := &Renderer{pages: map[string]*template.Template{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") || p == "layout.html" || strings.HasPrefix(p, "partials/") {
			return err
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, p); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		r.pages[strings.TrimSuffix(p, path.Ext(p))] = t
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Names lists the parsed pages, for the template test.
func (r *Renderer) Names() []string {
	out := make([]string, 0, len(r.pages))
	for n := range r.pages {
		out = append(out, n)
	}
	return out
}

// Render executes page into a buffer, then writes status and body, so a
// template error becomes a clean error and never half a page.
func (r *Renderer) Render(w http.ResponseWriter, status int, page string, data any) error {
	b, err := r.Bytes(page, data)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// Bytes executes page and returns the HTML.
func (r *Renderer) Bytes(page string, data any) ([]byte, error) {
	t, ok := r.pages[page]
	if !ok {
		return nil, fmt.Errorf("render: no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}
