package site

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"

	"gongkai/internal/org"
	"gongkai/internal/web"
)

// templateSets renders pages with the built-in templates, or with an
// org's own: files in TemplateDir/<path prefix>/ (layout.html, home.html,
// partials/…) replace the built-in files of the same name for that org's
// site and the units below it that have none of their own. They are the
// operator's files, parsed at start like the built-in ones: a broken one
// stops the server, never a request.
type templateSets struct {
	base     *web.Renderer
	byPrefix map[string]*web.Renderer // guarded by nothing: read-only after start
}

// Render renders page with the set of the org the page is for.
func (t *templateSets) Render(w http.ResponseWriter, status int, page string, data any) error {
	r := t.base
	if p, ok := data.(interface{ TemplateSet() string }); ok {
		if own, ok := t.byPrefix[p.TemplateSet()]; ok {
			r = own
		}
	}
	return r.Render(w, status, page, data)
}

// TemplateSet names the template set a page renders with: the path prefix
// of the nearest org, itself or above, that has templates of its own.
func (p page) TemplateSet() string { return p.tmplSet }

// templateSetFor finds the nearest org with a template directory.
func templateSetFor(orgs []org.Org, id int64, sets map[string]*web.Renderer) string {
	if len(sets) == 0 {
		return ""
	}
	byID := make(map[int64]org.Org, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	for n := 0; id != 0 && n <= len(orgs); n++ {
		o, ok := byID[id]
		if !ok {
			break
		}
		if _, ok := sets[o.Site.PathPrefix]; ok {
			return o.Site.PathPrefix
		}
		id = o.ParentID
	}
	return ""
}

// loadTemplateSets parses the built-in templates and every org directory
// under dir ("" or a missing directory: built-in only).
func loadTemplateSets(dir string, builtin fs.FS, funcs map[string]any) (*templateSets, error) {
	base, err := web.NewRenderer(builtin, funcs)
	if err != nil {
		return nil, err
	}
	t := &templateSets{base: base, byPrefix: map[string]*web.Renderer{}}
	if dir == "" {
		return t, nil
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read template directory: %w", err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		r, err := web.NewRenderer(overlay{upper: os.DirFS(filepath.Join(dir, e.Name())), lower: builtin}, funcs)
		if err != nil {
			return nil, fmt.Errorf("templates of %s: %w", e.Name(), err)
		}
		t.byPrefix[e.Name()] = r
	}
	return t, nil
}

// overlay is a file system whose upper files hide the lower ones of the
// same name; directories list the files of both.
type overlay struct{ upper, lower fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.upper.Open(name); err == nil {
		if st, err := f.Stat(); err == nil && !st.IsDir() {
			return f, nil
		}
		f.Close()
	}
	return o.lower.Open(name)
}

func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]fs.DirEntry{}
	for _, fsys := range []fs.FS{o.lower, o.upper} {
		es, err := fs.ReadDir(fsys, name)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range es {
			seen[e.Name()] = e
		}
	}
	if len(seen) == 0 {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(seen))
	for _, e := range seen {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}
