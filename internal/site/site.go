// Package site is the public website of every org of the site group: home
// page, columns, single pages, special topics and the org directory, with
// the footer carrying the site identification codes. An org's site is
// reached by its own host name, by its path prefix (/mzj/), or at / when it
// is the default site.
package site

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"

	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/web"
)

//go:embed templates
var templateFiles embed.FS

// Reader is what the public pages read. *store.DB implements it.
type Reader interface {
	Orgs(ctx context.Context) ([]org.Org, error)
	Columns(ctx context.Context, orgID int64) ([]org.Column, error)
}

// Config holds the public site's dependencies.
type Config struct {
	Log    *slog.Logger
	Reader Reader
	Assets *web.Assets
}

type handler struct {
	Config
	tmpl *web.Renderer
	mux  *http.ServeMux // routes relative to an org's base path
}

// New returns the public site handler, to be mounted at /.
func New(cfg Config) (http.Handler, error) {
	r, err := Templates(cfg.Assets)
	if err != nil {
		return nil, err
	}
	h := &handler{Config: cfg, tmpl: r, mux: http.NewServeMux()}
	h.routes(h.mux)
	return h, nil
}

// Templates parses the public templates, for the template test.
func Templates(assets *web.Assets) (*web.Renderer, error) {
	sub, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	return web.NewRenderer(sub, web.Funcs(assets))
}

func (h *handler) routes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", h.wrap(h.home))
	mux.Handle("GET /col/{slug}", h.wrap(h.column))
	mux.Handle("GET /col/{slug}/{$}", h.wrap(h.column))
	mux.Handle("GET /orgs", h.wrap(h.directory))
	mux.Handle("/", h.wrap(func(http.ResponseWriter, *http.Request) error { return apperr.ErrNotFound }))
}

type ctxKey int

const keySite ctxKey = 0

// siteCtx is the org a request is for and what every page of it shows.
type siteCtx struct {
	Org     *org.Org
	Base    string // "" at the root, "/mzj" under a prefix
	Orgs    []org.Org
	Columns []org.Column
}

// resolve finds the org for a request: by host name first, then by the
// first path segment, then the default site.
func resolve(orgs []org.Org, host, path string) (*org.Org, string) {
	host = strings.ToLower(host)
	hostOnly := host
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.Contains(host[i:], "]") {
		hostOnly = host[:i]
	}
	for i := range orgs {
		if h := orgs[i].Site.Host; h != "" && (h == host || h == hostOnly) {
			return &orgs[i], ""
		}
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if seg != "" {
		for i := range orgs {
			if orgs[i].Site.PathPrefix == seg {
				return &orgs[i], "/" + seg
			}
		}
	}
	for i := range orgs {
		if orgs[i].Site.IsDefault {
			return &orgs[i], ""
		}
	}
	return nil, ""
}

// ServeHTTP resolves the org and dispatches the rest of the path.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	orgs, err := h.Reader.Orgs(ctx)
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	o, base := resolve(orgs, r.Host, r.URL.Path)
	if o == nil {
		// No default site yet: show the site group's directory at /.
		if r.URL.Path == "/" || r.URL.Path == "/orgs" {
			h.renderDirectory(w, r, &siteCtx{Orgs: orgs})
			return
		}
		h.fail(w, r, nil, apperr.ErrNotFound)
		return
	}
	if base != "" && r.URL.Path == base {
		http.Redirect(w, r, base+"/", http.StatusMovedPermanently)
		return
	}
	cols, err := h.Reader.Columns(ctx, o.ID)
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	sc := &siteCtx{Org: o, Base: base, Orgs: orgs, Columns: cols}
	r2 := r.Clone(context.WithValue(ctx, keySite, sc))
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, base)
	if r2.URL.Path == "" {
		r2.URL.Path = "/"
	}
	r2.URL.RawPath = ""
	h.mux.ServeHTTP(w, r2)
	r.Pattern = r2.Pattern // for metrics
}

func siteOf(r *http.Request) *siteCtx {
	sc, _ := r.Context().Value(keySite).(*siteCtx)
	return sc
}

func (h *handler) wrap(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			h.fail(w, r, siteOf(r), err)
		}
	})
}

type errorPage struct {
	page
	Status  int
	Message string
}

// fail renders the public error page, with the site's navigation when the
// org is known.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, sc *siteCtx, err error) {
	status, msg := web.Status(err)
	if status >= 500 {
		h.Log.LogAttrs(r.Context(), slog.LevelError, "site request",
			slog.String("request_id", web.RequestID(r)), slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	h.ErrorPage(w, r, sc, status, msg)
}

// ErrorPage renders a public error page with status.
func (h *handler) ErrorPage(w http.ResponseWriter, r *http.Request, sc *siteCtx, status int, msg string) {
	title := "页面不存在"
	if status >= 500 {
		title = "服务暂时不可用"
	} else if status != http.StatusNotFound {
		title = "无法完成请求"
	}
	p := errorPage{page: newPage(r, sc, title), Status: status, Message: msg}
	if err := h.tmpl.Render(w, status, "error", p); err != nil {
		if !errors.Is(err, context.Canceled) {
			h.Log.LogAttrs(r.Context(), slog.LevelError, "render error page", slog.Any("err", err))
		}
		http.Error(w, msg, status)
	}
}

// PublicErrorPage renders the plain public error page for code outside
// the site handler (panics, refused cross-site posts).
func PublicErrorPage(h http.Handler) func(w http.ResponseWriter, r *http.Request, status int, msg string) {
	sh, ok := h.(*handler)
	return func(w http.ResponseWriter, r *http.Request, status int, msg string) {
		if !ok {
			http.Error(w, msg, status)
			return
		}
		sh.ErrorPage(w, r, nil, status, msg)
	}
}
