package web

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Assets serves embedded static files at content-hashed paths
// (/static/{hash}/{name}) with far-future cache headers, so a changed file
// gets a new address and browsers never see a stale one.
type Assets struct {
	files map[string]asset // by name
}

type asset struct {
	hash  string
	body  *Compressed
	ctype string
}

func newAsset(name string, body []byte) asset {
	sum := sha256.Sum256(body)
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	// Compressed once per process, so at a high brotli quality.
	return asset{hash: hex.EncodeToString(sum[:6]), body: NewCompressed(body, 9), ctype: ct}
}

// Compressible reports whether a content type is text worth compressing
// (images other than SVG, archives and office files are compressed
// already).
func Compressible(ctype string) bool {
	ctype, _, _ = strings.Cut(ctype, ";")
	switch {
	case strings.HasPrefix(ctype, "text/"):
		return true
	case ctype == "application/javascript", ctype == "application/json", ctype == "image/svg+xml",
		ctype == "application/xml", ctype == "application/atom+xml", ctype == "application/feed+json":
		return true
	}
	return false
}

// NewAssets reads every file of fsys. Names are paths within fsys.
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]asset{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		a.files[p] = newAsset(p, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read static assets: %w", err)
	}
	return a, nil
}

// Add serves body as the file name too, for assets that live with the
// package that owns them (the report's print stylesheet). Call it before
// serving; Assets is read-only afterwards.
func (a *Assets) Add(name string, body []byte) {
	a.files[name] = newAsset(name, body)
}

// Path returns the hashed address of a file. It panics on an unknown name,
// which a template test catches at build time.
func (a *Assets) Path(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("web: unknown static asset " + name)
	}
	return "/static/" + f.hash + "/" + name
}

// CachedPage answers FastPath for the current version of a static file,
// /static/{hash}/{name} with the file's own hash and no query, as
// ServeHTTP would (whatever the host: the files are the same on every
// site).
func (a *Assets) CachedPage(_, target string, _ []string) (FastPage, bool) {
	rest, ok := strings.CutPrefix(target, "/static/")
	hash, name, _ := strings.Cut(rest, "/")
	f, found := a.files[name]
	if !ok || !found || hash != f.hash {
		return FastPage{}, false
	}
	return FastPage{ContentType: f.ctype, ETag: `"` + f.hash + `"`, CacheControl: "public, max-age=31536000, immutable",
		Route: "GET /static/", Body: f.body, Plain: !Compressible(f.ctype)}, true
}

// ServeHTTP serves GET /static/{hash}/{name...}. A stale hash still gets the
// current file, but without the long cache lifetime.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/static/")
	hash, name, ok := strings.Cut(rest, "/")
	f, found := a.files[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if hash == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+f.hash+`"`)
	w.Header().Add("Vary", "Accept-Encoding")
	if r.Header.Get("If-None-Match") == `"`+f.hash+`"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body, enc := f.body.Body(), ""
	if Compressible(f.ctype) {
		body, enc = f.body.For(r.Header.Get("Accept-Encoding"))
	}
	if enc != "" {
		w.Header().Set("Content-Encoding", enc)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
