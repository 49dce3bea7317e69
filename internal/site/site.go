// Package site is the public website of every org of the site group: home
// page, columns, single pages, special topics and the org directory, with
// the footer carrying the site identification codes. An org's site is
// reached by its own host name, by its path prefix (/mzj/), or at / when it
// is the default site.
package site

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

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
	// BaseURL is the public address (config --base-url), for QR codes;
	// empty means the request's own host.
	BaseURL string
	// Links tells whether published content links to an outside address;
	// nil means only columns and the footer count.
	Links LinkSource
	// Apply serves the application pages (依申请公开); see site/apply.go.
	Apply ApplyConfig
	// Items serves published items and their files (site/item.go).
	Items ItemConfig
	// Interact serves public interaction (公众互动); see site/interact.go.
	Interact InteractConfig
	// Search runs the site search (site/search.go); nil turns it off.
	Search Searcher
	// Catalog serves the disclosure catalog, feeds and sitemaps
	// (site/catalog.go); nil turns the catalog off.
	Catalog CatalogSource
	// Cache keeps rendered pages (site/cache.go); nil renders every time.
	Cache *PageCache
	// TemplateDir holds orgs' own templates, one directory per path
	// prefix (site/templateset.go); "" uses the built-in ones only.
	TemplateDir string
	// SearchLimit limits searches per client address; nil gives a default.
	SearchLimit *web.RateLimiter
	// Syndication shows items pushed from orgs below in the columns that
	// accepted them (site/syndicate.go); nil shows only own items.
	Syndication SyndicationSource
	// Disclosures serves the public board of units' required disclosures
	// (site/disclosure.go); nil turns it off.
	Disclosures DisclosureSource
}

type handler struct {
	Config
	tmpl *templateSets
	mux  *http.ServeMux // routes relative to an org's base path
	hant *hantConverter

	qrCodes     qrCache
	items       itemMemo
	searchPages *PageCache // search result pages; see ServeHTTP
}

// New returns the public site handler, to be mounted at /.
func New(cfg Config) (http.Handler, error) {
	sub, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	r, err := loadTemplateSets(cfg.TemplateDir, sub, web.Funcs(cfg.Assets))
	if err != nil {
		return nil, err
	}
	hant, err := newHantConverter()
	if err != nil {
		return nil, err
	}
	if cfg.SearchLimit == nil {
		// Searching is the most expensive public page: a reader gets a
		// burst of 30 and then one search a second.
		cfg.SearchLimit = web.NewRateLimiter(30, time.Second, nil)
	}
	if cfg.Cache != nil {
		// Every page reads the org tree and the org's columns; they
		// change with the cache generation, so they are kept with it.
		cfg.Reader = &genReader{Reader: cfg.Reader, gen: cfg.Cache.gen}
		if cfg.Catalog != nil {
			// So are the catalog's facets, read by every catalog page.
			cfg.Catalog = &genFacets{CatalogSource: cfg.Catalog, gen: cfg.Cache.gen}
		}
	}
	h := &handler{Config: cfg, tmpl: r, mux: http.NewServeMux(), hant: hant}
	h.items.items.max = itemMemoMax
	if cfg.Cache != nil {
		h.searchPages = NewPageCache(8<<20, cfg.Cache.gen)
	}
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
	mux.Handle("GET /col/{slug}/page/{n}/{$}", h.wrap(h.column))
	mux.Handle("GET /orgs", h.wrap(h.directory))
	mux.Handle("GET /leave", h.wrap(h.leave))
	mux.Handle("GET /search", h.wrap(h.search))
	h.catalogRoutes(mux)
	// Site group (issue 9): units' required disclosures where the org makes
	// its board public, and the JSON Feed.
	h.disclosureRoutes(mux)
	// Published items and their attachments (site/item.go).
	h.itemRoutes(mux)
	// Disclosure on application: form, receipt, tracking (site/apply.go).
	h.applyRoutes(mux)
	// Public interaction: messages, answers, consultations (site/interact.go).
	h.interactRoutes(mux)
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
	Hant    bool   // the Traditional Chinese version was asked for
	Path    string // the request path without the /zh-hant prefix
	Elder   bool   // elderly-friendly mode
	TmplSet string // the org's own template set, if any (templateset.go)
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

// ServeHTTP serves the Traditional Chinese version under /zh-hant by
// converting the Simplified page, and otherwise resolves the org and
// dispatches the rest of the path.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.Cache != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		h.serveCached(h.cacheFor(r.URL.Path), w, r, h.serveVariant)
		return
	}
	h.serveVariant(w, r)
}

func (h *handler) serveVariant(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if p == HantPrefix || strings.HasPrefix(p, HantPrefix+"/") {
		h.serveHant(w, r)
		return
	}
	h.serve(w, r, false)
}

func (h *handler) serve(w http.ResponseWriter, r *http.Request, hant bool) {
	if strings.HasPrefix(r.URL.Path, "/qr/") && strings.HasSuffix(r.URL.Path, ".svg") {
		h.wrap(h.qr).ServeHTTP(w, r)
		return
	}
	switch r.URL.Path {
	case "/elder":
		h.wrap(h.elder).ServeHTTP(w, r)
		return
	case "/robots.txt":
		h.wrap(h.robots).ServeHTTP(w, r)
		return
	}
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
			h.renderDirectory(w, r, &siteCtx{Orgs: orgs, Hant: hant, Path: r.URL.Path, Elder: elderMode(r)})
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
	sc := &siteCtx{Org: o, Base: base, Orgs: orgs, Columns: cols, Hant: hant, Path: r.URL.Path, Elder: elderMode(r)}
	sc.TmplSet = templateSetFor(orgs, o.ID, h.tmpl.byPrefix)
	r2 := r.Clone(context.WithValue(ctx, keySite, sc))
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, base)
	if r2.URL.Path == "" {
		r2.URL.Path = "/"
	}
	r2.URL.RawPath = ""
	h.mux.ServeHTTP(w, r2)
	r.Pattern = r2.Pattern // for metrics
}

// serveHant renders the Simplified page into a buffer and converts it.
func (h *handler) serveHant(w http.ResponseWriter, r *http.Request) {
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, HantPrefix)
	if r2.URL.Path == "" {
		r2.URL.Path = "/"
	}
	r2.URL.RawPath = ""
	rec := &bufferedResponse{header: http.Header{}}
	h.serve(rec, r2, true)
	r.Pattern = r2.Pattern
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	if loc := rec.header.Get("Location"); loc != "" {
		if v, ok := hantURL(loc); ok {
			w.Header().Set("Location", v)
		}
	}
	body := rec.body.Bytes()
	if strings.HasPrefix(rec.header.Get("Content-Type"), "text/html") {
		conv, err := h.hant.Page(body)
		if err != nil {
			h.fail(w, r, nil, fmt.Errorf("convert page to Traditional Chinese: %w", err))
			return
		}
		body = conv
		w.Header().Del("Content-Length")
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	w.Write(body)
}

// bufferedResponse collects a response so it can be converted.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
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
